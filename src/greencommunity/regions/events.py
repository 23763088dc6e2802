"""Who wants to know when a community's yearly indicators change. Apps above the registry
(assessments re-score their drafts) subscribe in AppConfig.ready(); the registry's services
call `indicators_changed` inside their transaction and the listeners run after it commits."""

from collections.abc import Callable, Iterable
from functools import partial

from django.db import transaction

Listener = Callable[[list[int]], None]
_LISTENERS: list[Listener] = []


def on_indicators_changed(listener: Listener) -> None:
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


def indicators_changed(community_ids: Iterable[int]) -> None:
    ids = sorted(set(community_ids))
    if not ids:
        return
    for listener in _LISTENERS:
        transaction.on_commit(partial(listener, ids))
