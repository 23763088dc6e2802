"""Writes of applications: `applications` (create, fill in, submit, withdraw), `attachments`
(files and seal images), `decisions` (deciding review steps, joint opinions, and
`application_move`, the one transition the batch services use too), `scores` (the reviewer's
own score) and `chains` (which chain applies, the order of its steps). The batch steps:
`sampling` (省级抽验), `notices` (公示), `objections` (异议) and `naming` (命名), with what
they share in `batches`."""

from .applications import (
    application_create,
    application_submit,
    application_update,
    application_withdraw,
)
from .attachments import attachment_add, attachment_delete
from .chains import chain_for, first_step, next_step
from .decisions import (
    application_decide,
    application_move,
    joint_opinion_add,
)
from .naming import naming_decide
from .notices import notice_close, notice_create
from .objections import objection_resolve, objection_submit
from .sampling import sampling_decide, sampling_draw_create, sampling_draw_run, sampling_inspect
from .scores import reviewer_answer_set

__all__ = [
    "application_create",
    "application_decide",
    "application_move",
    "application_submit",
    "application_update",
    "application_withdraw",
    "attachment_add",
    "attachment_delete",
    "chain_for",
    "first_step",
    "joint_opinion_add",
    "naming_decide",
    "next_step",
    "notice_close",
    "notice_create",
    "objection_resolve",
    "objection_submit",
    "reviewer_answer_set",
    "sampling_decide",
    "sampling_draw_create",
    "sampling_draw_run",
    "sampling_inspect",
]
