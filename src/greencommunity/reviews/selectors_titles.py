"""Reads of titles: the scoped list and detail for signed-in users, the public list of certified
communities and the public verification page, and the title settings that apply to a place."""

from collections.abc import Collection, Iterable
from typing import Any
from uuid import UUID

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.access.grants import subtree_q
from greencommunity.core.errors import NotFound
from greencommunity.regions.codes import Level, code_prefix, common_ancestor_code, level_of_code
from greencommunity.regions.models import Community, urban_q, valid_on_q

from .models import Title, TitleConfig, TitleStatus
from .policies_titles import scope_titles

# community → street → county → city → province: the whole path in one query.
PATH = "community__region__parent__parent__parent__parent"
SCAN_ABOVE = 5000
PUBLIC_STATUSES = [TitleStatus.VALID, TitleStatus.UNDER_RECTIFICATION]


def nearest_title_config(
    code: str, configs: Iterable[TitleConfig] | None = None
) -> TitleConfig | None:
    """The title settings of the nearest region (itself, then its ancestors) that has them.
    `configs` (every TitleConfig) saves the query when called for many codes."""
    candidates = [code[:n].ljust(12, "0") for n in (12, 9, 6, 4, 2)]  # nearest first
    if configs is None:
        configs = TitleConfig.objects.filter(region_code__in=candidates)
    found = {c.region_code: c for c in configs}
    return next((found[c] for c in candidates if c in found), None)


def communities_by_code(codes: Collection[str]) -> dict[str, tuple[int, bool]]:
    """{code: (community id, is urban)} of the communities among `codes` that exist today (for
    an import: no scope here, the importer checks each row's rights)."""
    qs = Community.objects.filter(valid_on_q(timezone.localdate(), "region__")).annotate(
        urban=ExpressionWrapper(urban_q(), output_field=BooleanField())
    )
    unique = sorted(codes)
    if len(unique) > SCAN_ABOVE:  # one scan of the subtree holding them all beats many INs
        common = common_ancestor_code(unique)
        prefix = code_prefix(common, level_of_code(common)) if common else ""
        chunks = [qs.filter(subtree_q("region__code", prefix))]
    else:
        chunks = [
            qs.filter(region__code__in=unique[i : i + 2000]) for i in range(0, len(unique), 2000)
        ]
    wanted, found = set(unique), {}
    for chunk in chunks:
        for pk, code, urban in chunk.values_list("pk", "region__code", "urban"):
            if code in wanted:
                found[code] = (pk, bool(urban))
    return found


def _code_prefix_q(prefix: str, field: str = "community__region__code") -> Q:
    return subtree_q(field, prefix) if prefix else Q()


def title_list(
    actor: Any,
    *,
    kind: str = "",
    status: str = "",
    year: int | None = None,
    region_code: str = "",
    q: str = "",
) -> QuerySet[Title]:
    """The titles of communities in the actor's regions, newest first; `region_code` is a code
    prefix (2 to 12 digits), `q` part of a community name or a certificate number."""
    qs = scope_titles(actor, Title.objects.select_related(PATH, "decision"))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    qs = qs.filter(_code_prefix_q(region_code))
    if q:
        qs = qs.filter(Q(community__region__name__icontains=q) | Q(certificate_number__icontains=q))
    return qs.order_by("-year", "-named_on", "certificate_number")


def access_title(actor: Any, title_id: int) -> Title:
    """The title, if the actor may see it; else the same not-found as a missing one."""
    title = (
        scope_titles(actor, Title.objects.select_related(PATH, "decision__region"))
        .filter(pk=title_id)
        .first()
    )
    if title is None:
        raise NotFound(_("Title not found."))
    return title


def public_title_list(*, q: str = "", kind: str = "") -> QuerySet[Title]:
    """Certified communities for the public: valid and under rectification titles, filtered by
    a code prefix (digits) or part of the name of the community or any region above it."""
    qs = Title.objects.select_related(PATH).filter(status__in=PUBLIC_STATUSES)
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()
    if q.isascii() and q.isdigit():
        qs = qs.filter(_code_prefix_q(q[:12]))
    elif q:
        names = Q()
        field = "community__region"
        for _level in range(5):
            names |= Q(**{f"{field}__name__icontains": q})
            field += "__parent"
        qs = qs.filter(names)
    return qs.order_by("community__region__code", "kind", "-year")


def public_title(public_id: UUID) -> Title:
    """The title a plaque's QR code names, whatever its status (the page shows revocation)."""
    title = Title.objects.select_related(PATH, "decision").filter(public_id=public_id).first()
    if title is None:
        raise NotFound(_("Certificate not found."))
    return title


def title_region_path(title: Title) -> list[str]:
    """Names of the regions above the community, top first (province … street)."""
    names: list[str] = []
    region = title.community.region.parent
    while region is not None:
        names.append(region.name)
        region = region.parent
    return list(reversed(names))


def title_jurisdiction_name(title: Title) -> str:
    """Who granted the title, for the plaque: the naming decision's region; for an imported
    title, the region whose title settings apply (e.g. 四川省), else the province for the
    demonstration title and the city for 绿色社区."""
    if title.decision_id is not None:
        return title.decision.region.name  # type: ignore[union-attr]  # decision_id is set
    ancestors: dict[str, str] = {}
    region = title.community.region.parent
    while region is not None:
        ancestors[region.code] = region.name
        region = region.parent
    config = nearest_title_config(title.community.region.code)
    if config is not None and config.region_code in ancestors:
        return ancestors[config.region_code]
    wanted = Level.PROVINCE if title.kind == "demonstration" else Level.CITY
    for code, name in ancestors.items():
        if level_of_code(code) == wanted:
            return name
    return next(reversed(ancestors.values()), "")
