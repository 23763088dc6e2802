"""The demonstration quota (seed 001 三、(三) and attachment 2 note 五): "各市（州）连续三年累计
创建省级示范绿色社区数量不超过所辖城市社区总数的 10%".

limit = floor(share × the city's urban communities), share and the window of years from the
nearest `TitleConfig` (defaults 0.1 and 2020-2022); used = demonstration titles of the city's
communities named within the window and not revoked; pending = demonstration applications in
review. Applying and naming are refused when used + pending + what they add passes the limit.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.access.grants import subtree_q
from greencommunity.core.errors import ApplicationError
from greencommunity.regions.codes import PREFIX_LENGTH, Level
from greencommunity.regions.models import Community, Region, urban_q, valid_on_q

from .models import Application, ApplicationStatus, Title, TitleConfig, TitleKind, TitleStatus
from .selectors_titles import nearest_title_config

DEFAULT_SHARE = Decimal("0.1")
DEFAULT_WINDOW = (2020, 2022)


@dataclass(frozen=True)
class Quota:
    city_code: str
    share: Decimal
    urban_communities: int
    limit: int
    used: int
    pending: int
    remaining: int  # never below 0
    window: tuple[int, int]  # first and last year, inclusive


def city_code_of(code: str) -> str:
    return code[: PREFIX_LENGTH[Level.CITY]].ljust(12, "0")


def city_of(community: Community) -> Region:
    """The city (市/州) the community lies in, by its code."""
    code = city_code_of(community.region.code)
    try:
        return Region.objects.get(code=code)
    except Region.DoesNotExist:
        raise ApplicationError(
            _("The city %(code)s of this community is missing from the region tree.")
            % {"code": code}
        ) from None


def demonstration_quota(
    city_region: Region, *, on: date | None = None, exclude: Iterable[int] = ()
) -> Quota:
    """The city's demonstration quota as of `on` (default today): the urban communities
    existing that day, the titles named by then within the window. Applications whose ids are
    in `exclude` are not counted as pending (the ones being checked)."""
    on = on or timezone.localdate()
    config: TitleConfig | None = nearest_title_config(city_region.code)
    share = config.quota_share if config is not None else DEFAULT_SHARE
    window = (
        (config.quota_start_year, config.quota_end_year) if config is not None else DEFAULT_WINDOW
    )
    prefix = city_region.code[: PREFIX_LENGTH[Level.CITY]]
    urban = (
        Community.objects.filter(urban_q(), subtree_q("region__code", prefix))
        .filter(valid_on_q(on, "region__"))
        .count()
    )
    limit = math.floor(Decimal(share) * urban)
    used = (
        Title.objects.filter(
            subtree_q("community__region__code", prefix),
            kind=TitleKind.DEMONSTRATION,
            named_on__year__gte=window[0],
            named_on__year__lte=window[1],
            named_on__lte=on,
        )
        .exclude(status=TitleStatus.REVOKED)
        .count()
    )
    pending = (
        Application.objects.filter(
            subtree_q("community__region__code", prefix),
            title_kind=TitleKind.DEMONSTRATION,
            status=ApplicationStatus.IN_REVIEW,
        )
        .exclude(pk__in=list(exclude))
        .count()
    )
    return Quota(
        city_code=city_region.code, share=Decimal(share), urban_communities=urban, limit=limit,
        used=used, pending=pending, remaining=max(limit - used - pending, 0), window=window,
    )  # fmt: skip


def quota_check(
    city_region: Region, *, adding: int = 1, exclude: Iterable[int] = (), on: date | None = None
) -> Quota:
    """The quota when `adding` more demonstration titles fit (used + pending + adding ≤ limit),
    else ApplicationError naming the numbers. Naming passes the batch's applications as
    `adding` and `exclude` (they are pending themselves)."""
    quota = demonstration_quota(city_region, on=on, exclude=exclude)
    if quota.used + quota.pending + adding > quota.limit:
        raise ApplicationError(
            _(
                "The demonstration quota of %(city)s is exhausted: at most %(limit)d "
                "(%(share)s%% of %(urban)d urban communities) from %(first)d to %(last)d; "
                "%(used)d named, %(pending)d in review, %(adding)d more asked for."
            )
            % {
                "city": city_region.name,
                "limit": quota.limit,
                "share": f"{(quota.share * 100).normalize():f}",
                "urban": quota.urban_communities,
                "first": quota.window[0],
                "last": quota.window[1],
                "used": quota.used,
                "pending": quota.pending,
                "adding": adding,
            },
            {"quota": {"limit": quota.limit, "used": quota.used, "pending": quota.pending}},
        )
    return quota
