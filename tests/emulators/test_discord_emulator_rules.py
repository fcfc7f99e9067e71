"""Rules of Discord's documentation the emulator keeps, so that a bot breaking them fails
its tests as it would fail in production: how commands and their localizations are
stored, the limits on webhooks and timeouts, what a modal may hold, and the message
updates Discord sends by itself (link previews, pins)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest

from .discord_emulator import DiscordEmulator
from .test_discord_emulator import Bot, dpy, emu

__all__ = ["dpy", "emu"]  # fixtures
JSON = dict[str, Any]
ADMINISTRATOR = 1 << 3


class Rest:
    """Raw REST calls with the bot's token, to see Discord's answers as they are."""

    def __init__(self, emu: DiscordEmulator, session: aiohttp.ClientSession) -> None:
        self.base = emu.api_url
        self.session = session
        self.headers = {"Authorization": f"Bot {emu.token}"}

    async def __call__(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """The status and JSON body (None for 204) of one call."""
        url = f"{self.base}/{path}"
        async with self.session.request(method, url, json=body, headers=self.headers) as answer:
            data = await answer.json() if answer.status != 204 else None
            return answer.status, data


@pytest.fixture
async def call(emu: DiscordEmulator) -> AsyncIterator[Rest]:
    async with aiohttp.ClientSession() as session:
        yield Rest(emu, session)


# ---------------------------------------------------------------------- commands


async def test_localizations_equal_to_the_default_are_not_kept(
    emu: DiscordEmulator, call: Rest
) -> None:
    path = f"applications/{emu.application_id}/commands"
    poll = {
        "name": "poll",
        "description": "Polls",
        "description_localizations": {"it": "Sondaggi", "en-US": "Polls", "en-GB": "Polls"},
        "options": [
            {
                "type": 3,
                "name": "language",
                "description": "Language",
                "description_localizations": {"en-US": "Language", "it": "Lingua"},
                "choices": [
                    {"name": "Italian", "value": "it", "name_localizations": {"it": "italiano"}},
                    {"name": "English", "value": "en", "name_localizations": {"en-US": "English"}},
                ],
            }
        ],
    }
    menu = {"type": 3, "name": "Segnala", "name_localizations": {"it": "Segnala"}}
    status, _ = await call("PUT", path, [poll, menu])
    assert status == 200
    _, listed = await call("GET", f"{path}?with_localizations=true")
    stored = {command["name"]: command for command in listed}
    assert stored["poll"]["description_localizations"] == {"it": "Sondaggi"}
    option = stored["poll"]["options"][0]
    assert option["description_localizations"] == {"it": "Lingua"}
    assert [c["name_localizations"] for c in option["choices"]] == [{"it": "italiano"}, None]
    assert stored["Segnala"]["name_localizations"] is None


async def test_at_most_five_message_commands_and_five_user_commands(
    emu: DiscordEmulator, call: Rest
) -> None:
    path = f"applications/{emu.application_id}/commands"
    for kind in (2, 3):
        six = [{"type": kind, "name": f"Action {n}"} for n in range(6)]
        status, body = await call("PUT", path, six)
        assert status == 400 and body["code"] == 50035
        assert body["errors"]["_errors"][0]["code"] == "APPLICATION_COMMAND_TOO_MANY"
        status, _ = await call("PUT", path, six[:5])
        assert status == 200


# ---------------------------------------------------------------------- webhooks


async def test_a_channel_holds_fifteen_webhooks_named_without_clyde_or_discord(
    emu: DiscordEmulator, call: Rest
) -> None:
    path = f"channels/{emu.channel_id('general')}/webhooks"
    for refused in ("Clyde's helper", "my discord relay", "", "x" * 81):
        status, body = await call("POST", path, {"name": refused})
        assert status == 400 and body["code"] == 50035 and "name" in body["errors"], refused
    hooks = [(await call("POST", path, {"name": f"Relay {n}"}))[1] for n in range(15)]
    status, body = await call("POST", path, {"name": "Relay 16"})
    assert (status, body["code"]) == (400, 30007)
    assert body["message"] == "Maximum number of webhooks reached (15)"
    execute = f"webhooks/{hooks[0]['id']}/{hooks[0]['token']}?wait=true"
    for refused in ("Clyde", "Discord fan", "x" * 81):
        status, body = await call("POST", execute, {"content": "hi", "username": refused})
        assert status == 400 and "username" in body["errors"], refused
    status, sent = await call("POST", execute, {"content": "hi", "username": "Alice"})
    assert status == 200 and sent["author"]["username"] == "Alice"


# ---------------------------------------------------------------------- timeouts


async def test_the_owner_and_administrators_cannot_be_timed_out(
    emu: DiscordEmulator, call: Rest
) -> None:
    guild = f"guilds/{emu.guild_id}"
    _, role = await call("POST", f"{guild}/roles", {"name": "Boss", "permissions": "8"})
    assert int(role["permissions"]) & ADMINISTRATOR
    boss = emu.add_user("boss", roles=[role["id"]])  # below the bot's role, yet an admin
    kim = emu.add_user("kim")
    until = {"communication_disabled_until": "2099-01-01T00:00:00+00:00"}
    soon = {"communication_disabled_until": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}
    for target in (boss, emu.owner_id):
        status, body = await call("PATCH", f"{guild}/members/{target}", soon)
        assert (status, body["code"]) == (403, 50013)
        assert emu.timed_out_until(target) is None
    status, _ = await call("PATCH", f"{guild}/members/{kim}", until)
    assert status == 400  # more than 28 days ahead
    status, _ = await call("PATCH", f"{guild}/members/{kim}", soon)
    assert status == 200 and emu.timed_out_until(kim) is not None


# ---------------------------------------------------------------------- modals


def text_input(**fields: Any) -> JSON:
    return {"type": 4, "custom_id": "why", "style": 1, "label": "Why?", **fields}


def modal(*components: JSON) -> JSON:
    return {"type": 9, "data": {"custom_id": "form", "title": "Form", "components": components}}


async def open_modal(emu: DiscordEmulator, call: Rest, answer: JSON) -> tuple[int, Any]:
    """Answer a fresh /ask with `answer`: the status and body of the callback."""
    record = await emu.slash_command(emu.owner_id, "general", "ask")
    return await call("POST", f"interactions/{record.id}/{record.token}/callback", answer)


async def test_a_modals_text_inputs_are_checked(emu: DiscordEmulator, call: Rest) -> None:
    ask = [{"name": "ask", "description": "Ask something"}]
    assert (await call("PUT", f"applications/{emu.application_id}/commands", ask))[0] == 200
    row = {"type": 1}
    refused = {
        "label": modal({**row, "components": [text_input(label="x" * 46)]}),
        "custom_id": modal({**row, "components": [text_input(custom_id="x" * 101)]}),
        "max_length": modal({**row, "components": [text_input(max_length=4001)]}),
        "min_length": modal({**row, "components": [text_input(min_length=-1)]}),
        "placeholder": modal({**row, "components": [text_input(placeholder="x" * 101)]}),
        "components": modal({**row, "components": [text_input(), text_input(custom_id="b")]}),
    }
    for field, answer in refused.items():
        status, body = await open_modal(emu, call, answer)
        assert status == 400 and body["code"] == 50035, field
        row_errors = body["errors"]["data"]["components"]["0"]["components"]
        found = row_errors if field == "components" else row_errors["0"]
        assert ("_errors" if field == "components" else field) in found, (field, body)
    label = {"type": 18, "label": "x" * 46, "component": text_input(label=None)}
    status, body = await open_modal(emu, call, modal(label))
    assert status == 400 and "label" in body["errors"]["data"]["components"]["0"]
    accepted = modal(
        {**row, "components": [text_input(max_length=4000, min_length=0)]},
        {"type": 18, "label": "Details", "component": text_input(custom_id="d", label=None)},
    )
    assert (await open_modal(emu, call, accepted))[0] == 204


# ---------------------------------------------------------------------- message updates


def updates(emu: DiscordEmulator, message_id: str) -> list[JSON]:
    return [
        d.payload
        for d in emu.dispatch_log
        if d.event == "MESSAGE_UPDATE" and d.payload["id"] == message_id
    ]


async def test_link_previews_and_pins_arrive_as_updates_with_no_edit_time(
    emu: DiscordEmulator, dpy: Bot
) -> None:
    kim = emu.add_user("kim")
    posted = await emu.post_message(kim, "general", "see https://example.com/a.")
    quiet = await emu.post_message(kim, "general", "no preview <https://example.com/b>")
    await emu.wait_until(lambda: updates(emu, posted["id"]), what="the preview")
    (preview,) = updates(emu, posted["id"])
    assert preview["edited_timestamp"] is None
    assert preview["embeds"] == [
        {"type": "link", "url": "https://example.com/a", "title": "example.com"}
    ]
    assert emu.get_message(quiet["id"])["embeds"] == [] and updates(emu, quiet["id"]) == []
    await emu.pin_message(posted["id"])
    await emu.wait_until(lambda: len(updates(emu, posted["id"])) == 2, what="the pin")
    pinned = updates(emu, posted["id"])[-1]
    assert pinned["pinned"] is True and pinned["edited_timestamp"] is None
    await emu.edit_message(posted["id"], content="now https://example.org")
    await emu.wait_until(lambda: len(updates(emu, posted["id"])) == 4, what="the edit")
    edit, repreview = updates(emu, posted["id"])[2:]
    assert edit["edited_timestamp"] is not None
    assert repreview["edited_timestamp"] == edit["edited_timestamp"]
    assert [e["url"] for e in repreview["embeds"]] == ["https://example.org"]
