"""Forms for account administration: create an account, grant a role, import a file, search.

Forms only translate input; whether the actor may do it is decided by the services.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from greencommunity.regions.codes import LEVEL_ORDER, Level, is_valid_code
from greencommunity.regions.models import Region

from .models import User
from .roles import Role
from .selectors import administered_regions

# Up to this many regions a region is chosen from a list; above it, typed as a code with
# suggestions (a province holds tens of thousands of communities).
MAX_SELECT_REGIONS = 500
MAX_SUGGESTED_REGIONS = 3000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class RegionField(forms.ModelChoiceField):
    """A region among those the actor administers, chosen by its 12-digit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Region.objects.none())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", _("Choose a region"))
        kwargs.setdefault(
            "error_messages",
            {"invalid_choice": _("Choose a region you administer (a 12-digit division code).")},
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        depth = LEVEL_ORDER.index(Level(obj.level)) if obj.level in LEVEL_ORDER else 0
        return f"{'\u3000' * depth}{obj.name} ({obj.code})"

    def to_python(self, value: Any) -> Region | None:
        return super().to_python(value.strip() if isinstance(value, str) else value)


def setup_region_field(form: forms.Form, name: str, actor: Any) -> None:
    """Limit the field to the actor's regions; a list when short, a code input otherwise."""
    field = form.fields[name]
    assert isinstance(field, RegionField)
    field.queryset = administered_regions(actor)
    if administered_regions(actor).count() <= MAX_SELECT_REGIONS:
        field.widget = forms.Select()
        field.widget.choices = field.choices
        field.widget.is_required = field.required
        return
    suggestions = administered_regions(actor, down_to=Level.STREET)[:MAX_SUGGESTED_REGIONS]
    list_id = f"{name}-regions"
    field.widget = forms.TextInput(
        attrs={
            "list": list_id,
            "inputmode": "numeric",
            "autocomplete": "off",
            "placeholder": _("12-digit division code"),
        }
    )
    field.widget.is_required = field.required
    field.help_text = _("Type a 12-digit division code or pick a suggestion.")
    form.region_suggestions = getattr(form, "region_suggestions", {})  # type: ignore[attr-defined]
    form.region_suggestions[list_id] = suggestions  # type: ignore[attr-defined]


def role_choices(empty: Any = None) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [(r.value, r.label) for r in Role]
    return [("", empty), *choices] if empty is not None else choices


class AccountCreateForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[User.username_validator],
        help_text=_("Letters, digits and @ . + - _ only; unique on the platform."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    full_name = forms.CharField(label=_("Full name"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    home_region = RegionField(
        label=_("Home region"),
        help_text=_("The administrators of this region manage the account."),
    )
    role = forms.ChoiceField(label=_("Role"), required=False, choices=())
    role_region = RegionField(
        label=_("Role region"),
        required=False,
        empty_label=_("Same as the home region"),
        help_text=_("Where the role applies (its whole subtree). Empty: the home region."),
    )
    department = forms.CharField(
        label=_("Department"),
        max_length=100,
        required=False,
        help_text=_("For the other-department role, e.g. 民政局."),
    )

    # Where a service error about a field is shown (ApplicationError.extra["field"]).
    ERROR_FIELDS = {"username": "username", "password": None}

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices(empty=_("No role"))  # type: ignore[attr-defined]
        setup_region_field(self, "home_region", actor)
        setup_region_field(self, "role_region", actor)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("role"):
            if data.get("role_region") or data.get("department"):
                self.add_error("role", _("Choose the role for this region or department."))
        elif not data.get("role_region"):
            data["role_region"] = data.get("home_region")
        return data

    def roles(self) -> list[tuple[str, Region, str]]:
        data = self.cleaned_data
        if not data.get("role") or data.get("role_region") is None:
            return []
        return [(data["role"], data["role_region"], data.get("department", ""))]


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=())
    region = RegionField(label=_("Region"))
    department = forms.CharField(
        label=_("Department"),
        max_length=100,
        required=False,
        help_text=_("For the other-department role, e.g. 民政局."),
    )

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = role_choices()  # type: ignore[attr-defined]
        setup_region_field(self, "region", actor)


class AccountImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An .xlsx file laid out like the template (or a UTF-8 .csv), at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, create nothing"),
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith((".xlsx", ".csv")):
            raise ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 5 MB: split it into several."))
        return upload


class AccountSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Username, name or organisation")}
        ),
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=())

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions: QuerySet[Region] = administered_regions(actor, down_to=Level.STREET)
        if regions.count() > MAX_SELECT_REGIONS:
            regions = administered_regions(actor, down_to=Level.COUNTY)
        choices: list[tuple[str, Any]] = [("", _("All my regions"))]
        choices += [
            (r.code, f"{'\u3000' * LEVEL_ORDER.index(Level(r.level))}{r.name}")
            for r in regions[:MAX_SELECT_REGIONS]
        ]
        self.fields["region"].choices = choices  # type: ignore[attr-defined]

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"q": "", "region_code": ""}
        code = self.cleaned_data.get("region") or ""
        return {
            "q": self.cleaned_data.get("q") or "",
            "region_code": code if is_valid_code(code) else "",
        }
