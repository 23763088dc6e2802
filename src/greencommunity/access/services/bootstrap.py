"""The first account of a deployment, created by the operator from the command line."""

from django.db import transaction

from greencommunity.audit.services import audit_record
from greencommunity.regions.models import Region

from ..models import RoleAssignment, User
from ..roles import Role
from .users import _check_password


@transaction.atomic
def admin_bootstrap(
    *,
    username: str,
    password: str,
    region: Region,
    full_name: str = "",
    must_change_password: bool = True,
) -> User:
    """An administrator of `region` (and everything below it), created by the operator."""
    user = User(
        username=username,
        full_name=full_name,
        home_region=region,
        must_change_password=must_change_password,
    )
    _check_password(password, user)
    user.set_password(password)
    user.save()
    RoleAssignment.objects.create(user=user, role=Role.ADMIN, region=region)
    audit_record(
        actor=None,
        verb="user.bootstrap_admin",
        target=user,
        region_code=region.code,
        after={"username": username, "role": Role.ADMIN, "region": region.code},
    )
    return user
