from datetime import date

import pytest

from greencommunity.reviews.calendar import is_working_day, period_end


def test_calendar_period_counts_every_day():
    assert period_end(date(2022, 9, 29), 7, working=False) == date(2022, 10, 5)


def test_working_days_skip_weekends():
    # Monday 2022-11-07 + 7 working days ends Tuesday 2022-11-15
    assert period_end(date(2022, 11, 7), 7, working=True) == date(2022, 11, 15)


def test_start_on_a_weekend_counts_from_the_next_working_day():
    assert period_end(date(2022, 11, 5), 1, working=True) == date(2022, 11, 7)


def test_national_day_holidays_and_make_up_days():
    # 2022 National Day: Oct 1-7 off; Saturday Oct 8 and Sunday Oct 9 are make-up working days
    holidays = [date(2022, 10, d) for d in range(1, 8)]
    workdays = [date(2022, 10, 8), date(2022, 10, 9)]
    # from Thursday Sep 29: 29, 30, Oct 8, 9, 10, 11, 12 → the 7th working day is Oct 12
    assert period_end(
        date(2022, 9, 29), 7, working=True, holidays=holidays, workdays=workdays
    ) == date(2022, 10, 12)
    assert not is_working_day(date(2022, 10, 3), set(holidays), set(workdays))
    assert is_working_day(date(2022, 10, 8), set(holidays), set(workdays))


def test_a_period_has_a_day():
    with pytest.raises(ValueError):
        period_end(date(2022, 1, 1), 0, working=True)
