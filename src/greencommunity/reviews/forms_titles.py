"""Forms of the title pages: the list's filters, a status change, the import upload, and the
public list's filters. Forms only turn text into typed values; the rules live in the services."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greencommunity.regions.forms_import import RegistryUploadForm

from .models import Title, TitleKind, TitleStatus

KIND_CHOICES = [("", _("Any")), *TitleKind.choices]


class TitleUploadForm(RegistryUploadForm):
    """The same file rules as the registry imports (.xlsx or .csv, at most 50 MB)."""


def _digits(value: str, max_length: int = 12) -> str:
    value = (value or "").strip()
    return value if value.isascii() and value.isdigit() and len(value) <= max_length else ""


class TitleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Community or certificate number"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = forms.CharField(
        label=_("Division code starts with"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Title"), required=False, choices=KIND_CHOICES)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *TitleStatus.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        field = self.fields["year"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("Any"))] + [(y, str(y)) for y in range(this_year, 1999, -1)]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `title_list` (invalid input is no filter)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": (data.get("q") or "").strip(),
            "region_code": _digits(data.get("region") or ""),
            "kind": data.get("kind") or "",
            "status": data.get("status") or "",
            "year": data.get("year"),
        }


class TitleStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    on = forms.DateField(
        label=_("Effective on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit trail, e.g. the rectification notice."),
    )

    def __init__(self, *args: Any, title: Title, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(v, label) for v, label in TitleStatus.choices if v != title.status]


class PublicTitleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Region name or division code"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Title"), required=False, choices=KIND_CHOICES)

    def filters(self) -> dict[str, str]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {"q": (self.cleaned_data.get("q") or "").strip(),
                "kind": self.cleaned_data.get("kind") or ""}  # fmt: skip
