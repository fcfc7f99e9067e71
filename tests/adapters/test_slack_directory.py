"""Many members joining a large workspace at once: the workspace is listed once for all
their greetings, not once for each of them."""

from __future__ import annotations

import asyncio
import re

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.directory import PAGE, Directory
from tests.adapters.slack_support import SlackRun, bot_posts
from tests.emulators.slack import SlackEmulator

MEMBERS = 1000
JOINING = 12
ONE_LISTING = (MEMBERS + JOINING) // PAGE + 1


async def test_counts_asked_together_list_the_workspace_once(slack_emu: SlackEmulator) -> None:
    for number in range(MEMBERS):
        slack_emu.add_user(f"member{number}")
    directory = Directory(AsyncWebClient(token=slack_emu.bot_token, base_url=slack_emu.api_url))
    counts = await asyncio.gather(*(directory.member_count() for _ in range(JOINING)))
    assert set(counts) == {MEMBERS + 1}  # and the member the emulator starts with
    assert len(slack_emu.calls_to("users.list")) == ONE_LISTING


async def test_joins_arriving_together_are_greeted_with_the_workspace_count(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    for number in range(MEMBERS):
        slack_emu.add_user(f"member{number}")
    await asyncio.gather(*(slack_emu.member_join(f"new{number}") for number in range(JOINING)))
    await socket_slack.settle()

    greetings = bot_posts(slack_emu, "general")
    assert len(greetings) == JOINING
    shown = (re.findall(r"Ora siamo in ([\d.]+)\.", post["text"])[0] for post in greetings)
    counts = {int(count.replace(".", "")) for count in shown}  # 1.013: Italian thousands
    assert counts <= set(range(MEMBERS, MEMBERS + JOINING + 2))
    assert len(slack_emu.calls_to("users.list")) <= 2 * ONE_LISTING


async def test_a_listed_member_is_known_without_asking_slack_again(
    slack_emu: SlackEmulator,
) -> None:
    ids = [slack_emu.add_user(f"member{number}") for number in range(MEMBERS)]
    directory = Directory(AsyncWebClient(token=slack_emu.bot_token, base_url=slack_emu.api_url))
    await directory.member_count()
    found = await asyncio.gather(*(directory.user(user_id) for user_id in ids[::100]))
    assert [user.name if user else None for user in found] == [
        f"member{number}" for number in range(0, MEMBERS, 100)
    ]
    assert slack_emu.calls_to("users.info") == []
