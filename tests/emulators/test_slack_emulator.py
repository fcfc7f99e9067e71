"""The Slack emulator against an unmodified slack-bolt ``AsyncApp`` (no Ponte code).

Socket Mode uses bolt's ``AsyncSocketModeHandler`` (slack_sdk's aiohttp client);
HTTP mode serves ``AsyncApp.web_app()`` on 127.0.0.1 and lets the emulator POST
signed requests to it. Only the base URL / app token point the SDK at the emulator.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from .slack import SlackEmulator, delete_message, edit_message, message_shortcut, share_file

SIGNING_SECRET = "0123456789abcdef0123456789abcdef"

VOTE_BLOCKS: list[dict[str, Any]] = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "*Approve the proposal?*"}},
    {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Approve"},
                "action_id": "approve",
                "value": "yes",
                "style": "primary",
            },
            {
                "type": "button",
                "text": {"type": "plain_text", "text": "Reject"},
                "action_id": "reject",
                "value": "no",
            },
        ],
    },
]


def _client(emu: SlackEmulator) -> AsyncWebClient:
    return AsyncWebClient(
        token=emu.bot_token,
        base_url=emu.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
    )


async def error_of(coro: Any) -> str:
    with pytest.raises(SlackApiError) as info:
        await coro
    return str(info.value.response["error"])


def _app(emu: SlackEmulator) -> AsyncApp:
    return AsyncApp(client=_client(emu), signing_secret=SIGNING_SECRET)


@pytest.fixture
async def emu() -> AsyncIterator[SlackEmulator]:
    emulator = SlackEmulator(signing_secret=SIGNING_SECRET)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def socket_app(emu: SlackEmulator) -> AsyncIterator[AsyncApp]:
    app = _app(emu)
    handler = AsyncSocketModeHandler(app, emu.app_token)
    await handler.connect_async()  # type: ignore[no-untyped-call]
    await emu.wait_for_connection()
    try:
        yield app
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


@pytest.fixture
async def http_app(emu: SlackEmulator) -> AsyncIterator[AsyncApp]:
    app = _app(emu)
    runner = web.AppRunner(app.web_app(path="/slack/events"))
    await runner.setup()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    await web.SockSite(runner, sock).start()
    emu.transport = "http"
    emu.http_target = f"http://127.0.0.1:{port}/slack/events"
    try:
        yield app
    finally:
        await runner.cleanup()


# --------------------------------------------------------------- socket mode


async def test_socket_hello_and_connection_url(emu: SlackEmulator, socket_app: AsyncApp) -> None:
    opened = emu.calls_to("apps.connections.open")
    assert len(opened) == 1 and opened[0].ok
    assert opened[0].token == emu.app_token
    assert opened[0].response["url"].startswith(f"ws://127.0.0.1:{emu.port}/link/?ticket=")
    assert emu.socket_connections == 1


async def test_team_join_reaches_app_and_welcome_is_posted(
    emu: SlackEmulator, socket_app: AsyncApp
) -> None:
    joined_channels: list[str] = []

    @socket_app.event("team_join")
    async def welcome(event: dict[str, Any], client: AsyncWebClient) -> None:
        user = event["user"]
        await client.chat_postMessage(
            channel=emu.channel_id("general"),
            text=f"Welcome <@{user['id']}>!",
            blocks=[
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": f"Welcome <@{user['id']}>!"},
                },
                {
                    "type": "context",
                    "elements": [{"type": "mrkdwn", "text": user["profile"]["display_name"]}],
                },
            ],
        )

    @socket_app.event("member_joined_channel")
    async def joined(event: dict[str, Any]) -> None:
        joined_channels.append(event["channel"])

    user_id = await emu.member_join("newbie")
    general = emu.channel_id("general")

    call = await emu.wait_for_call("chat.postMessage", lambda c: c.ok)
    assert call.params["channel"] == general
    assert call.params["blocks"][0]["text"]["text"] == f"Welcome <@{user_id}>!"  # decoded JSON
    assert call.response["channel"] == general
    assert call.response["message"]["ts"] == call.response["ts"]

    posted = emu.messages[general][-1]
    assert posted["ts"] == call.response["ts"]
    assert posted["bot_id"] == emu.bot_id and posted["user"] == emu.bot_user_id
    assert [b["type"] for b in posted["blocks"]] == ["section", "context"]
    assert all(b.get("block_id") for b in posted["blocks"])  # Slack fills block_ids in

    (team_join,) = emu.event_deliveries("team_join")
    ack = await emu.wait_for_ack(team_join)
    assert ack.payload is None and ack.raw == {"envelope_id": team_join.envelope_id}
    await emu.wait_for(lambda: joined_channels == [general])
    assert not emu.problems


async def test_slash_command_ack_payload_and_button_update(
    emu: SlackEmulator, socket_app: AsyncApp
) -> None:
    emu.sparse_payloads = "never"  # the container as Slack's live payloads fill it
    seen_actions: list[dict[str, Any]] = []

    @socket_app.command("/ponte")
    async def command(ack: Any, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack(text=f"Starting a vote: {command['text']}")
        await client.chat_postMessage(
            channel=command["channel_id"], text="Vote", blocks=VOTE_BLOCKS
        )

    @socket_app.action("approve")
    async def approve(ack: Any, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        seen_actions.append(body)
        await client.chat_update(
            channel=body["container"]["channel_id"],
            ts=body["message"]["ts"],
            text="Approved",
            blocks=[
                {
                    "type": "section",
                    "text": {"type": "mrkdwn", "text": f"Approved by <@{body['user']['id']}>"},
                }
            ],
        )

    admin = emu.admin_user_id
    general = emu.channel_id("general")
    delivery = await emu.slash_command(admin, "general", "/ponte", "lunch?")
    ack = await emu.wait_for_ack(delivery)
    assert ack.payload == {"text": "Starting a vote: lunch?"}
    assert emu.ephemerals[-1]["user"] == admin
    assert emu.ephemerals[-1]["text"] == "Starting a vote: lunch?"

    post = await emu.wait_for_call("chat.postMessage", lambda c: c.ok)
    ts = post.response["ts"]
    click = await emu.click_button(admin, (general, ts), "approve")
    await emu.wait_for_ack(click)
    await emu.wait_for_call("chat.update", lambda c: c.ok)

    (body,) = seen_actions
    assert body["type"] == "block_actions"
    assert body["container"] == {
        "type": "message",
        "message_ts": ts,
        "channel_id": general,
        "is_ephemeral": False,
    }
    action = body["actions"][0]
    assert action["type"] == "button" and action["action_id"] == "approve"
    assert action["value"] == "yes"
    assert body["message"]["ts"] == ts and body["message"]["bot_id"] == emu.bot_id
    assert action["block_id"] == body["message"]["blocks"][1]["block_id"]
    assert body["message"]["blocks"][1]["elements"][0]["action_id"] == "approve"
    assert body["response_url"].startswith(emu.base_url + "/actions/")
    assert body["trigger_id"]

    updated = emu.message(general, ts)
    assert updated is not None
    assert updated["text"] == "Approved"
    assert updated["blocks"][0]["text"]["text"] == f"Approved by <@{admin}>"
    assert updated["edited"]["user"] == emu.bot_user_id
    assert len(emu.messages[general]) == 1
    assert not emu.problems


async def test_modal_open_and_submission_with_errors(
    emu: SlackEmulator, socket_app: AsyncApp
) -> None:
    submissions: list[dict[str, Any]] = []

    @socket_app.command("/report")
    async def report(ack: Any, command: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(
            trigger_id=command["trigger_id"],
            view={
                "type": "modal",
                "callback_id": "report",
                "title": {"type": "plain_text", "text": "Report"},
                "submit": {"type": "plain_text", "text": "Send"},
                "blocks": [
                    {
                        "type": "input",
                        "block_id": "reason",
                        "label": {"type": "plain_text", "text": "Reason"},
                        "element": {"type": "plain_text_input", "action_id": "reason_text"},
                    }
                ],
            },
        )

    @socket_app.view("report")
    async def submitted(ack: Any, view: dict[str, Any]) -> None:
        submissions.append(view["state"]["values"])
        await ack(response_action="errors", errors={"reason": "Too short"})

    user = emu.add_user("reporter")
    await emu.wait_for_ack(await emu.slash_command(user, "general", "/report"))
    opened = await emu.wait_for(lambda: emu.views_opened[-1] if emu.views_opened else None)
    assert opened.user_id == user and opened.view["callback_id"] == "report"

    delivery = await emu.submit_view(user, opened.view_id, {"reason_text": "spam"})
    ack = await emu.wait_for_ack(delivery)
    assert ack.payload == {"response_action": "errors", "errors": {"reason": "Too short"}}
    assert submissions == [
        {"reason": {"reason_text": {"type": "plain_text_input", "value": "spam"}}}
    ]
    assert opened.errors == {"reason": "Too short"} and not opened.closed


async def test_rate_limited_post_is_retried_once(emu: SlackEmulator, socket_app: AsyncApp) -> None:
    @socket_app.event("app_mention")
    async def mention(say: Any) -> None:
        await say("pong")

    @socket_app.event("message")
    async def message() -> None:
        return None

    emu.rate_limit_next("chat.postMessage", count=1, retry_after=1)
    alice = emu.add_user("alice")
    started = time.monotonic()
    await emu.post_message(alice, "general", f"<@{emu.bot_user_id}> ping")

    await emu.wait_for_call("chat.postMessage", lambda c: c.ok, timeout=10)
    assert time.monotonic() - started >= 1.0  # honoured Retry-After
    assert [c.status for c in emu.calls_to("chat.postMessage")] == [429, 200]
    assert emu.calls_to("chat.postMessage")[0].response == {"ok": False, "error": "ratelimited"}
    general = emu.channel_id("general")
    assert [m["text"] for m in emu.messages[general] if m.get("bot_id")] == ["pong"]


@pytest.mark.parametrize("graceful", [False, True], ids=["closed", "disconnect-frame"])
async def test_reconnects_after_drop(
    emu: SlackEmulator, socket_app: AsyncApp, graceful: bool
) -> None:
    mentions: list[str] = []

    @socket_app.event("app_mention")
    async def mention(event: dict[str, Any]) -> None:
        mentions.append(event["text"])

    @socket_app.event("message")
    async def message() -> None:
        return None

    assert emu.socket_connection_count == 1
    await emu.drop_socket(graceful=graceful)
    await emu.wait_for(
        lambda: emu.socket_connection_count >= 2 and emu.socket_connections == 1, timeout=10
    )
    assert len(emu.calls_to("apps.connections.open")) == 2

    bob = emu.add_user("bob")
    await emu.post_message(bob, "general", f"hey <@{emu.bot_user_id}>")
    await emu.wait_for(lambda: mentions, timeout=5)
    assert mentions == [f"hey <@{emu.bot_user_id}>"]


async def test_socket_retry_attempts_reach_bolt(emu: SlackEmulator, socket_app: AsyncApp) -> None:
    retry_headers: list[str | None] = []

    @socket_app.event("reaction_added")
    async def reacted(request: Any) -> None:
        retry_headers.append(request.headers.get("x-slack-retry-num", [None])[0])

    event = {
        "type": "reaction_added",
        "user": emu.admin_user_id,
        "reaction": "tada",
        "item": {"type": "message", "channel": emu.channel_id("general"), "ts": "1.000001"},
        "event_ts": "1.000002",
    }
    first = await emu.deliver_event(event, event_id="Ev0RETRY001")
    again = await emu.deliver_event(event, event_id="Ev0RETRY001", retry_num=1)
    await emu.wait_for_ack(first)
    await emu.wait_for_ack(again)
    await emu.wait_for(lambda: len(retry_headers) == 2)
    assert sorted(retry_headers, key=str) == ["0", "1"]
    assert first.payload["event_id"] == again.payload["event_id"] == "Ev0RETRY001"


# ----------------------------------------------------------------- HTTP mode


async def test_http_signed_event_is_handled(emu: SlackEmulator, http_app: AsyncApp) -> None:
    mentions: list[dict[str, Any]] = []

    @http_app.event("app_mention")
    async def mention(event: dict[str, Any], say: Any) -> None:
        mentions.append(event)
        await say(text="hello over HTTP", thread_ts=event["ts"])

    @http_app.event("message")
    async def message() -> None:
        return None

    carol = emu.add_user("carol")
    ts = await emu.post_message(carol, "general", f"<@{emu.bot_user_id}> hi")
    (delivery,) = emu.event_deliveries("app_mention")
    ack = await emu.wait_for_ack(delivery)
    assert ack.status == 200
    assert mentions and mentions[0]["ts"] == ts

    call = await emu.wait_for_call("chat.postMessage", lambda c: c.ok)
    reply = emu.message("general", call.response["ts"])
    assert reply is not None and reply["thread_ts"] == ts
    parent = emu.message("general", ts)
    assert parent is not None and parent["reply_count"] == 1


async def test_http_url_verification(emu: SlackEmulator, http_app: AsyncApp) -> None:
    delivery = await emu.verify_url()
    ack = await emu.wait_for_ack(delivery)
    assert ack.status == 200
    assert ack.payload == {"challenge": delivery.payload["challenge"]}


@pytest.mark.parametrize("tamper", ["bad-signature", "stale-timestamp", "unsigned"])
async def test_http_rejects_bad_signatures(
    emu: SlackEmulator, http_app: AsyncApp, tamper: str
) -> None:
    ran: list[str] = []

    @http_app.event("app_mention")
    async def mention() -> None:
        ran.append("handler")

    body = json.dumps(
        {
            "token": emu.verification_token,
            "team_id": emu.team_id,
            "api_app_id": emu.app_id,
            "type": "event_callback",
            "event_id": "Ev0SIGNED01",
            "event_time": int(time.time()),
            "event": {
                "type": "app_mention",
                "user": emu.admin_user_id,
                "text": f"<@{emu.bot_user_id}> hi",
                "ts": "1.000001",
                "channel": emu.channel_id("general"),
                "event_ts": "1.000001",
            },
        }
    ).encode()
    headers = {"Content-Type": "application/json"}
    if tamper == "bad-signature":
        headers |= emu.sign(body)
        headers["X-Slack-Signature"] = "v0=" + "0" * 64
    elif tamper == "stale-timestamp":
        headers |= emu.sign(body, timestamp=int(time.time()) - 6 * 60)
    delivery = await emu.deliver_http("/slack/events", body, headers)
    ack = await emu.wait_for_ack(delivery)
    assert ack.status == 401
    await asyncio.sleep(0.1)
    assert ran == []

    # the same body, correctly signed, goes through
    good = await emu.deliver_http("/slack/events", body, {**headers, **emu.sign(body)})
    assert (await emu.wait_for_ack(good)).status == 200
    await emu.wait_for(lambda: ran)


async def test_http_slash_command_and_response_url(emu: SlackEmulator, http_app: AsyncApp) -> None:
    @http_app.command("/ponte")
    async def command(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        await ack("on it")
        await respond(
            text=f"{command['user_name']} asked: {command['text']}", response_type="in_channel"
        )

    dave = emu.add_user("dave")
    delivery = await emu.slash_command(dave, "random", "/ponte", "status")
    ack = await emu.wait_for_ack(delivery)
    assert (ack.status, ack.body, ack.payload) == (200, "on it", {"text": "on it"})
    assert emu.ephemerals[-1]["text"] == "on it" and emu.ephemerals[-1]["user"] == dave

    random_id = emu.channel_id("random")
    await emu.wait_for(lambda: emu.messages[random_id])
    (posted,) = emu.messages[random_id]
    assert posted["text"] == "dave asked: status" and posted["bot_id"] == emu.bot_id
    (response,) = emu.responses
    assert response.status == 200 and response.body["response_type"] == "in_channel"


# ------------------------------------------------------------------- Web API


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing:UserWarning")
async def test_web_api_shapes_and_validation(emu: SlackEmulator) -> None:
    client = _client(emu)
    general = emu.channel_id("general")
    staff = emu.channel_id("staff")
    eve = emu.add_user("eve", channels=["random"], display_name="Eve E.", tz="Europe/Berlin")

    auth = await client.auth_test()
    assert (auth["user_id"], auth["bot_id"], auth["team_id"]) == (
        emu.bot_user_id,
        emu.bot_id,
        emu.team_id,
    )
    app_auth = await AsyncWebClient(token=emu.app_token, base_url=emu.api_url).auth_test()
    assert app_auth["app_id"] == emu.app_id and "user_id" not in app_auth

    bad = AsyncWebClient(token="xoxb-nope", base_url=emu.api_url)
    assert await error_of(bad.chat_postMessage(channel=general, text="x")) == "invalid_auth"
    assert (
        await error_of(client.chat_postMessage(channel="C0NOPE", text="x")) == "channel_not_found"
    )
    assert (
        await error_of(client.api_call("chat.postMessage", json={"text": "x"}))
        == "channel_not_found"
    )
    assert await error_of(client.chat_postMessage(channel=general)) == "no_text"
    assert await error_of(client.chat_postMessage(channel="random", text="x")) == "not_in_channel"
    assert await error_of(client.api_call("chat.teleport", params={})) == "unknown_method"
    assert emu.calls_to("chat.teleport")[0].error == "unknown_method"
    assert await error_of(client.apps_connections_open(app_token=emu.bot_token)) == (
        "not_allowed_token_type"
    )

    button = {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "action_id": "go"}
    invalid_blocks: list[list[dict[str, Any]]] = [
        [{"type": "video", "title": {"type": "plain_text", "text": "x"}}],
        [{"type": "actions", "elements": [{"type": "button", "action_id": "x"}]}],
        [{"type": "actions", "elements": [{"type": "button", "text": button["text"]}]}],
        [{"type": "divider"}] * 51,
        [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}],
        [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
        [{"type": "actions", "elements": [{**button, "action_id": f"a{i}"} for i in range(26)]}],
        [{"type": "actions", "elements": [button]}, {"type": "actions", "elements": [button]}],
    ]
    for blocks in invalid_blocks:
        with pytest.raises(SlackApiError) as info:
            await client.chat_postMessage(channel=general, text="x", blocks=blocks)
        assert info.value.response["error"] == "invalid_blocks", blocks
        assert info.value.response["errors"]

    posted = await client.chat_postMessage(
        channel=general, text="hello", blocks=[{"type": "divider"}]
    )
    assert posted["channel"] == general and posted["message"]["text"] == "hello"
    link = await client.chat_getPermalink(channel=general, message_ts=posted["ts"])
    assert link["permalink"].endswith("/p" + posted["ts"].replace(".", ""))
    await client.reactions_add(channel=general, name="thumbsup", timestamp=posted["ts"])
    assert emu.message(general, posted["ts"])["reactions"][0]["name"] == "thumbsup"  # type: ignore[index]
    await client.chat_delete(channel=general, ts=posted["ts"])
    assert emu.message(general, posted["ts"]) is None

    eph = await client.chat_postEphemeral(channel=general, user=eve, text="psst")
    assert emu.ephemerals[-1]["ts"] == eph["message_ts"] and emu.ephemerals[-1]["user"] == eve
    assert await error_of(client.chat_postEphemeral(channel=staff, user=eve, text="x")) == (
        "user_not_in_channel"
    )

    dm = await client.conversations_open(users=eve)
    assert dm["channel"]["id"].startswith("D")
    await client.chat_postMessage(channel=dm["channel"]["id"], text="welcome!")
    assert [m["text"] for m in emu.dms_to(eve)] == ["welcome!"]
    again = await client.conversations_open(users=eve)
    assert again["already_open"] is True and again["channel"]["id"] == dm["channel"]["id"]

    conv = await client.conversations_info(channel=general, include_num_members=True)
    assert conv["channel"]["is_general"] is True and conv["channel"]["num_members"] == 3
    assert await error_of(client.conversations_info(channel="C0NOPE")) == "channel_not_found"

    names: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = await client.conversations_list(
            types="public_channel,private_channel", limit=1, cursor=cursor
        )
        pages += 1
        names += [c["name"] for c in page["channels"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert names == ["general", "random", "staff", "reviews"] and pages == 4
    members = await client.conversations_members(channel=general)
    assert eve in members["members"]
    joined = await client.conversations_join(channel=emu.channel_id("random"))
    assert joined["channel"]["is_member"] is True
    assert await error_of(client.conversations_join(channel=staff)) == (
        "method_not_supported_for_channel_type"
    )

    user = (await client.users_info(user=eve, include_locale=True))["user"]
    assert user["profile"]["display_name"] == "Eve E." and user["tz"] == "Europe/Berlin"
    assert user["is_admin"] is False and user["is_bot"] is False and user["locale"] == "en-US"
    admin = (await client.users_info(user=emu.admin_user_id))["user"]
    assert admin["is_admin"] is True and admin["is_owner"] is True and "locale" not in admin
    everyone = (await client.users_list())["members"]
    assert {"USLACKBOT", emu.bot_user_id, emu.admin_user_id, eve} <= {u["id"] for u in everyone}
    bot = (await client.bots_info(bot=emu.bot_id))["bot"]
    assert bot["user_id"] == emu.bot_user_id and bot["app_id"] == emu.app_id

    group = emu.add_usergroup("moderators", [emu.admin_user_id, eve])
    assert (await client.usergroups_users_list(usergroup=group))["users"] == [
        emu.admin_user_id,
        eve,
    ]

    upload = await client.files_upload_v2(
        channel=general, content="a,b\n1,2\n", filename="report.csv", title="Report"
    )
    assert upload["file"]["title"] == "Report"
    shared = emu.messages[general][-1]
    assert shared["files"][0]["id"] == upload["file"]["id"] and shared["upload"] is True
    assert emu.files[upload["file"]["id"]].data == b"a,b\n1,2\n"
    assert not emu.problems


# ------------------------------------------------- moderation, files, shortcuts


async def test_deleting_a_members_message_needs_an_admins_user_token_and_tells_the_app(
    emu: SlackEmulator, socket_app: AsyncApp
) -> None:
    heard: list[dict[str, Any]] = []

    @socket_app.event("message")
    async def on_message(event: dict[str, Any]) -> None:
        heard.append(event)

    emu.sparse_payloads = "never"
    eve, bob = emu.add_user("eve"), emu.add_user("bob")
    general = emu.channel_id("general")
    first = await emu.post_message(eve, "general", "first")
    second = await emu.post_message(eve, "general", "second")
    bot = _client(emu)
    admin = AsyncWebClient(token=emu.user_token(emu.admin_user_id), base_url=emu.api_url)
    who = await admin.auth_test()
    assert who["user_id"] == emu.admin_user_id and "bot_id" not in who
    member = AsyncWebClient(token=emu.user_token(bob), base_url=emu.api_url)

    assert await error_of(bot.chat_delete(channel=general, ts=first)) == "cant_delete_message"
    assert await error_of(member.chat_delete(channel=general, ts=first)) == "cant_delete_message"
    assert (await admin.chat_delete(channel=general, ts=first))["ts"] == first
    assert await error_of(admin.chat_delete(channel=general, ts=first)) == "message_not_found"
    await edit_message(emu, eve, "general", second, "second, edited")
    await delete_message(emu, eve, "general", second)
    await emu.wait_for(lambda: len(heard) == 5, what="five message events")

    deleted, changed, deleted_again = heard[2], heard[3], heard[4]
    assert (deleted["subtype"], deleted["deleted_ts"]) == ("message_deleted", first)
    assert deleted["previous_message"]["text"] == "first" and deleted["hidden"] is True
    assert changed["subtype"] == "message_changed" and changed["message"]["ts"] == second
    assert (changed["message"]["text"], changed["previous_message"]["text"]) == (
        "second, edited",
        "second",
    )
    assert deleted_again["deleted_ts"] == second and emu.messages[general] == []
    assert not emu.problems


async def test_a_custom_name_and_icon_need_chat_write_customize(emu: SlackEmulator) -> None:
    client, general = _client(emu), emu.channel_id("general")
    custom = {"username": "Eve", "icon_url": "https://example.org/eve.png"}
    honoured = await client.chat_postMessage(channel=general, text="hi", **custom)
    assert honoured["message"]["username"] == "Eve"
    assert honoured["message"]["icons"] == {"image_64": "https://example.org/eve.png"}
    emu.bot_scopes.remove("chat:write.customize")
    ignored = await client.chat_postMessage(channel=general, text="hi", **custom)
    assert "username" not in ignored["message"] and "icons" not in ignored["message"]


async def test_an_update_that_changes_a_message_but_keeps_its_block_ids_is_a_problem(
    emu: SlackEmulator,
) -> None:
    client, general = _client(emu), emu.channel_id("general")

    def section(text: str, block_id: str) -> list[dict[str, Any]]:
        return [{"type": "section", "block_id": block_id, "text": {"type": "mrkdwn", "text": text}}]

    posted = await client.chat_postMessage(channel=general, text="1", blocks=section("1", "a"))
    ts = posted["ts"]
    await client.chat_update(channel=general, ts=ts, text="1", blocks=section("1", "a"))
    await client.chat_update(channel=general, ts=ts, text="2", blocks=section("2", "b"))
    assert emu.problems == []  # the same content, or a new iteration with new ids
    await client.chat_update(channel=general, ts=ts, text="3", blocks=section("3", "b"))
    assert emu.problems == [f"chat.update of {ts} kept block_ids ['b']"]


async def test_a_shared_file_is_described_and_downloaded_with_the_bot_token(
    emu: SlackEmulator, socket_app: AsyncApp
) -> None:
    eve = emu.add_user("eve")
    file_id = await share_file(emu, eve, "general", "bank.gift", b"::Q:: ok {T}")
    client = _client(emu)
    info = (await client.files_info(file=file_id))["file"]
    assert (info["name"], info["size"], info["user"]) == ("bank.gift", 12, eve)
    assert await error_of(client.files_info(file="F0NOPE00")) == "file_not_found"
    async with aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bearer {emu.bot_token}"}
        async with session.get(info["url_private_download"], headers=headers) as answer:
            assert answer.status == 200 and await answer.read() == b"::Q:: ok {T}"
        async with session.get(info["url_private"]) as anonymous:
            # Slack's sign-in page, not an error status.
            assert anonymous.status == 200 and anonymous.content_type == "text/html"
    emu.bot_scopes.remove("files:read")
    assert await error_of(client.files_info(file=file_id)) == "missing_scope"
    assert emu.downloads == [file_id]


async def test_users_conversations_lists_a_members_channels_the_caller_may_see(
    emu: SlackEmulator,
) -> None:
    eve = emu.add_user("eve", channels=["random", "staff"])
    emu.add_channel("secret", is_private=True, members=[eve], bot_member=False)
    listed = await _client(emu).users_conversations(
        user=eve, types="public_channel,private_channel"
    )
    assert sorted(c["name"] for c in listed["channels"]) == ["general", "random", "staff"]


async def _shortcut_round_trip(emu: SlackEmulator, app: AsyncApp) -> None:
    got: list[dict[str, Any]] = []

    @app.message_shortcut("report")
    async def report(ack: Any, shortcut: dict[str, Any], respond: Any) -> None:
        await ack()
        got.append(shortcut)
        await respond(text="thanks", response_type="ephemeral")

    eve = emu.add_user("eve")
    ts = await emu.post_message(eve, "general", "rude words")
    delivery = await message_shortcut(emu, emu.admin_user_id, ("general", ts), "report")
    await emu.wait_for_ack(delivery)
    await emu.wait_for(lambda: emu.responses, what="the response_url answer")

    (payload,) = got
    assert payload["type"] == "message_action" and payload["callback_id"] == "report"
    assert payload["message_ts"] == ts and payload["message"]["user"] == eve
    assert payload["message"]["text"] == "rude words" and payload["trigger_id"]
    assert payload["channel"]["id"] == emu.channel_id("general")
    assert emu.ephemerals[-1]["text"] == "thanks"
    assert emu.ephemerals[-1]["user"] == emu.admin_user_id
    assert not emu.problems


async def test_a_message_shortcut_over_socket_mode(
    emu: SlackEmulator, socket_app: AsyncApp
) -> None:
    await _shortcut_round_trip(emu, socket_app)


async def test_a_message_shortcut_over_http(emu: SlackEmulator, http_app: AsyncApp) -> None:
    await _shortcut_round_trip(emu, http_app)


async def test_payloads_can_come_in_the_shape_of_slacks_documented_examples(
    emu: SlackEmulator, socket_app: AsyncApp
) -> None:
    heard: list[dict[str, Any]] = []
    clicks: list[dict[str, Any]] = []

    @socket_app.event("message")
    async def on_message(event: dict[str, Any]) -> None:
        heard.append(event)

    @socket_app.action("approve")
    async def approve(ack: Any, body: dict[str, Any]) -> None:
        await ack()
        clicks.append(body)

    emu.sparse_payloads = "always"
    client, general = _client(emu), emu.channel_id("general")
    eve, bob = emu.add_user("eve"), emu.add_user("bob")
    vote = await client.chat_postMessage(channel=general, text="Vote", blocks=VOTE_BLOCKS)
    await emu.wait_for_ack(await emu.click_button(eve, (general, vote["ts"]), "approve"))
    await emu.wait_for(lambda: clicks, what="the click")
    (click,) = clicks
    assert click["container"] == {"type": "message"}  # the message and channel say the rest
    assert (click["message"]["ts"], click["channel"]["id"]) == (vote["ts"], general)

    parent = await emu.post_message(eve, "general", "see <https://example.com|the site>")
    reply = await emu.post_message(bob, "general", "thanks", thread_ts=parent)
    refused = client.chat_postMessage(channel=general, text="a reply's ts", thread_ts=reply)
    assert await error_of(refused) == "invalid_thread_ts"  # Slack asks for the parent's
    await delete_message(emu, eve, "general", parent)
    await emu.wait_for(lambda: len(heard) == 4, what="post, preview, reply, tombstone")
    await delete_message(emu, bob, "general", reply)
    await emu.wait_for(lambda: len(heard) == 6, what="the reply and the tombstone gone")

    changed = [e for e in heard if e.get("subtype") == "message_changed"]
    assert all("previous_message" not in e for e in changed)
    (unfurl,) = [e for e in changed if e["message"].get("attachments")]
    assert "edited" not in unfurl["message"]  # the member changed nothing
    assert unfurl["message"]["attachments"][0]["original_url"] == "https://example.com"
    (tomb,) = [e for e in changed if e["message"].get("subtype") == "tombstone"]
    assert (tomb["message"]["ts"], tomb["message"]["user"]) == (parent, "USLACKBOT")
    deleted = [e["deleted_ts"] for e in heard if e.get("subtype") == "message_deleted"]
    assert sorted(deleted) == sorted([parent, reply])
    assert [m["ts"] for m in emu.messages[general]] == [vote["ts"]]

    outsider = emu.add_user("outsider", external=True)  # Slack Connect: no DM from a bot
    opening = client.conversations_open(users=outsider)
    assert await error_of(opening) == "invalid_user_combination"
    assert not emu.problems
