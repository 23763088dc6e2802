"""Readable names of audit verbs. Each app registers its own in AppConfig.ready(); an
unknown verb is shown as recorded."""

from collections.abc import Mapping
from typing import Any

_LABELS: dict[str, Any] = {}


def register_verb_labels(labels: Mapping[str, Any]) -> None:
    _LABELS.update(labels)


def verb_label(verb: str) -> Any:
    if verb in _LABELS:
        return _LABELS[verb]
    family = verb.split(".", 1)[0] + ".*"  # e.g. "division.*" for division.merge, .split ...
    return _LABELS.get(family, verb)
