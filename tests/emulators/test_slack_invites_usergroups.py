"""`conversations.invite` and user groups on the emulator, through an unmodified slack-sdk
client and a slack-bolt app in Socket Mode (no Ponte code)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from .slack import DEFAULT_BOT_SCOPES, SlackEmulator

SIGNING_SECRET = "0123456789abcdef0123456789abcdef"


@pytest.fixture
async def emu() -> AsyncIterator[SlackEmulator]:
    async with SlackEmulator(signing_secret=SIGNING_SECRET) as emulator:
        yield emulator


@pytest.fixture
def client(emu: SlackEmulator) -> AsyncWebClient:
    return AsyncWebClient(token=emu.bot_token, base_url=emu.api_url)


async def refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as info:
        await call
    answer: dict[str, Any] = info.value.response.data  # type: ignore[assignment]
    assert answer["ok"] is False
    return answer


async def test_an_invited_member_joins_and_the_app_hears_who_invited_them(
    emu: SlackEmulator, client: AsyncWebClient
) -> None:
    heard: list[dict[str, Any]] = []
    app = AsyncApp(client=client, signing_secret=SIGNING_SECRET)

    @app.event("member_joined_channel")
    async def joined(event: dict[str, Any]) -> None:
        heard.append(event)

    handler = AsyncSocketModeHandler(app, emu.app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    try:
        await emu.wait_for_connection()
        eve, leo = emu.add_user("eve"), emu.add_user("leo")
        staff = emu.channel_id("staff")

        answer = await client.conversations_invite(channel=staff, users=f"{eve},{leo}")

        assert answer["channel"]["id"] == staff and answer["channel"]["is_member"] is True
        assert {eve, leo} <= set(emu.channel_members("staff"))
        await emu.wait_for(lambda: len(heard) == 2, what="two member_joined_channel")
        assert {(e["user"], e["channel"], e["channel_type"], e["inviter"]) for e in heard} == {
            (eve, staff, "G", emu.bot_user_id),
            (leo, staff, "G", emu.bot_user_id),
        }
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]
    assert not emu.problems


async def test_an_invite_slack_refuses_invites_nobody_and_says_why_for_each_user(
    emu: SlackEmulator, client: AsyncWebClient
) -> None:
    eve, leo = emu.add_user("eve"), emu.add_user("leo", channels=["staff"])
    staff = emu.channel_id("staff")

    answer = await refusal(client.conversations_invite(channel=staff, users=f"{eve},{leo},UNOPE"))
    assert answer["error"] == "already_in_channel"
    assert answer["errors"] == [
        {"user": leo, "ok": False, "error": "already_in_channel"},
        {"user": "UNOPE", "ok": False, "error": "user_not_found"},
    ]
    assert eve not in emu.channel_members("staff")  # one refusal stops every invite

    forced = await client.conversations_invite(channel=staff, users=f"{eve},UNOPE", force=True)
    assert forced["ok"] and eve in emu.channel_members("staff")

    bot = emu.bot_user_id
    assert (await refusal(client.conversations_invite(channel=staff, users=bot)))["error"] == (
        "cant_invite_self"
    )
    assert (await refusal(client.conversations_invite(channel=staff, users="")))["error"] == (
        "no_user"
    )


async def test_the_bot_invites_only_where_it_is_and_where_its_scopes_allow(
    emu: SlackEmulator, client: AsyncWebClient
) -> None:
    eve = emu.add_user("eve")
    hidden = emu.add_channel("segreto", is_private=True, bot_member=False)
    random = emu.channel_id("random")
    dm = emu.dm_channel(eve)

    async def error(channel: str) -> str:
        return str(
            (await refusal(client.conversations_invite(channel=channel, users=eve)))["error"]
        )

    assert await error(hidden) == "channel_not_found"  # a private channel the bot is not in
    assert await error(random) == "not_in_channel"  # public: visible, but the bot is not in it
    assert await error(dm) == "method_not_supported_for_channel_type"
    emu.workspace.by_name("general").is_archived = True
    assert await error(emu.channel_id("general")) == "is_archived"
    assert eve not in emu.channel_members("segreto") + emu.channel_members("random")

    emu.bot_scopes = [s for s in DEFAULT_BOT_SCOPES if s != "groups:write"]
    answer = await refusal(client.conversations_invite(channel=emu.channel_id("staff"), users=eve))
    assert (answer["error"], answer["needed"]) == ("missing_scope", "groups:write")


async def test_user_groups_are_listed_with_their_members_when_asked(
    emu: SlackEmulator, client: AsyncWebClient
) -> None:
    eve, leo = emu.add_user("eve"), emu.add_user("leo")
    mods = emu.add_usergroup("moderatori", [eve, leo], "Moderatori")
    old = emu.add_usergroup("vecchi", [leo], disabled=True)

    (listed,) = (await client.usergroups_list())["usergroups"]
    assert (listed["id"], listed["handle"], listed["name"]) == (mods, "moderatori", "Moderatori")
    assert listed["date_delete"] == 0 and "users" not in listed and "user_count" not in listed

    both = (await client.usergroups_list(include_users=True, include_disabled=True))["usergroups"]
    assert {g["handle"]: g["users"] for g in both} == {"moderatori": [eve, leo], "vecchi": [leo]}
    assert [g["date_delete"] > 0 for g in both] == [False, True]
    counted = (await client.usergroups_list(include_count=True))["usergroups"]
    assert [g["user_count"] for g in counted] == [2]

    assert (await client.usergroups_users_list(usergroup=mods))["users"] == [eve, leo]
    gone = await refusal(client.usergroups_users_list(usergroup=old))
    assert gone["error"] == "no_such_subteam"
    revived = await client.usergroups_users_list(usergroup=old, include_disabled=True)
    assert revived["users"] == [leo]
    assert (await refusal(client.usergroups_users_list(usergroup="SNOPE")))["error"] == (
        "no_such_subteam"
    )

    emu.bot_scopes = [s for s in DEFAULT_BOT_SCOPES if s != "usergroups:read"]
    for call in (client.usergroups_list(), client.usergroups_users_list(usergroup=mods)):
        answer = await refusal(call)
        assert (answer["error"], answer["needed"]) == ("missing_scope", "usergroups:read")
