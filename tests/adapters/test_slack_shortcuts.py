"""Message actions as Slack message shortcuts: declared in the manifest, delivered as
`message_action` payloads (Socket Mode and HTTP), answered privately or with a modal. A
test-only cog stands for the cogs that declare actions."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from typing import ClassVar

import pytest

from bot.adapters.slack.manifest import build_manifest
from bot.app import build_translator
from bot.config import Settings
from bot.core.cards import Form, FormField
from bot.core.cog import Cog, ComponentId
from bot.core.commands import MessageAction
from bot.core.context import Context
from bot.core.model import PostedMessage, Role
from tests.adapters.slack_support import Mode, SlackRun, add_cogs, ephemerals_to
from tests.emulators.slack import SlackEmulator


class ProbeCog(Cog):
    """Three actions: one that answers privately, one that opens a form, one for moderators."""

    name = "probe"
    seen: ClassVar[list[tuple[str, PostedMessage]]] = []

    def message_actions(self) -> list[MessageAction]:
        return [
            MessageAction("probe_flag", "common.submit", self.flag),
            MessageAction("probe_ask", "common.submit", self.ask),
            MessageAction("probe_hide", "common.submit", self.flag, Role.MODERATOR),
        ]

    async def flag(self, ctx: Context, target: PostedMessage, argument: str) -> None:
        ProbeCog.seen.append((ctx.member.name, target))
        await ctx.reply(f"segnalato: {target.text} di {target.author.name}", ephemeral=True)

    async def ask(self, ctx: Context, target: PostedMessage, argument: str) -> None:
        await ctx.open_form(
            Form(
                self.component("why", target.ref.message_id),
                "Perché?",
                (FormField("why", "Motivo"),),
            )
        )

    async def on_form(
        self, ctx: Context, component: ComponentId, values: Mapping[str, str]
    ) -> None:
        await ctx.reply(f"grazie: {values['why']}", ephemeral=True)


@pytest.fixture
async def probe_slack(
    slack_emu: SlackEmulator, slack_mode: Mode, slack_db: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[SlackRun]:
    ProbeCog.seen = []
    add_cogs(monkeypatch, ProbeCog)
    run = SlackRun(slack_emu, slack_mode, slack_db)
    await run.start()
    try:
        yield run
    finally:
        await run.stop()


async def test_a_shortcut_on_a_message_reaches_its_action_and_is_answered_privately(
    slack_emu: SlackEmulator, probe_slack: SlackRun
) -> None:
    pia = slack_emu.add_user("pia")
    slack_emu.add_user("ugo")
    ts = await slack_emu.post_message(pia, "general", "guarda &lt;questo&gt;")
    await probe_slack.settle()

    await probe_slack.shortcut("ugo", "general", ts, "probe_flag")

    ((who, target),) = ProbeCog.seen
    assert who == "ugo"
    assert (target.author.name, target.text) == ("pia", "guarda <questo>")
    assert target.ref.channel_id == slack_emu.channel_id("general") and target.ref.message_id == ts
    assert ephemerals_to(slack_emu, "ugo") == ["segnalato: guarda &lt;questo&gt; di pia"]
    assert [m["ts"] for m in slack_emu.messages[target.ref.channel_id]] == [ts]  # nothing public
    assert slack_emu.problems == []  # acknowledged within Slack's three seconds


async def test_a_shortcut_in_a_thread_or_a_channel_the_bot_is_not_in_still_gets_its_answer(
    slack_emu: SlackEmulator, probe_slack: SlackRun
) -> None:
    pia = slack_emu.add_user("pia", channels=["random"])
    parent = await slack_emu.post_message(pia, "general", "domanda")
    reply = await slack_emu.post_message(pia, "general", "risposta", thread_ts=parent)
    # The bot is not in #random: Slack delivers no events from there, but shortcuts work.
    elsewhere = await slack_emu.post_message(pia, "random", "altrove")
    await probe_slack.settle()

    await probe_slack.shortcut("pia", "general", reply, "probe_flag")
    await probe_slack.shortcut("pia", "random", elsewhere, "probe_flag")

    assert [target.text for _, target in ProbeCog.seen] == ["risposta", "altrove"]
    in_thread = [e for e in slack_emu.ephemerals if e["text"].startswith("segnalato: risposta")]
    assert in_thread and in_thread[0].get("thread_ts") == parent
    assert ephemerals_to(slack_emu, "pia")[-1] == "segnalato: altrove di pia"
    assert slack_emu.problems == []


async def test_a_shortcut_can_open_a_form_and_a_moderators_one_refuses_members(
    slack_emu: SlackEmulator, probe_slack: SlackRun
) -> None:
    pia = slack_emu.add_user("pia")
    ts = await slack_emu.post_message(pia, "general", "ciao")
    await probe_slack.settle()

    await probe_slack.shortcut("pia", "general", ts, "probe_ask")
    (view,) = slack_emu.views_opened
    assert view.user_id == pia and view.view["title"]["text"] == "Perché?"

    await probe_slack.shortcut("pia", "general", ts, "probe_hide")
    assert ProbeCog.seen == []
    (refused,) = ephemerals_to(slack_emu, "pia")
    assert refused == "Questa azione è riservata al ruolo moderatore."
    assert slack_emu.problems == []


async def test_a_form_from_a_shortcut_where_the_bot_is_not_is_answered_through_its_url(
    slack_emu: SlackEmulator, probe_slack: SlackRun
) -> None:
    pia = slack_emu.add_user("pia", channels=["random"])
    # The bot is not in #random: chat.postEphemeral answers not_in_channel there.
    elsewhere = await slack_emu.post_message(pia, "random", "altrove")
    await probe_slack.settle()

    await probe_slack.shortcut("pia", "random", elsewhere, "probe_ask")
    (view,) = slack_emu.views_opened
    submitted = await slack_emu.submit_view(pia, view.view_id, {"why": "è spam"})
    await slack_emu.wait_for_ack(submitted)
    await probe_slack.settle()

    (answer,) = [e for e in slack_emu.ephemerals if e["user"] == pia]
    assert (answer["text"], answer["source"]) == ("grazie: è spam", "response_url")
    assert answer["channel"] == slack_emu.channel_id("random")
    assert slack_emu.bot_user_id not in slack_emu.channel_members("random")
    metadata = view.view["private_metadata"]
    assert len(metadata) <= 3000 and json.loads(metadata)["response_url"]
    assert slack_emu.problems == []


def test_each_message_action_is_a_message_shortcut_in_the_manifest() -> None:
    actions = ProbeCog.message_actions(ProbeCog.__new__(ProbeCog))
    for language, name in (("it", "Invia"), ("en", "Send")):
        settings = Settings(default_language=language, _env_file=None)  # type: ignore[call-arg]
        manifest = build_manifest(settings, [], build_translator(language), actions)
        shortcuts = manifest["features"]["shortcuts"]
        assert [s["callback_id"] for s in shortcuts] == ["probe_ask", "probe_flag", "probe_hide"]
        assert {s["type"] for s in shortcuts} == {"message"}
        assert {s["name"] for s in shortcuts} == {name}
        assert all(0 < len(s["description"]) <= 150 for s in shortcuts)
        assert manifest["settings"]["interactivity"]["is_enabled"] is True
    scopes = manifest["oauth_config"]["scopes"]
    assert {"commands", "chat:write.customize", "files:read", "files:write"} <= set(scopes["bot"])
    assert scopes["user"] == ["chat:write"]
    no_actions = build_manifest(settings, [], build_translator("en"))
    assert "shortcuts" not in no_actions["features"]
