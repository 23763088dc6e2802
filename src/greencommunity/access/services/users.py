"""Accounts: create, reset and change passwords, grant and revoke roles, API tokens."""

import secrets
import string
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from greencommunity.audit.services import audit_record
from greencommunity.core.errors import ApplicationError, NotFound, PermissionDenied
from greencommunity.regions.models import Region

from ..grants import forget_grants
from ..models import ApiToken, RoleAssignment, User
from ..policies import can_administer_region, can_grant_role, can_manage_user

USER_AUDIT_FIELDS = ["username", "full_name", "phone", "organisation", "is_active"]


def generate_initial_password(length: int = 14) -> str:
    """A random password meeting the rules, for an administrator to hand over once."""
    alphabet = string.ascii_letters + string.digits
    while True:
        pw = (
            "".join(secrets.choice(alphabet) for _ in range(length - 2))
            + "-"
            + secrets.choice(string.digits)
        )
        if any(c.isupper() for c in pw) and any(c.islower() for c in pw):
            return pw


def _check_password(password: str, user: User | None = None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), {"field": "password"}) from exc


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    home_region: Region,
    full_name: str = "",
    phone: str = "",
    organisation: str = "",
    password: str | None = None,
    password_hash: str | None = None,
    roles: list[tuple[str, Region, str]] | None = None,
    audit: bool = True,
) -> tuple[User, str]:
    """Create an account that must change its password at first login.

    Returns the user and the initial password (generated when not given) to hand over.
    `roles` are (role, region, department) triples, each checked against the actor's grants.
    """
    username = username.strip()
    if not username:
        raise ApplicationError(_("A username is required."), {"field": "username"})
    if not can_administer_region(actor, home_region):
        raise PermissionDenied(
            _("You do not administer %(region)s.") % {"region": home_region.name}
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            _("The username %(username)s is taken.") % {"username": username}, {"field": "username"}
        )
    initial = password or generate_initial_password()
    user = User(
        username=username,
        full_name=full_name.strip(),
        phone=phone.strip(),
        organisation=organisation.strip(),
        home_region=home_region,
        must_change_password=True,
    )
    if password_hash is not None:
        # Hashed before the caller's transaction (bulk imports: hashing is slow on purpose and
        # must not hold the write lock); `password` is then the matching generated password.
        user.password = password_hash
    else:
        _check_password(initial, user)
        user.set_password(initial)
    user.save()
    for role, region, department in roles or []:
        role_grant(
            actor=actor, user=user, role=role, region=region, department=department, audit=audit
        )
    if audit:
        audit_record(
            actor=actor,
            verb="user.create",
            target=user,
            region_code=home_region.code,
            after={f: getattr(user, f) for f in USER_AUDIT_FIELDS},
        )
    return user, initial


@transaction.atomic
def role_grant(
    *, actor: Any, user: User, role: str, region: Region, department: str = "", audit: bool = True
) -> RoleAssignment:
    """Give `user` a role on `region`; granting a role the user already holds changes nothing."""
    if not can_manage_user(actor, user):
        raise NotFound(_("Account not found."))
    if not can_grant_role(actor, role, region):
        raise PermissionDenied(
            _("You may not grant the role %(role)s on %(region)s.")
            % {"role": role, "region": region.name}
        )
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, region=region, defaults={"department": department.strip()}
    )
    forget_grants(user)
    if audit and created:
        audit_record(
            actor=actor,
            verb="role.grant",
            target=user,
            region_code=region.code,
            after={"role": role, "region": region.code, "department": department},
        )
    return assignment


@transaction.atomic
def role_revoke(*, actor: Any, assignment: RoleAssignment) -> None:
    if not can_manage_user(actor, assignment.user) or not can_grant_role(
        actor, assignment.role, assignment.region
    ):
        raise NotFound(_("Account not found."))
    before = {"role": assignment.role, "region": assignment.region.code}
    assignment.delete()
    forget_grants(assignment.user)
    audit_record(
        actor=actor,
        verb="role.revoke",
        target=assignment.user,
        region_code=assignment.region.code,
        before=before,
    )


@transaction.atomic
def user_reset_password(*, actor: Any, user: User) -> str:
    """An administrator above the user sets a new one-time password (no e-mail needed)."""
    if not can_manage_user(actor, user):
        raise NotFound(_("Account not found."))
    password = generate_initial_password()
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    audit_record(
        actor=actor,
        verb="user.password_reset",
        target=user,
        region_code=user.home_region.code if user.home_region else "",
    )
    return password


@transaction.atomic
def user_change_password(*, actor: User, old_password: str, new_password: str) -> None:
    """The user chooses their own password (required at first login)."""
    if not actor.check_password(old_password):
        raise ApplicationError(_("Your current password is wrong."), {"field": "old_password"})
    if old_password == new_password:
        raise ApplicationError(
            _("The new password must differ from the current one."), {"field": "new_password"}
        )
    _check_password(new_password, actor)
    actor.set_password(new_password)
    actor.must_change_password = False
    actor.password_changed_at = timezone.now()
    actor.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit_record(
        actor=actor,
        verb="user.password_change",
        target=actor,
        region_code=actor.home_region.code if actor.home_region else "",
    )


@transaction.atomic
def user_set_active(*, actor: Any, user: User, active: bool) -> None:
    if not can_manage_user(actor, user):
        raise NotFound(_("Account not found."))
    before = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        verb="user.activate" if active else "user.deactivate",
        target=user,
        region_code=user.home_region.code if user.home_region else "",
        before={"is_active": before},
        after={"is_active": active},
    )


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A personal API token for the actor; the key is returned once and stored hashed."""
    key = "gc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name.strip() or "token",
        key_prefix=key[:8],
        key_hash=ApiToken.hash_key(key),
    )
    audit_record(
        actor=actor,
        verb="token.create",
        target=actor,
        after={"name": token.name, "prefix": token.key_prefix},
    )
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise NotFound(_("Token not found."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor, verb="token.revoke", target=actor, before={"prefix": token.key_prefix}
    )


def token_authenticate(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
