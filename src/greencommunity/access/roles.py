"""Roles a user holds on a region. A role on a region covers its whole subtree."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Platform administrator")
    HOUSING = "housing", _("Housing department (reviewer)")
    DEPARTMENT = "department", _("Other department")
    STREET = "street", _("Street office")
    COMMUNITY = "community", _("Community committee")
    EXPERT = "expert", _("Expert")


# Roles allowed to read the whole of their subtree's campaign data and its audit trail.
OFFICIAL_ROLES = frozenset({Role.ADMIN, Role.HOUSING, Role.DEPARTMENT, Role.STREET})
# The region level each role may be held at (an admin or expert at any level).
ROLE_LEVELS = {
    Role.ADMIN: {"province", "city", "county"},
    Role.HOUSING: {"province", "city", "county"},
    Role.DEPARTMENT: {"province", "city", "county", "street"},
    Role.STREET: {"street"},
    Role.COMMUNITY: {"community"},
    Role.EXPERT: {"province", "city", "county"},
}
