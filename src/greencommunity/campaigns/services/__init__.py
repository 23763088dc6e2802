"""Writes of the campaigns app: plans, targets and phases (`plans`), creation lists
(`creation_lists`)."""

from .creation_lists import creation_list_add, creation_list_remove, creation_list_set
from .plans import phase_delete, phase_set, plan_save, target_delete, target_set

__all__ = [
    "creation_list_add",
    "creation_list_remove",
    "creation_list_set",
    "phase_delete",
    "phase_set",
    "plan_save",
    "target_delete",
    "target_set",
]
