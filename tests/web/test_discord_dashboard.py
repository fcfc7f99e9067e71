"""The dashboard over Ponte on Discord (the real discord.py on the emulator): a member
logged in with Discord sees the servers where the bot gives them a role, and approving
a held post on the page edits the review card in Discord and brings the post back."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic import SecretStr

from tests.adapters.discord_support import DiscordRun, discord_emulator, only_cogs, settle
from tests.emulators.discord_emulator import DiscordEmulator
from tests.web.support import Client, csrf_in, dashboard
from tests.web.test_providers import ACCESS, CODE, provider

INSULT = "sei proprio un idiota"
JSON = dict[str, Any]


def fake_discord_for(user: dict[str, str], guilds: list[str]) -> web.Application:
    """Discord's OAuth2 endpoints, answering for one user who is in these guilds."""

    async def token(request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("code") != CODE:
            return web.json_response({"error": "invalid_grant"}, status=400)
        return web.json_response({"access_token": ACCESS, "token_type": "Bearer"})

    async def me(request: web.Request) -> web.Response:
        return web.json_response(user)

    async def listed(request: web.Request) -> web.Response:
        return web.json_response([{"id": guild} for guild in guilds])

    app = web.Application()
    app.router.add_post("/api/oauth2/token", token)
    app.router.add_get("/api/users/@me", me)
    app.router.add_get("/api/users/@me/guilds", listed)
    return app


async def _log_in(client: Client) -> None:
    sent = await client.get("/login/discord", allow_redirects=False)
    state = sent.headers["Location"].split("state=")[1].split("&")[0]
    back = await client.get(f"/login/discord/callback?code={CODE}&state={state}")
    assert back.status == 200


def _card(emu: DiscordEmulator) -> JSON:
    cards = [m for m in emu.messages[emu.channel_id("reviews")] if m.get("embeds")]
    assert cards, "no review card"
    return cards[-1]


async def test_a_discord_moderator_approves_on_the_page_and_the_card_changes(
    tmp_path: Path,
) -> None:
    async with discord_emulator() as emu:
        run = DiscordRun(emu, f"sqlite+aiosqlite:///{tmp_path / 'd.db'}", only_cogs("netiquette"))
        await run.start()
        try:
            alice = emu.add_user("alice", global_name="Alice")
            mara = emu.add_user("mara", roles=["Moderator"])
            await emu.post_message(alice, "general", INSULT)
            await emu.wait_until(
                lambda: any(m.get("embeds") for m in emu.messages[emu.channel_id("reviews")]),
                10,
                what="the review card",
            )
            await settle(emu)
            before = copy.deepcopy(_card(emu))
            assert run.app is not None
            for who, name in ((alice, "Alice"), (mara, "Mara")):
                user = {"id": who, "username": name.lower(), "global_name": name}
                async with provider(fake_discord_for(user, [emu.guild_id, "999"])) as url:
                    run.app.settings = run.app.settings.model_copy(
                        update={
                            "discord_client_id": "cid",
                            "discord_client_secret": SecretStr("csecret"),
                            "discord_oauth_url": url,
                        }
                    )
                    async with dashboard(run.app) as client:
                        await _log_in(client)
                        home = await (await client.get("/")).text()
                        review = f"/c/discord/{emu.guild_id}/review"
                        if who == alice:
                            assert review.rsplit("/", 1)[0] not in home
                            assert (await client.get(review)).status == 403
                            continue
                        assert f'href="/c/discord/{emu.guild_id}"' in home
                        page = await client.get(review)
                        text = await page.text()
                        assert INSULT in text and "Alice" in text
                        approved = await client.post(
                            f"{review}/1/approve", data={"csrf": csrf_in(text)}
                        )
                        assert "Hai approvato la revisione #1" in await approved.text()
            await settle(emu)
            after = _card(emu)
            assert after["id"] == before["id"]  # the same card, edited
            decision = [
                f["value"] for f in after["embeds"][0]["fields"] if f["name"] == "Decisione"
            ]
            assert decision and decision[0].startswith("✅ Approvato da @mara")
            assert not any(f["name"] == "Decisione" for f in before["embeds"][0]["fields"])
            assert not after.get("components") or after["components"] != before["components"]
            restored = emu.messages[emu.channel_id("general")][-1]
            assert restored["content"] == INSULT and restored.get("webhook_id")
        finally:
            await run.stop()
