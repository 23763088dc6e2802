"""Load a standard given as data (the built-in ones in `builtin/`, and JSON imports) into the
database. Works with the real models and with a migration's historical ones."""

from decimal import Decimal
from typing import Any


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def standard_load(data: dict[str, Any], models: Any, *, status: str = "published") -> Any:
    """Create the standard `data` describes (or leave it when its key and version exist).

    `models` has attributes Standard, Area, Criterion, SubCondition and Indicator."""
    existing = models.Standard.objects.filter(key=data["key"], version=data["version"]).first()
    if existing is not None:
        return existing
    rule = data.get("pass_rule") or {}
    standard = models.Standard.objects.create(
        key=data["key"], version=data["version"], name=data["name"],
        issuing_code=data.get("issuing_region", ""), source=data.get("source", ""),
        description=data.get("description", ""), scoring_mode=data["scoring_mode"],
        status=status, pass_all_met=bool(rule.get("all_met")), pass_min_met=rule.get("min_met"),
        pass_min_total=_dec(rule.get("min_total")),
        pass_no_veto_failed=bool(rule.get("no_veto_failed")),
    )  # fmt: skip
    indicators = {i.code: i for i in models.Indicator.objects.all()}
    for a in data["areas"]:
        area = models.Area.objects.create(
            standard=standard, number=a["number"], name=a["name"],
            national_area=a["national_area"], points=_dec(a.get("points")),
        )  # fmt: skip
        for c in a["criteria"]:
            rule = c.get("numeric_rule") or {}
            criterion = models.Criterion.objects.create(
                standard=standard, area=area, number=c["number"], text=c["text"],
                points=_dec(c.get("points")), evidence=c.get("evidence", ""),
                departments=c.get("departments", ""), veto=bool(c.get("veto")),
                indicator=indicators.get(rule.get("indicator", "")),
                operator=rule.get("operator", ""), threshold=_dec(rule.get("threshold")),
            )  # fmt: skip
            models.SubCondition.objects.bulk_create(
                [
                    models.SubCondition(criterion=criterion, number=i, text=text)
                    for i, text in enumerate(c.get("sub_conditions", []), start=1)
                ]
            )
    return standard
