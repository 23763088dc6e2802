"""The built-in indicator catalogue: the yearly figures the seeds' numeric criteria read
(property management coverage >= 30%, green ratio >= 25%, public green space >= 1 m² per
person, satisfaction > 80% / >= 80%, service-facility coverage >= 90%, renovation completion)."""

from typing import Any

# code, Chinese name, unit, required by the baseline survey, computed by the platform
CATALOGUE = [
    ("property_management_coverage", "物业管理覆盖率", "%", True, False),
    ("green_ratio", "绿地率", "%", True, False),
    ("public_green_per_person", "人均公共绿地面积", "m²", True, False),
    ("satisfaction_management", "居民对社区管理满意度", "%", True, False),
    ("satisfaction_facilities", "居民对公共设施满意度", "%", True, False),
    ("service_facility_coverage", "社区服务设施覆盖率", "%", True, False),
    ("renovation_completion", "老旧小区改造完成率", "%", False, True),
]
RENOVATION_COMPLETION = "renovation_completion"


def catalogue_ensure(indicator_model: Any) -> None:
    """Create or refresh the built-in indicators (the data migration, and tests after a flush
    has emptied the table). `indicator_model` is the model class (historical in migrations)."""
    if indicator_model.objects.count() >= len(CATALOGUE):
        return
    for position, (code, name, unit, required, computed) in enumerate(CATALOGUE, start=1):
        indicator_model.objects.update_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "required_for_survey": required,
                      "computed": computed, "position": position},
        )  # fmt: skip
