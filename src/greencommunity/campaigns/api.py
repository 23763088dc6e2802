"""Campaigns API: the progress of a region. Thin: it loads the region through the actor's
scope (404 outside it, as for a missing code) and calls the selector.

Mounted at /regions next to the regions router (greencommunity/api.py).
"""

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router

from greencommunity.core.errors import ApplicationError
from greencommunity.regions.selectors import access_region

from .schemas import ProgressOut
from .selectors_progress import region_progress
from .services.plans import FIRST_YEAR, LAST_YEAR

router = Router(tags=["campaigns"])


@router.get("/{code}/progress", response=ProgressOut, url_name="region_progress")
def region_progress_endpoint(request: HttpRequest, code: str, year: int | None = None) -> object:
    """The region's progress in `year` (default: this year), counted over the tree as of the
    end of that year (today for the current year, and for a future year), with the same
    figures for each child region. A code outside the caller's scope answers 404."""
    region = access_region(request.user, code)
    if year is None:
        year = timezone.localdate().year
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApplicationError(
            _("The year must lie between %(first)d and %(last)d.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            {"field": "year", "value": str(year)},
        )
    return region_progress(region, year)
