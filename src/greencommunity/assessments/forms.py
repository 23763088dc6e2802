"""Forms of the self-assessment pages: the list's filters, starting an assessment, one answer.

Forms only turn text into typed values; the rules (0.5 steps, which criteria take points, the
years a campaign covers, locked submissions) live in the services, whose errors are shown at
the fields with `regions.forms.add_service_errors`.
"""

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from greencommunity.regions.codes import is_valid_code
from greencommunity.standards.models import Standard

from .models import AssessmentStatus
from .services.lifecycle import FIRST_YEAR, MAX_NOTES


def campaign_years() -> list[int]:
    """The years an assessment may be for, the latest first."""
    return list(range(date.today().year, FIRST_YEAR - 1, -1))


class AssessmentFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *AssessmentStatus.choices]
    )
    passed = forms.ChoiceField(
        label=_("Result"),
        required=False,
        choices=[
            ("", _("Any")),
            ("yes", _("Passed")),
            ("no", _("Not passed")),
            ("none", _("No pass mark")),
        ],
    )
    community = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.ChoiceField)
        year.choices = [("", _("Any")), *((y, str(y)) for y in campaign_years())]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `assessment_filtered_list` (invalid input is no filter)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        community = (data.get("community") or "").strip()
        return {
            "year": data.get("year"),
            "status": data.get("status") or None,
            "passed": data.get("passed") or "",
            "community_code": community if is_valid_code(community) else "",
        }


class AssessmentStartForm(forms.Form):
    """Start (or continue) the draft of a community against a standard for a year; without a
    standard chosen, the one in force in the community's region."""

    community = forms.CharField(widget=forms.HiddenInput, max_length=12)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    standard = forms.TypedChoiceField(
        label=_("Standard"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        standards: list[Standard] | None = None,
        default: Standard | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        standard = self.fields["standard"]
        assert isinstance(year, forms.ChoiceField) and isinstance(standard, forms.ChoiceField)
        year.choices = [(y, str(y)) for y in campaign_years()]
        standard.choices = [(s.pk, f"{s.name} (v{s.version})") for s in standards or []]
        self._standards = {s.pk: s for s in standards or []}
        self._default = default
        if default is not None:
            standard.initial = default.pk
        year.initial = date.today().year

    def clean_standard(self) -> Standard:
        pk = self.cleaned_data.get("standard")
        chosen = self._standards.get(pk) if pk is not None else self._default
        if chosen is None:
            raise forms.ValidationError(
                _("No standard is in force for this community: choose one.")
            )
        return chosen


class AnswerForm(forms.Form):
    """One criterion's answer as posted by its row: met (met mode) or points, ticked
    sub-conditions, notes. `suggested` asks for the points the ticks suggest."""

    met = forms.ChoiceField(
        required=False, choices=[("", "—"), ("yes", _("Met")), ("no", _("Not met"))]
    )
    points = forms.CharField(label=_("Points"), required=False, max_length=12)
    ticked = forms.TypedMultipleChoiceField(
        label=_("Sub-conditions"), required=False, coerce=int, choices=()
    )
    notes = forms.CharField(label=_("Notes"), required=False, max_length=MAX_NOTES + 1000)
    suggested = forms.BooleanField(required=False)

    def __init__(self, *args: Any, sub_numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ticked = self.fields["ticked"]
        assert isinstance(ticked, forms.ChoiceField)
        ticked.choices = [(n, str(n)) for n in sub_numbers]

    def answer(self, *, points_mode: bool, has_sub_conditions: bool) -> dict[str, Any]:
        """Keyword arguments for `answer_set` (call after `is_valid()`).

        Points typed win over ticks; with no points typed, ticks give the points they suggest
        (the service's rule), and no ticks leave the criterion unanswered rather than at 0 (a
        note alone does not answer it). `suggested` drops the typed points for the ticks'."""
        data = self.cleaned_data
        met = {"yes": True, "no": False}.get(data.get("met") or "")
        points = (data.get("points") or "").strip() or None
        ticked = list(data.get("ticked") or []) if has_sub_conditions else []
        if data.get("suggested"):
            points = None if ticked else "0"
        return {
            "met": None if points_mode else met,
            "points": points if points_mode else None,
            "ticked": ticked or None,
            "notes": data.get("notes") or "",
        }
