"""Forms of the application pages: starting one from a self-assessment, the list's filters, the
审批表 fields, a step's decision, a joint opinion and one criterion of the reviewer's score.

Forms only turn text into typed values; the rules (required fields at submission, 1000
characters, reasons for returning, 0.5 steps) live in the services, whose errors are shown at
the fields with `regions.forms.add_service_errors`.
"""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import ApplicationStatus, ReviewStep, TitleKind, Verdict

SEAL_ACCEPT = "image/png,image/jpeg,image/gif,image/webp"


class ApplicationStartForm(forms.Form):
    """What the self-assessment page posts to make an application."""

    assessment = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    title_kind = forms.ChoiceField(
        label=_("Proposed title"), choices=TitleKind.choices, initial=TitleKind.GREEN
    )


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any")), *ApplicationStatus.choices]
    )
    title = forms.ChoiceField(
        label=_("Title"), required=False, choices=[("", _("Any")), *TitleKind.choices]
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    step = forms.ChoiceField(label=_("Waiting at"), required=False, choices=())

    def __init__(self, *args: Any, steps: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year = self.fields["year"]
        assert isinstance(year, forms.TypedChoiceField)
        this_year = timezone.localdate().year
        year.choices = [("", _("Any")), *((y, str(y)) for y in range(this_year, 2019, -1))]
        step = self.fields["step"]
        assert isinstance(step, forms.ChoiceField)
        step.choices = [("", _("Any")), *steps]

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `selectors_pages.application_page_list` (invalid input is no
        filter)."""
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data.get("status") or None,
            "title_kind": data.get("title") or None,
            "year": data.get("year"),
            "step_key": data.get("step") or None,
        }


class ApplicationFieldsForm(forms.Form):
    """The community's fields of the 审批表 (all optional until the application is submitted;
    the limits are the service's)."""

    leader_name = forms.CharField(label=_("Leader"), required=False)
    leader_phone = forms.CharField(
        label=_("Leader's phone"), required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )  # fmt: skip
    committee_address = forms.CharField(label=_("Committee address"), required=False)
    division = forms.CharField(
        label=_("Administrative division"), required=False,
        help_text=_("The full names of the city, the county and the street or town."),
    )  # fmt: skip
    basic_situation = forms.CharField(
        label=_("Basic situation"), required=False, strip=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-gc-count": "1000"}),
        help_text=_("Concise, at most 1000 characters; the green community work true and "
                    "to the point."),
    )  # fmt: skip

    def values(self) -> dict[str, str]:
        """Keyword arguments for `application_update`."""
        return {name: self.cleaned_data.get(name) or "" for name in self.fields}


class DecisionForm(forms.Form):
    """A review step's decision: the verdicts the step allows, the opinion (the reason, when
    returning or rejecting), the date, the seal image and the version the page showed."""

    verdict = forms.ChoiceField(label=_("Decision"), choices=(), widget=forms.RadioSelect)
    opinion = forms.CharField(
        label=_("Opinion"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when returning or rejecting: say what is missing or why."),
    )  # fmt: skip
    decided_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    seal = forms.FileField(
        label=_("Seal (image)"), required=False,
        widget=forms.FileInput(attrs={"accept": SEAL_ACCEPT}),
        help_text=_("A photo or scan of the stamped seal; it appears in your row of the form."),
    )  # fmt: skip
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, step: ReviewStep, version: int, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial", {"decided_on": timezone.localdate(), "expected_version": version}
        )
        super().__init__(*args, **kwargs)
        verdict = self.fields["verdict"]
        assert isinstance(verdict, forms.ChoiceField)
        verdict.choices = [
            (v.value, v.label)
            for v in Verdict
            if v == Verdict.APPROVE
            or (v == Verdict.RETURN and step.allow_return)
            or (v == Verdict.REJECT and step.allow_reject)
        ]

    def decision(self) -> dict[str, Any]:
        """Keyword arguments for `application_decide`."""
        data = self.cleaned_data
        return {
            "verdict": data["verdict"],
            "opinion": data.get("opinion") or "",
            "decided_on": data["decided_on"],
            "seal": data.get("seal") or None,
            "expected_version": data["expected_version"],
        }


class JointOpinionForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), choices=())
    agrees = forms.TypedChoiceField(
        label=_("Opinion of the department"),
        choices=[("yes", _("Agrees")), ("no", _("Does not agree"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, departments: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(d, d) for d in departments]


class ReviewerAnswerForm(forms.Form):
    """One criterion of the reviewer's score: met / not met (met mode, or full or no points),
    or the points; notes."""

    met = forms.ChoiceField(
        required=False, choices=[("", "—"), ("yes", _("Met")), ("no", _("Not met"))]
    )
    points = forms.CharField(required=False, max_length=10)
    notes = forms.CharField(required=False, widget=forms.Textarea)

    def answer(self) -> dict[str, Any]:
        """Keyword arguments for `reviewer_answer_set`."""
        data = self.cleaned_data
        met = {"yes": True, "no": False}.get(data.get("met") or "")
        return {
            "met": met,
            "points": (data.get("points") or "").strip() or None,
            "notes": data.get("notes") or "",
        }
