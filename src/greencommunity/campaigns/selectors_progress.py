"""Progress of a region in a year (issue 6, item 3).

Counted over the tree as of day D: the end of year Y for a past year, today for the current
year, and today for a future year too (`as_of_basis` says which). Every figure is a number of
distinct communities among `communities`, the urban communities under R valid on D:

- on_creation_list: on a creation list (of any region) of year Y;
- pilots: flagged pilot on a list of any year <= Y;
- applied: with an application submitted by D (`submitted_at`; a resubmission after a return
  moves that date, so it is the latest submission);
- in_review: with an application submitted by D and not yet named, rejected or withdrawn at D:
  not closed by D (`closed_at`), no title named by D from it; one returned for revision and not
  resubmitted is still in review (the issue's definition names only those three ends);
- certified: holding a title of either kind named by D and not revoked by then (`revoked_on`
  empty or after D; a title under rectification still counts);
  demonstration: holding a demonstration title on the same terms.

Division changes: what is attached to a community closed by D (a merge, split, move or recode)
counts for the communities its change links lead to and that are valid on D, the rule of
`regions.selectors_changes.region_successors`: a merged community holds the titles,
applications and list entries of those it was merged from; each part of a split inherits them.

Speed: one statement gives every figure for R and all its children at once (`FIGURES_SQL`):
the communities of R's code range (the `code` index) are materialised once with the child's
code prefix (`Substr`) and joined to titles, applications and list entries by their indexed
community columns, counting distinct communities per prefix; it also says whether division
change links lead under R. Only when some do, a few small queries correct the figures of the
communities they lead to.
"""

import math
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from greencommunity.access.grants import subtree_q
from greencommunity.regions.codes import Level
from greencommunity.regions.models import Community, DivisionChangeLink, Region, urban_q, valid_on_q
from greencommunity.reviews.models import Application, ApplicationStatus, Title, TitleKind

from .models import CreationList, CreationListEntry, TargetKind
from .selectors_targets import ResolvedTarget, targets_for

FIGURES = ("on_creation_list", "pilots", "applied", "in_review", "certified", "demonstration")
PACE = "certified_year_before"  # certified one year before D, among the same communities
AVERAGE_MONTH_DAYS = 365.25 / 12
Counts = dict[str, int]


def progress_day(year: int, today: date) -> tuple[date, str]:
    """D and why: "year_end" (a past year), "today" (the current year) or "today_future_year"
    (a year that has not begun: nothing can be counted beyond today)."""
    if year < today.year:
        return date(year, 12, 31), "year_end"
    return today, "today" if year == today.year else "today_future_year"


def _year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


# Each figure of the communities of `base` (rows k, cid: the group key and the community), by
# table: one UNION ALL branch per table, `base` materialised once. {name} are parameters. CROSS
# JOIN makes SQLite loop over `base` and probe the tables' community indexes (PostgreSQL plans
# it as any join).
FIGURES_SQL = """
WITH base AS MATERIALIZED ({base})
SELECT k, 0, COUNT(*), 0, 0 FROM base GROUP BY k
UNION ALL
SELECT b.k, 1,
  COUNT(DISTINCT CASE WHEN {LIVE} THEN b.cid END),
  COUNT(DISTINCT CASE WHEN {LIVE} AND t.kind = {demonstration} THEN b.cid END),
  COUNT(DISTINCT CASE WHEN t.named_on <= {day0} AND (t.revoked_on IS NULL OR t.revoked_on > {day0})
                 THEN b.cid END)
FROM base b CROSS JOIN {title} t WHERE t.community_id = b.cid AND t.named_on <= {day}
GROUP BY b.k
UNION ALL
SELECT b.k, 2, COUNT(DISTINCT b.cid),
  COUNT(DISTINCT CASE WHEN NOT (a.closed_at IS NOT NULL AND a.closed_at < {end})
    AND NOT (a.closed_at IS NULL AND a.status IN ({rejected}, {withdrawn}, {named}))
    AND NOT EXISTS (SELECT 1 FROM {title} n WHERE n.application_id = a.id AND n.named_on <= {day})
    THEN b.cid END), 0
FROM base b CROSS JOIN {application} a WHERE a.community_id = b.cid AND a.submitted_at < {end}
GROUP BY b.k
UNION ALL
SELECT b.k, 3, COUNT(DISTINCT CASE WHEN l.year = {year} THEN b.cid END),
  COUNT(DISTINCT CASE WHEN e.pilot THEN b.cid END), 0
FROM base b CROSS JOIN {entry} e CROSS JOIN {list} l
WHERE e.community_id = b.cid AND l.id = e.creation_list_id AND l.year <= {year}
GROUP BY b.k
""".replace("{LIVE}", "t.named_on <= {day} AND (t.revoked_on IS NULL OR t.revoked_on > {day})")
# Whether any division change link leads to a region under the prefix (the links drive).
LINKS_SQL = """
UNION ALL
SELECT NULL, 4, COUNT(*), 0, 0 FROM {link} l CROSS JOIN {region} n
WHERE n.id = l.new_region_id AND l.old_region_id <> l.new_region_id
  AND SUBSTR(n.code, 1, {head_length}) = {head}
"""
# The branch and column each figure comes from.
COLUMNS = {
    "communities": (0, 0), "certified": (1, 0), "demonstration": (1, 1), PACE: (1, 2),
    "applied": (2, 0), "in_review": (2, 1), "on_creation_list": (3, 0), "pilots": (3, 1),
}  # fmt: skip


def _figures(
    base: QuerySet[Any], day: date, year: int, head: str = ""
) -> tuple[dict[str, Counts], bool]:
    """({k: {"communities": n, figure: n, ...}} for `base`, a queryset of values (k, cid): the
    figures as the module's docstring defines them, counted per k; whether division change
    links lead under the code prefix `head`, when given)."""
    ops = connection.ops
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    base_sql, base_params = base.query.sql_with_params()
    values: dict[str, Any] = {
        "day": ops.adapt_datefield_value(day),
        "day0": ops.adapt_datefield_value(_year_before(day)),
        "end": ops.adapt_datetimefield_value(end),
        "year": year, "demonstration": TitleKind.DEMONSTRATION.value,
        "rejected": ApplicationStatus.REJECTED.value,
        "withdrawn": ApplicationStatus.WITHDRAWN.value, "named": ApplicationStatus.NAMED.value,
        "head": head, "head_length": len(head),
    }  # fmt: skip
    tables = {
        "title": Title, "application": Application, "entry": CreationListEntry,
        "list": CreationList, "link": DivisionChangeLink, "region": Region,
    }  # fmt: skip
    params: list[Any] = []

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "base":
            params.extend(base_params)
            return base_sql
        if name in tables:
            return ops.quote_name(tables[name]._meta.db_table)
        params.append(values[name])
        return "%s"

    sql = re.sub(r"\{(\w+)\}", fill, FIGURES_SQL + (LINKS_SQL if head else ""))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = {(k, b): tuple(rest) for k, b, *rest in rows}
    groups = {
        k: {
            name: int(found.get((k, branch), (0, 0, 0))[column])
            for name, (branch, column) in COLUMNS.items()
        }
        for k, branch in found
        if branch == 0
    }
    return groups, bool(found.get((None, 4), (0,))[0])


def urban_communities(prefix: str, day: date) -> QuerySet[Community]:
    """`communities`: the urban communities under the prefix valid on `day`."""
    return Community.objects.filter(
        subtree_q("region__code", prefix), valid_on_q(day, "region__"), urban_q()
    )


def predecessors(prefix: str, day: date) -> dict[int, set[int]]:
    """{community under the prefix valid on `day`: the communities closed by then whose change
    links lead to it, directly or through other closed ones}."""
    # The head of the code and no level: no index on regions applies, so the few links drive
    # the query rather than the many regions.
    direct = (
        DivisionChangeLink.objects.annotate(head=Substr("new_region__code", 1, len(prefix)))
        .filter(head=prefix, change__effective_on__lte=day)
        .filter(valid_on_q(day, "new_region__"))
        .exclude(old_region_id=F("new_region_id"))
    )
    roots: dict[int, set[int]] = {}
    frontier: dict[int, set[int]] = {}  # closed old region -> the roots it leads to
    rows = direct.values_list(
        "new_region_id", "old_region_id", "old_region__valid_to", "new_region__level"
    )
    for new_id, old_id, old_to, level in rows:
        if level == Level.COMMUNITY and old_to is not None and old_to <= day:
            roots.setdefault(new_id, set()).add(old_id)
            frontier.setdefault(old_id, set()).add(new_id)
    while frontier:
        links = DivisionChangeLink.objects.filter(
            new_region_id__in=list(frontier), change__effective_on__lte=day,
            old_region__valid_to__lte=day,
        ).exclude(old_region_id=F("new_region_id"))  # fmt: skip
        following: dict[int, set[int]] = {}
        for new_id, old_id in links.values_list("new_region_id", "old_region_id"):
            for root in frontier[new_id]:
                if old_id not in roots[root] and old_id != root:
                    roots[root].add(old_id)
                    following.setdefault(old_id, set()).add(root)
        frontier = following
    return roots


def figure_counts(
    prefix: str, length: int, day: date, year: int
) -> tuple[dict[str, Counts], dict[int, set[int]]]:
    """({code[:length]: {"communities": n, figure: n, ...}} over the subtree of `prefix`, the
    predecessor links used)."""
    base = (
        urban_communities(prefix, day)
        .annotate(k=Substr("region__code", 1, length), cid=F("pk"))
        .values("k", "cid")
    )
    groups, linked = _figures(base, day, year, head=prefix)
    links = predecessors(prefix, day) if linked else {}
    if links:
        _inherit(groups, links, prefix, length, day, year)
    return groups, links


def _inherit(
    groups: dict[str, Counts],
    links: dict[int, set[int]],
    prefix: str,
    length: int,
    day: date,
    year: int,
) -> None:
    """Add to each group the communities that count only through their predecessors."""
    counted = dict(
        urban_communities(prefix, day).filter(pk__in=list(links)).values_list("pk", "region__code")
    )
    ids = set(counted) | {p for pk in counted for p in links[pk]}
    code_of = dict(Region.objects.filter(pk__in=ids).values_list("pk", "code"))
    base = (
        Community.objects.filter(pk__in=ids)
        .annotate(k=F("region__code"), cid=F("pk"))
        .values("k", "cid")
    )
    flags, _linked = _figures(base, day, year)
    for pk, code in counted.items():
        before = [flags[code_of[p]] for p in links[pk] if code_of.get(p) in flags]
        group = groups[code[:length]]
        for name in (*FIGURES, PACE):
            if not flags[code][name] and any(f[name] for f in before):
                group[name] += 1


def _children(region: Region, day: date) -> list[Region]:
    return list(
        Region.objects.filter(parent=region)
        .filter(valid_on_q(day))
        .only("code", "name", "level", "prefix")
        .order_by("code")
    )


def _forecast(
    counts: Counts, target: ResolvedTarget | None, day: date, year: int
) -> dict[str, Any]:
    """At the pace of the last twelve months (net change of certified communities among
    today's `communities`), to the target's due date or the end of the year."""
    communities, certified = counts["communities"], counts["certified"]
    pace = (certified - counts[PACE]) / 12
    deadline = (target.due_on if target and target.due_on else None) or date(year, 12, 31)
    months_left = max(0, (deadline - day).days) / AVERAGE_MONTH_DAYS
    at_deadline = max(0, min(communities, math.floor(certified + pace * months_left + 1e-9)))
    on_track = None if target is None else at_deadline >= math.ceil(target.value * communities)
    return {
        "deadline": deadline,
        "certified_at_deadline": at_deadline,
        "on_track": on_track,
        "pace_per_month": round(pace, 2),
    }


def _entry(
    region: Region, counts: Counts, target: ResolvedTarget | None, day: date, year: int,
    basis: str,
) -> dict[str, Any]:  # fmt: skip
    communities, certified = counts["communities"], counts["certified"]
    entry: dict[str, Any] = {
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "year": year, "as_of": day, "as_of_basis": basis, "communities": communities,
    }  # fmt: skip
    entry.update({name: counts[name] for name in FIGURES})
    entry["certified_rate"] = round(certified / communities, 3) if communities else 0.0
    entry["target_rate"] = float(target.value) if target else None
    entry["target_source"] = target.region_code if target else None
    entry["target_inherited"] = target.inherited if target else None
    entry["needed"] = max(0, math.ceil(target.value * communities) - certified) if target else None
    entry["forecast"] = _forecast(counts, target, day, year)
    return entry


def _sum(groups: Iterable[Counts]) -> Counts:
    total: Counts = dict.fromkeys(("communities", *FIGURES, PACE), 0)
    for group in groups:
        for name, value in group.items():
            total[name] += value
    return total


def region_progress(region: Region, year: int, *, today: date | None = None) -> dict[str, Any]:
    """The progress of `region` in `year` and of each child region valid on D (see the
    module's docstring); the caller has checked the actor may see the region."""
    day, basis = progress_day(year, today or timezone.localdate())
    children = _children(region, day)
    lengths = sorted({len(c.prefix) for c in children}) or [len(region.prefix)]
    by_key: dict[str, Counts] = {}
    total: Counts | None = None
    for length in lengths:
        groups, _links = figure_counts(region.prefix, length, day, year)
        if total is None:
            total = _sum(groups.values())
        by_key.update(groups)
    assert total is not None
    targets = targets_for([region.code, *(c.code for c in children)], year,
                          TargetKind.CERTIFIED_SHARE)  # fmt: skip
    empty = _sum([])
    result = _entry(region, total, targets[region.code], day, year, basis)
    result["children"] = [
        _entry(c, by_key.get(c.prefix, empty), targets[c.code], day, year, basis) for c in children
    ]
    return result
