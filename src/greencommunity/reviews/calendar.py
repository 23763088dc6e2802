"""Working days for public notices: Monday to Friday, less the holidays, plus the make-up
working days on weekends (调休), both from `Holiday` rows the administrators keep."""

from collections.abc import Iterable
from datetime import date, timedelta


def is_working_day(day: date, holidays: set[date], workdays: set[date]) -> bool:
    if day in workdays:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def period_end(
    start: date,
    days: int,
    *,
    working: bool,
    holidays: Iterable[date] = (),
    workdays: Iterable[date] = (),
) -> date:
    """The last day of a period of `days` days beginning on `start` (counted when it is a
    working day, for a working-day period). Calendar: start + days - 1."""
    if days < 1:
        raise ValueError("a period has at least one day")
    if not working:
        return start + timedelta(days=days - 1)
    off, extra = set(holidays), set(workdays)
    day, counted = start, 0
    while True:
        if is_working_day(day, off, extra):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)
