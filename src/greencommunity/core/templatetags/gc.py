"""Template helpers for the web shell: Bootstrap form fields, alerts, JSON, role checks."""

import json
from datetime import timedelta
from typing import Any

from django import forms, template
from django.core.serializers.json import DjangoJSONEncoder

from greencommunity.access.policies import is_administrator as _is_administrator

register = template.Library()

ALERT_CLASSES = {"error": "danger", "debug": "secondary"}


@register.filter
def is_administrator(user: Any) -> bool:
    """Whether the user administers accounts anywhere (shows the account-management menu)."""
    return _is_administrator(user)


@register.filter
def alert_class(tags: str) -> str:
    """Bootstrap's alert colour for a message's level tag (`error` is `danger`)."""
    level = (tags or "info").split()[-1]
    return ALERT_CLASSES.get(level, level)


@register.filter
def pretty_json(value: Any) -> str:
    """Indented JSON with Chinese left readable, for an audit event's before/after."""
    if value is None:
        return ""
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, sort_keys=True)


def _short(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)


@register.simple_tag
def change_rows(before: Any, after: Any) -> list[tuple[str, str, str]]:
    """An audit event's before → after as (field, before, after) rows when both sides are
    objects (or missing); otherwise one row with the whole values."""
    if isinstance(before, dict | None) and isinstance(after, dict | None):
        b, a = before or {}, after or {}
        keys = list(b) + [k for k in a if k not in b]
        return [(str(k), _short(b.get(k)), _short(a.get(k))) for k in keys]
    return [("", pretty_json(before), pretty_json(after))]


@register.filter
def minutes(value: Any) -> int:
    """Whole minutes of a timedelta (axes' cool-off time), rounded up."""
    if isinstance(value, timedelta):
        return max(1, -(-int(value.total_seconds()) // 60))
    return 0


def _widget_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        return "form-select"
    return "form-control"


@register.inclusion_tag("includes/form_field.html")
def form_field(field: forms.BoundField, **attrs: Any) -> dict[str, Any]:
    """One labelled Bootstrap field: its help text and errors tied to it by aria-describedby.

    Usage: `{% form_field form.name %}`, extra widget attributes as keywords with `_` for `-`
    (`{% form_field form.name placeholder="..." aria_describedby="rules" %}`).
    """
    widget = field.field.widget
    attrs = {key.replace("_", "-"): value for key, value in attrs.items()}
    choice_list = isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
    classes = [widget.attrs.get("class", ""), _widget_class(widget)]
    described = [attrs.pop("aria-describedby")] if "aria-describedby" in attrs else []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        classes.append("is-invalid")
        described.append(f"{field.auto_id}_errors")
    final: dict[str, Any] = {"class": " ".join(c for c in classes if c)}
    if described:
        final["aria-describedby"] = " ".join(described)
    if field.errors:
        final["aria-invalid"] = "true"
    final.update(attrs)
    return {
        "field": field,
        "widget": field if choice_list else field.as_widget(attrs=final),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "is_choice_list": choice_list,
    }


@register.filter
def mask_phone(value: Any) -> str:
    """A phone number for readers who may not edit it: the first 3 and last 4 characters kept,
    the middle hidden (13812340000 → 138****0000); a short number shows only its last 2."""
    text = str(value or "").strip()
    if not text:
        return ""
    if len(text) >= 8:
        return f"{text[:3]}****{text[-4:]}"
    return f"****{text[-2:]}" if len(text) > 2 else "****"


@register.filter
def elided_pages(page_obj: Any) -> list[Any]:
    """Page numbers around the current one and at both ends, "…" between (a list of a few
    items however many pages there are)."""
    paginator = page_obj.paginator
    return list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1))
