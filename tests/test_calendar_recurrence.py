"""Recurrence as members type it, unrolled in local time across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.errors import UserFacingError
from cogs.calendar.recurrence import occurrences_after, parse_repeat


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("ogni lunedì", "FREQ=WEEKLY;BYDAY=MO"),
        ("Every Monday, Thursday", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("ogni lunedì e giovedì", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("il primo del mese", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("il primo lunedì del mese", "FREQ=MONTHLY;BYDAY=+1MO"),
        ("last friday of the month", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("feriali", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("settimanale", "FREQ=WEEKLY"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE"),
    ],
)
def test_what_members_type_becomes_a_rule(typed: str, rule: str) -> None:
    assert parse_repeat(typed) == rule


@pytest.mark.parametrize(
    "typed", ["ogni tanto", "every blursday", "RRULE:FREQ=NEVER", "RRULE:FREQ=SECONDLY"]
)
def test_nonsense_is_refused(typed: str) -> None:
    with pytest.raises(UserFacingError):
        parse_repeat(typed)


@given(st.text(max_size=80))
def test_parsing_never_raises_anything_but_a_clear_answer(typed: str) -> None:
    try:
        rule = parse_repeat(typed)
    except UserFacingError as error:
        assert error.key in {"calendar.bad_repeat", "calendar.too_often"}
    else:
        assert rule.startswith("FREQ=")


def test_a_weekly_hour_stays_local_across_both_changes() -> None:
    start = datetime(2027, 3, 15, 10, 0)
    instants = []
    after = datetime(2027, 3, 14, tzinfo=UTC)
    for _ in range(34):
        found = occurrences_after("FREQ=WEEKLY", start, "Europe/Rome", after)
        assert found is not None
        instants.append(found)
        after = found
    hours = {instant.hour for instant in instants}
    assert hours == {8, 9}  # 10:00 in Rome is 09:00 UTC in winter and 08:00 UTC in summer
    assert instants[1] == datetime(2027, 3, 22, 9, 0, tzinfo=UTC)
    assert instants[2] == datetime(2027, 3, 29, 8, 0, tzinfo=UTC)  # after 28 March
    assert instants[33].hour == 9  # back on winter time in November


def test_a_time_the_clocks_skip_moves_on_by_the_gap() -> None:
    found = occurrences_after(
        "FREQ=DAILY",
        datetime(2027, 3, 26, 2, 30),
        "Europe/Rome",
        datetime(2027, 3, 27, 2, 0, tzinfo=UTC),
    )
    # 02:30 does not exist in Rome on 28 March 2027: the post goes out at 03:30 local.
    assert found == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
