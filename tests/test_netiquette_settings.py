"""Netiquette's pure parts: the escalation policy as moderators type it, the marked span."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core.errors import UserFacingError
from cogs.netiquette.render import MAX_SHOWN, mark_span, rule_key
from cogs.netiquette.settings import DEFAULT, Config, Step, parse_escalation


def test_the_default_policy_times_out_at_two_and_three_strikes() -> None:
    assert DEFAULT.timeout_for(1) is None
    assert DEFAULT.timeout_for(2) == Step(2, timedelta(hours=1))
    assert DEFAULT.timeout_for(3) == Step(3, timedelta(hours=24))
    assert DEFAULT.timeout_for(7) == Step(3, timedelta(hours=24))


def test_escalation_is_read_as_typed_in_either_language() -> None:
    assert parse_escalation("3:1g, 2:30m") == (
        Step(2, timedelta(minutes=30)),
        Step(3, timedelta(days=1)),
    )
    assert parse_escalation("-") == ()
    assert Config(escalation=()).timeout_for(10) is None


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("due:1h", "netiquette.settings.bad_escalation"),
        ("2-1h", "netiquette.settings.bad_escalation"),
        ("2:presto", "netiquette.settings.bad_escalation"),
        ("0:1h", "netiquette.settings.bad_escalation"),
        ("2:30d", "netiquette.settings.timeout_range"),
        ("1:1h,2:1h,3:1h,4:1h,5:1h,6:1h", "netiquette.settings.too_many_steps"),
    ],
)
def test_a_bad_policy_is_refused_with_its_reason(typed: str, key: str) -> None:
    with pytest.raises(UserFacingError) as raised:
        parse_escalation(typed)
    assert raised.value.key == key


def test_the_match_is_marked_and_a_long_text_cut_around_it() -> None:
    assert mark_span("sei un idiota vero", (7, 13)) == "sei un ⟦idiota⟧ vero"
    assert mark_span("ciao", None) == "ciao"
    long = "a" * 3000 + "BAD" + "b" * 3000
    shown = mark_span(long, (3000, 3003))
    assert "⟦BAD⟧" in shown and len(shown) <= MAX_SHOWN + 10
    assert mark_span("corto", (50, 60)) == "corto⟦⟧"


def test_community_rules_share_one_name_for_the_author() -> None:
    assert rule_key("custom.12") == "netiquette.rule.custom"
    assert rule_key("link.invite") == "netiquette.rule.link.invite"
