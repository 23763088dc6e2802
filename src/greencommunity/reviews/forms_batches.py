"""Forms of the batch pages (sampling draws, public notices, objections, naming). They only turn
the posted text into values; every rule lives in the services, whose refusals the views show at
the field they name."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Application, DayBasis, InspectionResult, TitleKind
from .models.notices import DEFAULT_NOTICE_DAYS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def application_choices(applications: list[Application]) -> list[tuple[int, str]]:
    return [
        (a.pk, f"{a.community.region.name} ({a.community.region.code}) · "
               f"{a.get_title_kind_display()} · {a.year}")
        for a in applications
    ]  # fmt: skip


class DrawForm(forms.Form):
    share = forms.CharField(
        label=_("Share sampled"), max_length=10, initial="0.3",
        # xgettext:no-python-format
        help_text=_("Above 0, at most 1: 0.3 samples 30% of each city (at least one)."),
    )  # fmt: skip
    seed = forms.CharField(
        label=_("Seed"), max_length=64, required=False,
        help_text=_("Leave empty for a random seed. It is shown before the draw, so anyone can "
                    "recompute the sample."),
    )  # fmt: skip


class InspectionForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Inspection result"),
        choices=[(InspectionResult.PASSED, InspectionResult.PASSED.label),
                 (InspectionResult.FAILED, InspectionResult.FAILED.label)],
        widget=forms.RadioSelect,
    )  # fmt: skip
    notes = forms.CharField(
        label=_("Inspection notes"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip


class BatchDecisionForm(forms.Form):
    opinion = forms.CharField(
        label=_("Batch opinion"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Fills the province row of each approved application's approval form."),
    )  # fmt: skip
    decided_on = forms.DateField(label=_("Date"), widget=DATE)
    seal = forms.FileField(label=_("Seal (image, optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"decided_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class NoticeForm(forms.Form):
    heading = forms.CharField(label=_("Heading"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    period_days = forms.IntegerField(label=_("Period"), min_value=1, initial=DEFAULT_NOTICE_DAYS)
    day_basis = forms.ChoiceField(
        label=_("Period counted in"), choices=DayBasis.choices, initial=DayBasis.WORKING
    )
    applications = forms.TypedMultipleChoiceField(
        label=_("Candidates"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: list[Application], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"starts_on": timezone.localdate(), "applications": [a.pk for a in candidates]},
        )
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = application_choices(candidates)


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("dismiss", _("Dismiss the objection")),
            ("return", _("Uphold: back to the community for revision")),
            ("reject", _("Uphold: reject the application")),
        ],
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class NamingForm(forms.Form):
    title_kind = forms.ChoiceField(label=_("Title"), choices=TitleKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    document_number = forms.CharField(
        label=_("Document number"), max_length=60,
        help_text=_("The 文号 of the decision, e.g. 川建城〔2024〕88号; used once per region."),
    )  # fmt: skip
    heading = forms.CharField(label=_("Heading"), max_length=200)
    body = forms.CharField(
        label=_("Text"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    applications = forms.TypedMultipleChoiceField(
        label=_("Applications named"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, candidates: list[Application], **kwargs: Any) -> None:
        today = timezone.localdate()
        kwargs.setdefault("initial", {"year": today.year, "decided_on": today})
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = application_choices(candidates)
