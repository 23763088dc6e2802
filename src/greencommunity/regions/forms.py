"""Forms of the community registry pages: the list's filters, the profile, a compound, a row
of indicator values.

Forms only turn text into typed values; the rules (ranges, formats, uniqueness, renovation
years) live in `services/communities.py`, whose errors are shown at the fields with
`add_service_errors`.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from greencommunity.core.errors import ApplicationError

from .codes import is_valid_code
from .models import Community, CommunityKind, Compound, Indicator, RenovationStatus
from .selectors_communities import community_streets

# Up to this many streets the list filter is a select; above it, a street code is typed.
MAX_STREET_CHOICES = 400
YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def add_service_errors(form: forms.Form, exc: ApplicationError, fields: Mapping[str, str]) -> None:
    """Show a service's errors at the form's fields (`fields`: service field → form field);
    an error about no field of the form goes on top."""
    errors = exc.extra.get("errors") or {exc.extra.get("field", ""): exc.message}
    for name, message in errors.items():
        target = fields.get(name) if name else None
        form.add_error(target if target in form.fields else None, message)


class InlineBoundField(BoundField):
    """A field in a table row: Bootstrap's invalid style on the widget itself."""

    def build_widget_attrs(self, attrs: Any, widget: Any = None) -> Any:
        attrs = super().build_widget_attrs(attrs, widget)
        if self.errors:
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
        return attrs


def _inline(form: forms.Form, form_id: str) -> None:
    """Widgets that live in table cells and belong to the <form id=form_id> of their row."""
    for f in form.fields.values():
        css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else None
        f.widget.attrs.update({"form": form_id, "class": css or "form-control form-control-sm"})


class CommunityFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or division code"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = forms.CharField(required=False, widget=forms.HiddenInput)
    street = forms.ChoiceField(label=_("Street/town"), required=False, choices=())
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any")), *CommunityKind.choices]
    )
    urban = forms.ChoiceField(label=_("Urban community"), required=False, choices=YES_NO)
    survey = forms.ChoiceField(label=_("Baseline survey complete"), required=False, choices=YES_NO)
    renovation = forms.ChoiceField(
        label=_("Compound renovation"),
        required=False,
        choices=[("", _("Any")), *RenovationStatus.choices],
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = community_streets(actor, limit=MAX_STREET_CHOICES)
        field = self.fields["street"]
        if len(streets) > MAX_STREET_CHOICES:
            self.fields["street"] = forms.CharField(
                label=_("Street/town code"),
                required=False,
                max_length=12,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "placeholder": _("12-digit division code")}
                ),
            )
        elif streets:
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", _("All streets and towns")), *_street_choices(streets)]
        else:
            del self.fields["street"]

    def clean_street(self) -> str:
        street = (self.cleaned_data.get("street") or "").strip()
        return street if is_valid_code(street) else ""

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `community_list` (invalid input is no filter)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        region = (data.get("region") or "").strip()
        return {
            "q": data.get("q") or "",
            "region_code": region if is_valid_code(region) else "",
            "street": data.get("street") or "",
            "kind": data.get("kind") or "",
            "urban": _yes_no(data.get("urban") or ""),
            "survey_complete": _yes_no(data.get("survey") or ""),
            "renovation": data.get("renovation") or "",
        }


def _street_choices(streets: list[tuple[str, str, str]]) -> list[Any]:
    """Streets grouped by their county when there are several counties."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, name, county in streets:
        groups.setdefault(county, []).append((code, name))
    if len(groups) == 1:
        return next(iter(groups.values()))
    return list(groups.items())


URBAN_OVERRIDE_CHOICES = [
    ("", _("Decided by the rule (kind and urban-rural class)")),
    ("yes", _("Urban")),
    ("no", _("Not urban")),
]


class CommunityProfileForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=CommunityKind.choices,
        help_text=_("From the code's last three digits: 001-199 residents', 200-399 villagers'."),
    )
    urban_rural_code = forms.CharField(
        label=_("Urban-rural class code"),
        required=False,
        max_length=3,
        help_text=_("3 digits, 1xx urban, 2xx rural (e.g. 111, 220)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    urban_override = forms.TypedChoiceField(
        label=_("Urban community"),
        required=False,
        choices=URBAN_OVERRIDE_CHOICES,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        help_text=_(
            "Urban communities (residents' committees not classed rural) are the "
            "campaign's objects; override the rule only with a reason in the notes."
        ),
    )
    address = forms.CharField(label=_("Committee address"), required=False, max_length=200)
    leader_name = forms.CharField(label=_("Leader"), required=False, max_length=50)
    leader_phone = forms.CharField(
        label=_("Leader's phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    households = forms.IntegerField(label=_("Households"), required=False)
    residents = forms.IntegerField(label=_("Residents"), required=False)
    area_ha = forms.DecimalField(label=_("Area (ha)"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    @classmethod
    def for_community(cls, community: Community, data: Any = None) -> "CommunityProfileForm":
        override = {True: "yes", False: "no", None: ""}[community.urban_override]
        initial = {name: getattr(community, name) for name in cls.base_fields}
        initial["urban_override"] = override
        return cls(data, initial=initial)


class CompoundForm(forms.Form):
    """A compound; `form_id` puts its widgets in a table row belonging to that <form>."""

    bound_field_class = InlineBoundField

    name = forms.CharField(label=_("Compound name"), max_length=100, required=False)
    build_year = forms.IntegerField(label=_("Build year"), required=False)
    renovation_status = forms.ChoiceField(
        label=_("Old-residential renovation"), choices=RenovationStatus.choices
    )
    renovation_year = forms.IntegerField(label=_("Renovation year"), required=False)

    def __init__(self, *args: Any, form_id: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("build_year", "renovation_year"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "class": "gc-year"})
        if form_id:
            _inline(self, form_id)

    @classmethod
    def for_compound(cls, compound: Compound, data: Any = None) -> "CompoundForm":
        return cls(
            data,
            prefix=f"c{compound.pk}",
            form_id=f"compound-form-{compound.pk}",
            initial={name: getattr(compound, name) for name in cls.base_fields},
        )


class IndicatorRowForm(forms.Form):
    """The values of one indicator for each year shown (field `y<year>`); empty removes."""

    bound_field_class = InlineBoundField

    def __init__(
        self,
        data: Any = None,
        *,
        indicator: Indicator,
        years: list[int],
        initial: Mapping[int, Any] | None = None,
    ) -> None:
        super().__init__(data, prefix=f"i{indicator.pk}")
        self.years = years
        for year in years:
            self.fields[f"y{year}"] = forms.DecimalField(
                label=f"{indicator.name} {year}",
                required=False,
                initial=(initial or {}).get(year),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
        _inline(self, f"indicator-form-{indicator.pk}")

    def cells(self) -> list[tuple[int, BoundField]]:
        """(year, field) for the row's cells, in year order."""
        return [(year, self[f"y{year}"]) for year in self.years]

    def values(self) -> dict[int, Any]:
        return {year: self.cleaned_data.get(f"y{year}") for year in self.years}

    def field_names(self) -> dict[str, str]:
        """Service error keys (years) → form fields."""
        return {str(year): f"y{year}" for year in self.years}
