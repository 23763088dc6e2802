"""Response schemas of the campaigns API (campaigns/api.py)."""

from datetime import date

from ninja import Schema


class ProgressRegionOut(Schema):
    code: str
    name: str
    level: str


class ForecastOut(Schema):
    """At the pace of the last twelve months, to the target's due date (or the year's end)."""

    deadline: date
    certified_at_deadline: int
    on_track: bool | None
    pace_per_month: float


class ProgressEntryOut(Schema):
    """The figures of one region: distinct urban communities valid on `as_of`."""

    region: ProgressRegionOut
    year: int
    as_of: date
    as_of_basis: str
    communities: int
    on_creation_list: int
    pilots: int
    applied: int
    in_review: int
    certified: int
    demonstration: int
    certified_rate: float
    target_rate: float | None
    target_source: str | None
    target_inherited: bool | None
    needed: int | None
    forecast: ForecastOut


class ProgressOut(ProgressEntryOut):
    """A region's progress with the same figures for each child region valid on `as_of`."""

    children: list[ProgressEntryOut]
