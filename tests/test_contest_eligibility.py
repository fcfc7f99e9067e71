"""Entry requirements: the first one a member misses is named, with how far they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.model import Member, Role
from cogs.contests.eligibility import Facts, Requirements, refusal

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def facts(
    roles: frozenset[str] | None = frozenset(),
    days: int = 30,
    messages: int = 0,
    core: frozenset[Role] = frozenset({Role.MEMBER}),
) -> Facts:
    member = Member("discord", "g1", "42", "ada", roles=core)
    return Facts(member, roles, NOW - timedelta(days=days, hours=1), messages, NOW)


def test_nothing_required_lets_everyone_in() -> None:
    assert refusal(Requirements(), facts(roles=None, days=0)) is None


def test_a_role_is_matched_by_name_or_id_whatever_the_case() -> None:
    needs = Requirements(role="Veterani")
    assert refusal(needs, facts(roles=frozenset({"veterani"}))) is None
    assert refusal(Requirements(role="1234"), facts(roles=frozenset({"1234"}))) is None
    missed = refusal(needs, facts(roles=frozenset({"nuovi"})))
    assert missed is not None and missed.key == "contests.refused.role"
    assert missed.params == {"role": "Veterani"}


def test_unknown_roles_refuse_only_a_giveaway_that_needs_one() -> None:
    unknown = refusal(Requirements(role="Veterani"), facts(roles=None))
    assert unknown is not None and unknown.key == "contests.refused.role_unknown"
    assert refusal(Requirements(days=3), facts(roles=None)) is None
    # Ponte's own roles count where the platform cannot tell.
    staff = facts(roles=None, core=frozenset({Role.MEMBER, Role.STAFF}))
    assert refusal(Requirements(role="staff"), staff) is None


def test_days_and_messages_say_how_far_the_member_is() -> None:
    early = refusal(Requirements(days=7), facts(days=2))
    assert early is not None and early.params == {"days": 7, "have": 2, "left": 5}
    quiet = refusal(Requirements(days=7, messages=10), facts(days=9, messages=4))
    assert quiet is not None and quiet.key == "contests.refused.messages"
    assert quiet.params == {"messages": 10, "have": 4, "left": 6}
    assert refusal(Requirements(days=7, messages=10), facts(days=7, messages=10)) is None
