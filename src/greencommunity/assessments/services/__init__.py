"""Writes of self-assessments: `lifecycle` (start, answer, submit, reopen), `evidence` (proof
files of the answers) and `rescoring` (numeric rules from indicators, cached scores, every
draft after an indicator import)."""

from .evidence import evidence_add, evidence_delete
from .lifecycle import answer_set, assessment_reopen, assessment_start, assessment_submit
from .rescoring import assessment_rescore, assessments_rescore_drafts

__all__ = [
    "answer_set",
    "assessment_reopen",
    "assessment_rescore",
    "assessment_start",
    "assessment_submit",
    "assessments_rescore_drafts",
    "evidence_add",
    "evidence_delete",
]
