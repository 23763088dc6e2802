"""Response schemas of the regions API (regions/api.py)."""

from ninja import Schema

from .models import Region


class RegionOut(Schema):
    """A region in a list: the actor's roots, or a region's children."""

    code: str
    name: str
    level: str
    level_label: str
    child_count: int

    @staticmethod
    def resolve_level_label(obj: Region) -> str:
        return str(obj.get_level_display())


class RegionCrumbOut(Schema):
    code: str
    name: str
    level: str


class RegionDetailOut(Schema):
    """One region with where it sits in the tree and what lies directly below it."""

    code: str
    name: str
    level: str
    level_label: str
    parent: str | None
    breadcrumbs: list[RegionCrumbOut]
    children: list[RegionOut]
