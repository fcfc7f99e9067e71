"""The crisis alert over the Slack emulator: it reaches the staff channel with a mention
that notifies (`<!channel>` there, or the staff's user group), and is then updated."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.core.model import Role
from tests.adapters.discord_support import only_cogs
from tests.adapters.slack_support import SlackRun, bot_posts
from tests.crisis_support import COMPLAINTS
from tests.emulators.slack import SlackEmulator

ALERT = "🚨 URGENTE: picco di lamentele"


async def until_post(emu: SlackEmulator, text: str, limit: float = 15) -> list[dict[str, object]]:
    deadline = asyncio.get_running_loop().time() + limit
    while asyncio.get_running_loop().time() < deadline:
        posts = bot_posts(emu, "staff")
        if any(text in str(post) for post in posts):
            return posts
        await asyncio.sleep(0.1)
    raise TimeoutError(f"no {text!r} in #staff")


async def complain(slack: SlackRun, members: list[str], count: int, first: int = 0) -> None:
    for number in range(first, first + count):
        line = COMPLAINTS["it"][number % len(COMPLAINTS["it"])]
        await slack.emu.post_message(members[number % len(members)], "general", line)
    await slack.settle()


async def test_an_alert_reaches_the_staff_channel_with_a_channel_mention(
    slack_emu: SlackEmulator, slack_db: str
) -> None:
    slack = SlackRun(slack_emu, "socket", slack_db, overrides=only_cogs("crisis"))
    await slack.start()
    try:
        assert await slack.platform.role_mention(slack_emu.team_id, Role.STAFF) == "<!channel>"
        assert await slack.platform.role_mention(slack_emu.team_id, Role.MEMBER) is None
        members = [slack_emu.add_user(f"m{number}") for number in range(6)]
        await complain(slack, members, 5)  # five members at once: the default minimum
        posts = await until_post(slack_emu, "5 lamentele")
        assert len(posts) == 1
        assert str(posts[0]["text"]).startswith(f"<!channel> {ALERT}")
        await complain(slack, members, 4, first=1)
        await slack.advance(timedelta(minutes=1))
        posts = await until_post(slack_emu, "9 lamentele")
        assert len(posts) == 1, "updated, not posted again"
        assert slack_emu.calls_to("chat.update")
    finally:
        await slack.stop()


async def test_a_staff_user_group_is_mentioned_as_a_subteam(
    slack_emu: SlackEmulator, slack_db: str
) -> None:
    group = slack_emu.add_usergroup("crisis-team", [slack_emu.admin_user_id])
    overrides = {"slack_staff_channel": "staff,@crisis-team", **only_cogs("crisis")}
    slack = SlackRun(slack_emu, "socket", slack_db, overrides=overrides)
    await slack.start()
    try:
        mention = await slack.platform.role_mention(slack_emu.team_id, Role.STAFF)
        assert mention == f"<!subteam^{group}>"
        members = [slack_emu.add_user(f"m{number}") for number in range(6)]
        await complain(slack, members, 5)
        posts = await until_post(slack_emu, "5 lamentele")
        assert str(posts[0]["text"]).startswith(f"<!subteam^{group}> {ALERT}")
    finally:
        await slack.stop()
