from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.durations import MAX_DURATION, DurationError, format_duration_compact, parse_duration


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90m", timedelta(minutes=90)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("2d", timedelta(days=2)),
        ("2g", timedelta(days=2)),
        ("1 ora", timedelta(hours=1)),
        ("3 ore", timedelta(hours=3)),
        ("1w", timedelta(weeks=1)),
        ("45s", timedelta(seconds=45)),
        ("2H", timedelta(hours=2)),
    ],
)
def test_durations_people_type(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "h", "1x", "-1h", "0m", "1h abc", "9999999w", "1.5h"])
def test_not_durations(text: str) -> None:
    with pytest.raises(DurationError):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=int(MAX_DURATION.total_seconds())))
def test_compact_form_round_trips(seconds: int) -> None:
    duration = timedelta(seconds=seconds)
    assert parse_duration(format_duration_compact(duration)) == duration


@given(st.text(max_size=30))
def test_parser_only_answers_or_refuses(text: str) -> None:
    try:
        duration = parse_duration(text)
    except DurationError:
        return
    assert timedelta(0) < duration <= MAX_DURATION
