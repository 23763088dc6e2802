"""Which review chain an application follows, and the order of its steps.

A jurisdiction's chain for a title is the `ChainAssignment` of the nearest region (the
community's own code, then its street, county, city and province) that has one; without any,
the built-in county chain applies to the green community title. The demonstration title
(省级示范绿色社区) is a provincial title: only where a chain is assigned for it.
"""

from django.utils.translation import gettext as _

from greencommunity.core.errors import ApplicationError
from greencommunity.regions.codes import ancestor_codes
from greencommunity.regions.models import Community

from ..builtin_chains import DEFAULT_CHAIN
from ..models import ChainAssignment, ReviewChain, ReviewStep, TitleKind


def chain_for(community: Community, title_kind: str) -> ReviewChain:
    """The chain for `title_kind` where `community` lies, or ApplicationError when the title
    has no chain there (the demonstration title outside a province that awards it)."""
    code = community.region.code
    candidates = [*ancestor_codes(code), code]
    assigned = {
        a.region_code: a.chain
        for a in ChainAssignment.objects.filter(
            region_code__in=candidates, title_kind=title_kind
        ).select_related("chain")
    }
    for candidate in reversed(candidates):
        if candidate in assigned:
            return assigned[candidate]
    if title_kind == TitleKind.GREEN:
        chain = ReviewChain.objects.filter(key=DEFAULT_CHAIN).first()
        if chain is not None:
            return chain
        raise ApplicationError(_("No review chain is set up: ask the administrator."))
    raise ApplicationError(
        _(
            "The title “%(title)s” is not awarded in this jurisdiction: no review chain is set "
            "up for it."
        )
        % {"title": TitleKind(title_kind).label},
        {"field": "title_kind"},
    )


def chain_steps(chain: ReviewChain) -> list[ReviewStep]:
    return list(ReviewStep.objects.filter(chain=chain).order_by("position"))


def first_step(chain: ReviewChain) -> ReviewStep:
    step = ReviewStep.objects.filter(chain=chain).order_by("position").first()
    if step is None:
        raise ApplicationError(
            _("The review chain “%(chain)s” has no steps: ask the administrator.")
            % {"chain": chain.name}
        )
    return step


def next_step(step: ReviewStep) -> ReviewStep | None:
    """The step after `step` in its chain (None after the last)."""
    return (
        ReviewStep.objects.filter(chain_id=step.chain_id, position__gt=step.position)
        .order_by("position")
        .first()
    )
