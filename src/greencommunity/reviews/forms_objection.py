"""The objection form of the public notice page. It only turns the posted text into values;
the rules (a phone number or an e-mail address, the file's kind and size, the period, the rate
limit) live in `services.objections.objection_submit`."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors_batches import PublicCandidate


class ObjectionForm(forms.Form):
    application = forms.TypedChoiceField(
        label=_("Candidate objected to"), coerce=int, choices=(), empty_value=None
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you object to, with the facts you know."),
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=50)
    contact_phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_(
            "Give a phone number or an e-mail address, so the reviewers can ask you about the "
            "objection. Only the reviewers who decide it see them."
        ),
    )
    attachment = forms.FileField(
        label=_("Attachment (optional)"),
        required=False,
        help_text=_("A photo, PDF or Word document."),
    )

    def __init__(self, *args: Any, candidates: list[PublicCandidate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—")] + [
            (c.application_id, f"{c.city} {c.county} {c.street} {c.community} · {c.title}")
            for c in candidates
            if c.under_notice
        ]
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
