"""Forms of the standards pages. They only turn what was typed into the services' arguments
(`services.drafts`, `services.versions`, `services.transfer`); the rules, and the messages a
refusal shows at these fields, are the services'."""

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from greencommunity.regions.models import Indicator, Region

from .models import NATIONAL_AREAS, Area, Criterion, Operator, ScoringMode, Standard, StandardStatus

MAX_UPLOAD_MB = 5
DATE_WIDGET = {"type": "date"}
NATIONAL_CHOICES = [(n, f"{n} {name}") for n, name in sorted(NATIONAL_AREAS.items())]


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )


def _points_field(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def plain(value: Decimal | None) -> str | None:
    """A stored decimal as typed: 5 rather than 5.0, 2.5 rather than 2.50."""
    return None if value is None else f"{value.normalize():f}"


def lines(text: str) -> list[str]:
    """The non-empty lines of a text box (sub-conditions are typed one per line)."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class AreaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number}. {obj.name}"


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name}（{obj.code}）"


class StandardFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *StandardStatus.choices],
    )

    def status_value(self) -> str:
        return self.cleaned_data.get("status", "") if self.is_valid() else ""


class StandardForm(forms.Form):
    """A draft's own fields: names, texts, scoring mode, dates and pass rule."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Scope, assumptions, and corrections of the source text."),
    )
    source = forms.CharField(label=_("Source document"), required=False, max_length=300)
    scoring_mode = forms.ChoiceField(label=_("Scoring"), choices=ScoringMode.choices)
    effective_from = _date_field(_("Effective from"))
    effective_to = _date_field(_("Effective until"))
    pass_all_met = forms.BooleanField(label=_("Every criterion met"), required=False)
    pass_min_met = forms.IntegerField(
        label=_("At least N criteria met"),
        required=False,
        max_value=32767,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    pass_min_total = _points_field(
        _("Total at least"), _("Points mode only; in steps of 0.5. Empty: no pass mark.")
    )
    pass_no_veto_failed = forms.BooleanField(label=_("No veto criterion failed"), required=False)

    FIELDS = [
        "name", "description", "source", "scoring_mode", "effective_from", "effective_to",
        "pass_all_met", "pass_min_met", "pass_min_total", "pass_no_veto_failed",
    ]  # fmt: skip

    @classmethod
    def for_standard(cls, standard: Standard, data: Any = None) -> "StandardForm":
        initial = {name: getattr(standard, name) for name in cls.FIELDS}
        initial["pass_min_total"] = plain(standard.pass_min_total)
        return cls(data, initial=initial)

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


class AreaForm(forms.Form):
    """An area of a draft: its name, its national area and its points."""

    name = forms.CharField(label=_("Area"), max_length=200)
    national_area = forms.TypedChoiceField(
        label=_("National area"), choices=NATIONAL_CHOICES, coerce=int
    )
    points = _points_field(pgettext_lazy("criterion", "Points"))

    FIELDS = ["name", "national_area", "points"]

    def __init__(self, *args: Any, points_mode: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not points_mode:
            del self.fields["points"]

    @classmethod
    def for_area(cls, area: Area, data: Any = None, *, points_mode: bool) -> "AreaForm":
        initial = {name: getattr(area, name) for name in cls.FIELDS}
        initial["points"] = plain(area.points)
        return cls(data, initial=initial, points_mode=points_mode, prefix=f"area{area.number}")

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS if name in self.fields}


class CriterionForm(forms.Form):
    """A criterion of a draft; sub-conditions one per line. Without `criterion` it adds one
    (at `number`, by default at the end of its area)."""

    area = AreaChoiceField(label=_("Area"), queryset=Area.objects.none(), empty_label=None)
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        max_value=32767,
        help_text=_("Empty: at the end of the area."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    text = forms.CharField(label=_("Criterion"), widget=forms.Textarea(attrs={"rows": 3}))
    points = _points_field(pgettext_lazy("criterion", "Points"), _("Above 0, in steps of 0.5."))
    sub_conditions = forms.CharField(
        label=_("Sub-conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )
    evidence = forms.CharField(
        label=_("Evidence expected"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    departments = forms.CharField(
        label=_("Responsible departments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    indicator = forms.ModelChoiceField(
        label=_("Indicator"),
        queryset=Indicator.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("(no numeric rule)"),
    )
    operator = forms.ChoiceField(
        label=_("Operator"), required=False, choices=[("", "—"), *Operator.choices]
    )
    threshold = _points_field(_("Threshold"))
    veto = forms.BooleanField(label=_("Veto criterion"), required=False)

    FIELDS = [
        "area", "text", "points", "sub_conditions", "evidence", "departments", "indicator",
        "operator", "threshold", "veto",
    ]  # fmt: skip

    def __init__(
        self,
        *args: Any,
        standard: Standard,
        criterion: Criterion | None = None,
        **kwargs: Any,
    ) -> None:
        if criterion is not None:
            kwargs.setdefault("prefix", f"c{criterion.pk}")
            kwargs.setdefault(
                "initial",
                {
                    "area": criterion.area_id,
                    "text": criterion.text,
                    "points": plain(criterion.points),
                    "sub_conditions": "\n".join(s.text for s in criterion.sub_conditions.all()),
                    "evidence": criterion.evidence,
                    "departments": criterion.departments,
                    "indicator": criterion.indicator.code if criterion.indicator else None,
                    "operator": criterion.operator,
                    "threshold": plain(criterion.threshold),
                    "veto": criterion.veto,
                },
            )
        else:
            kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = Area.objects.filter(standard=standard).order_by("number")
        if criterion is not None:
            del self.fields["number"]
        if standard.scoring_mode != ScoringMode.POINTS:
            del self.fields["points"]

    def values(self) -> dict[str, Any]:
        """The services' keyword arguments."""
        data = self.cleaned_data
        values: dict[str, Any] = {name: data.get(name) for name in self.FIELDS if name in data}
        values["sub_conditions"] = lines(data.get("sub_conditions") or "")
        for name in ("evidence", "departments", "operator"):
            values[name] = data.get(name) or ""
        values["veto"] = bool(data.get("veto"))
        if "number" in self.fields:
            values["number"] = data.get("number")
        return values


class DeriveForm(forms.Form):
    """Refine a published standard into a draft issued by a region the user manages."""

    region = RegionChoiceField(
        label=_("Issuing region"),
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=None,
    )
    key = forms.CharField(
        label=_("Key"),
        max_length=100,
        help_text=_("Letters, digits, hyphens and underscores, e.g. huantai-2026."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("Name"), max_length=300)

    def __init__(self, *args: Any, regions: QuerySet[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions


class AdoptForm(forms.Form):
    """Put a published standard in force in a region from a day."""

    standard = forms.ModelChoiceField(
        label=_("Standard"), queryset=Standard.objects.none(), empty_label=None
    )
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, standards: QuerySet[Standard], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"effective_from": timezone.localdate()})
        super().__init__(*args, **kwargs)
        standard_field = self.fields["standard"]
        assert isinstance(standard_field, forms.ModelChoiceField)
        standard_field.queryset = standards

    def values(self) -> tuple[Standard, date]:
        return self.cleaned_data["standard"], self.cleaned_data["effective_from"]


class StandardImportForm(forms.Form):
    file = forms.FileField(
        label=_("Standard file (.xlsx or .json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)

    def clean_file(self) -> Any:
        upload: UploadedFile = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".json")):
            raise forms.ValidationError(_("Upload an .xlsx or .json file."))
        if (upload.size or 0) > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": MAX_UPLOAD_MB}
            )
        return upload

    def file_format(self) -> str:
        upload: UploadedFile = self.cleaned_data["file"]
        return "json" if (upload.name or "").lower().endswith(".json") else "xlsx"
