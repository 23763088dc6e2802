"""Who may see, refine, change and adopt creation standards.

Everyone with a role reads the published national standards and the published standards of
the regions on their path: those issued by an ancestor of a region they hold a role on, by
that region itself, or by a region in its subtree. A draft is the issuing jurisdiction's work
in progress: only officials over the issuing region see it. Administrators and the housing
department of a region derive, edit, publish and adopt standards for that region's subtree
(the standard's issuing region, or the adopting region, lies under their grant). A national
standard (no issuing region) is changed only by platform superusers.
"""

from typing import Any

from django.db.models import Q, QuerySet

from greencommunity.access.grants import covers, grants, is_platform_superuser, scope_q
from greencommunity.access.roles import OFFICIAL_ROLES, Role
from greencommunity.regions.codes import ancestor_codes
from greencommunity.regions.models import Region

from .models import Standard, StandardStatus

EDITOR_ROLES = [Role.ADMIN, Role.HOUSING]


def _path_codes(actor: Any) -> set[str]:
    """The regions the actor holds a role on and every ancestor of them."""
    codes: set[str] = set()
    for g in grants(actor):
        codes.add(g.code)
        codes.update(ancestor_codes(g.code))
    return codes


def _on_path(actor: Any, code: str) -> bool:
    if not code:  # national
        return bool(grants(actor))
    return code in _path_codes(actor) or any(code.startswith(g.prefix) for g in grants(actor))


def can_view_standard(actor: Any, standard: Standard) -> bool:
    if is_platform_superuser(actor):
        return True
    if standard.status != StandardStatus.PUBLISHED:
        return bool(standard.issuing_code) and covers(
            actor, standard.issuing_code, roles=OFFICIAL_ROLES
        )
    return _on_path(actor, standard.issuing_code)


def can_edit_standard(actor: Any, standard: Standard) -> bool:
    """Edit the draft, publish it, start a new version. Whether the standard may still change
    (a published one may not) is the services' rule, not this one."""
    if is_platform_superuser(actor):
        return True
    return bool(standard.issuing_code) and covers(actor, standard.issuing_code, EDITOR_ROLES)


def can_derive_standard(actor: Any, parent: Standard, region: Region) -> bool:
    """Refine `parent` into a standard issued by `region` (whether `parent` may serve
    `region` at all is the services' rule: `selectors_versions.standard_applies_to`)."""
    return can_view_standard(actor, parent) and covers(actor, region.code, EDITOR_ROLES)


def can_adopt_standard(actor: Any, region: Region, standard: Standard) -> bool:
    """Put `standard` in force in `region` (and, by inheritance, in its subtree)."""
    return can_view_standard(actor, standard) and covers(actor, region.code, EDITOR_ROLES)


def scope_standards(actor: Any, queryset: QuerySet[Standard]) -> QuerySet[Standard]:
    """The standards `can_view_standard` lets the actor see, as a filter."""
    if is_platform_superuser(actor):
        return queryset
    if not grants(actor):
        return queryset.none()
    on_path = (
        Q(issuing_code="")
        | Q(issuing_code__in=sorted(_path_codes(actor)))
        | scope_q(actor, "issuing_code")
    )
    published = Q(status=StandardStatus.PUBLISHED) & on_path
    drafts = ~Q(status=StandardStatus.PUBLISHED) & scope_q(
        actor, "issuing_code", roles=OFFICIAL_ROLES
    )
    return queryset.filter(published | drafts)
