"""Applications through the review chain to titles (申报 → 推荐/初审/复核/抽验 → 公示 → 命名).

- `chains`: review chains as data (ordered steps: who decides at which level, what they may do)
  and which chain a jurisdiction uses for a title;
- `applications`: an application made from a passing self-assessment, its 审批表 fields,
  attachments, each step's decision (opinion, seal, date), reviewer scores and joint opinions;
- `sampling`: the province's sampling draw (省级抽验) over a batch of applications;
- `notices`: public notices (公示), objections (异议) and the holiday calendar for working days;
- `titles`: naming decisions (命名决定), titles (称号) with certificate numbers, and the per
  jurisdiction title settings (certificate number pattern, demonstration quota window).
"""

from .applications import (
    Application,
    ApplicationAttachment,
    ApplicationStatus,
    Decision,
    JointOpinion,
    ReviewerAnswer,
    Verdict,
)
from .chains import ChainAssignment, ReviewChain, ReviewStep, StepKind
from .notices import (
    DayBasis,
    Holiday,
    NoticeEntry,
    NoticeStatus,
    Objection,
    ObjectionStatus,
    PublicNotice,
)
from .sampling import InspectionResult, SamplingDraw, SamplingItem, SamplingStatus
from .titles import NamingDecision, Title, TitleConfig, TitleKind, TitleSource, TitleStatus

__all__ = [
    "Application",
    "ApplicationAttachment",
    "ApplicationStatus",
    "ChainAssignment",
    "DayBasis",
    "Decision",
    "Holiday",
    "InspectionResult",
    "JointOpinion",
    "NamingDecision",
    "NoticeEntry",
    "NoticeStatus",
    "Objection",
    "ObjectionStatus",
    "PublicNotice",
    "ReviewChain",
    "ReviewStep",
    "ReviewerAnswer",
    "SamplingDraw",
    "SamplingItem",
    "SamplingStatus",
    "StepKind",
    "Title",
    "TitleConfig",
    "TitleKind",
    "TitleSource",
    "TitleStatus",
    "Verdict",
]
