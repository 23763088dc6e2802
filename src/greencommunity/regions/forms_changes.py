"""The form an administrator records a division change with.

It only turns text into the service's arguments: codes one per line (or separated by spaces or
commas), new regions as "CODE NAME" lines, a split's compounds as "NEW_CODE COMPOUND" lines.
Whether the change holds together is decided by `services.changes.division_change_record`.
"""

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChangeKind
from .selectors_changes import compound_ids_by_name

SEPARATORS = re.compile(r"[\s,，、;；]+")
# Where a refusal of the service is shown.
SERVICE_FIELDS = {
    "kind": "kind",
    "date": "effective_on",
    "old": "old_codes",
    "new": "new_regions",
    "name": "new_regions",
    "compounds": "compounds",
}


def _lines(text: str) -> list[tuple[str, str]]:
    """Non-empty lines as (first word, rest)."""
    pairs = []
    for line in text.splitlines():
        first, _sep, rest = line.strip().partition(" ")
        if first:
            pairs.append((first, rest.strip()))
    return pairs


class DivisionChangeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of change"), choices=ChangeKind.choices)
    effective_on = forms.DateField(
        label=_("Effective on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    old_codes = forms.CharField(
        label=_("Old division codes"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "numeric"}),
        help_text=_("One 12-digit code per line. To merge into an existing region, list it too."),
    )
    new_regions = forms.CharField(
        label=_("New regions"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line: the 12-digit code, a space, the name. A rename: the new name only. "
            "A move or new code may leave the name out. An abolition has none."
        ),
    )
    compounds = forms.CharField(
        label=_("Compounds (split)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "A split assigns every compound of the old community: one per line, the new code, "
            "a space, the compound's name."
        ),
    )
    document = forms.CharField(label=_("Approving document"), required=False, max_length=200)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_old_codes(self) -> list[str]:
        return [c for c in SEPARATORS.split(self.cleaned_data["old_codes"]) if c]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        olds: list[str] = data.get("old_codes") or []
        news = _lines(data.get("new_regions", ""))
        if data.get("kind") == ChangeKind.RENAME and olds:
            # A rename names only the new name; the code stays.
            text = data.get("new_regions", "").strip()
            first = news[0][0] if news else ""
            news = [(first, news[0][1])] if first.isdigit() else [(olds[0], text)]
        data["new_list"] = news
        data["assignment"] = self._assignment(olds, data.get("compounds", ""))
        return data

    def _assignment(self, olds: list[str], text: str) -> dict[int, str]:
        lines = _lines(text)
        if not lines or not olds:
            return {}
        ids = compound_ids_by_name(olds[0].ljust(12, "0"))
        assignment: dict[int, str] = {}
        unknown = [name for _code, name in lines if name not in ids]
        if unknown:
            self.add_error(
                "compounds",
                _("%(code)s has no compound named %(names)s.")
                % {"code": olds[0], "names": "、".join(unknown)},
            )
            return {}
        for code, name in lines:
            assignment[ids[name]] = code
        return assignment

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "effective_on": data["effective_on"],
            "old_codes": data["old_codes"],
            "new_regions": data["new_list"],
            "document": data["document"],
            "note": data["note"],
            "compound_assignment": data["assignment"] or None,
        }
