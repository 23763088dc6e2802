"""Response schemas of the accounts API (access/api.py)."""

from ninja import Schema

from .models import RoleAssignment


class RoleOut(Schema):
    role: str
    role_label: str
    region_code: str
    region_name: str
    department: str

    @staticmethod
    def resolve_role_label(obj: RoleAssignment) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_region_code(obj: RoleAssignment) -> str:
        return obj.region.code

    @staticmethod
    def resolve_region_name(obj: RoleAssignment) -> str:
        return obj.region.name


class MeOut(Schema):
    """The signed-in account and the roles it holds (each covers the region's subtree)."""

    username: str
    full_name: str
    roles: list[RoleOut]
