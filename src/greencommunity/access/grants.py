"""What an actor holds: role grants on regions, and the queries they open.

Every app's `policies.py` builds on these three functions, so region scoping is decided in
one place. A grant on a region covers the region's whole subtree (code prefix).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from greencommunity.regions.codes import code_prefix


@dataclass(frozen=True)
class Grant:
    role: str
    code: str
    prefix: str
    level: str
    department: str = ""


def grants(actor: Any) -> tuple[Grant, ...]:
    """The actor's grants, loaded once per actor object."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return ()
    cached = getattr(actor, "_gc_grants", None)
    if cached is None:
        cached = tuple(
            Grant(
                role=a.role,
                code=a.region.code,
                prefix=code_prefix(a.region.code, a.region.level),
                level=a.region.level,
                department=a.department,
            )
            for a in actor.roles.select_related("region")
        )
        actor._gc_grants = cached
    return cached


def forget_grants(actor: Any) -> None:
    actor.__dict__.pop("_gc_grants", None)


def is_platform_superuser(actor: Any) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False) and actor.is_active and actor.is_superuser
    )


def covers(actor: Any, code: str, roles: Iterable[str] | None = None) -> bool:
    """Whether the actor holds one of `roles` (any role when None) over the region `code`."""
    if is_platform_superuser(actor):
        return True
    wanted = set(roles) if roles is not None else None
    return any(
        code.startswith(g.prefix) for g in grants(actor) if wanted is None or g.role in wanted
    )


def scope_q(actor: Any, field: str, roles: Iterable[str] | None = None) -> Q:
    """A filter keeping rows whose `field` (a 12-digit code) lies under the actor's grants."""
    if is_platform_superuser(actor):
        return Q()
    wanted = set(roles) if roles is not None else None
    prefixes = sorted({g.prefix for g in grants(actor) if wanted is None or g.role in wanted})
    # Drop prefixes already covered by a shorter one.
    kept: list[str] = []
    for p in sorted(prefixes, key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    if not kept:
        return Q(pk__in=[])
    q = Q()
    for p in kept:
        q |= subtree_q(field, p)
    return q


def subtree_q(field: str, prefix: str) -> Q:
    """Codes starting with `prefix`, as a range both SQLite and PostgreSQL answer from an index
    (a LIKE 'prefix%' is a full scan on SQLite). Codes are exactly 12 digits."""
    return Q(**{f"{field}__gte": prefix.ljust(12, "0"), f"{field}__lte": prefix.ljust(12, "9")})
