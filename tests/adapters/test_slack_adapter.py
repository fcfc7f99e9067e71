"""The Slack adapter end to end: the real slack-bolt app against the local Slack emulator,
in Socket Mode and in HTTP mode, with the same cogs the console runs."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select

from bot.adapters.slack import SlackConfigurationError
from bot.adapters.slack.blocks import block_kind, render
from bot.adapters.slack.manifest import build_manifest
from bot.app import build_translator
from bot.config import Settings
from bot.core.cards import Button, ButtonStyle, Card, Field, Image, Message
from bot.core.clock import AdjustableClock
from bot.core.events import MemberLeft, MessageEdited, MessagePosted
from bot.storage.models import KnownMember, ProcessedEvent
from cogs.polls.cog import PollsCog
from tests.adapters.slack_support import (
    Mode,
    Recorder,
    ScriptOverSlack,
    SlackRun,
    block,
    bot_posts,
    button_ids,
    console_outcomes,
    ephemerals_to,
    field_texts,
    slack_outcomes,
)
from tests.blackbox import bot_environment
from tests.emulators.slack import SlackEmulator
from tests.emulators.slack.blocks import validate_message_blocks
from tests.emulators.slack.payloads import (
    event_callback,
    member_joined_channel_event,
    team_join_event,
)
from tests.harness import running_bot

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "docs" / "demo" / "demo-it.txt"
MEMBERS = ("ada", "alice", "bruno", "mara")


async def test_member_join_gets_a_welcome_and_a_dm(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    eve = await slack_emu.member_join("eve")
    await slack.settle()

    (greeting,) = bot_posts(slack_emu, "general")
    assert greeting["text"] == f"👋 Benvenuto/a <@{eve}> in Ponte! Ora siamo in 2."
    (dm,) = slack_emu.dms_to(eve)
    title = block(dm, "title")
    assert title is not None and title["text"]["text"] == "Benvenuto/a in Ponte!"
    assert "Rispetta tutti" in dm["text"]  # the rules, also in the notification text
    # team_join welcomes; the member_joined_channel that follows does not welcome again
    assert len(slack_emu.event_deliveries("member_joined_channel")) == 1
    assert slack_emu.problems == []


async def test_the_console_demo_has_the_same_outcomes_on_slack(
    slack_emu: SlackEmulator, slack: SlackRun, tmp_path: Path
) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    async with running_bot(tmp_path / "console.db", "it") as console:
        await console.say(*lines)
        expected = await console_outcomes(console)

    # The workspace's first owner steps aside: ada, who joins as admin, is the first member.
    slack_emu.users[slack_emu.admin_user_id].deleted = True
    script = ScriptOverSlack(slack)
    deadline = lines.index("advance 2h")
    await script.play(lines[:deadline])

    # Live: one Block Kit poll, updated in place by each vote; the changed vote moved.
    (poll,) = [m for m in bot_posts(slack_emu, "general") if block(m, "buttons")]
    assert field_texts(poll) == [
        "*Pizza*\n░░░░░░░░░░░░ 0 voti · 0%",
        "*Pasta*\n████████████ 2 voti · 100%",
    ]
    assert list(button_ids(poll)) == ["Pizza", "Pasta", "Chiudi sondaggio"]
    updates = [c for c in slack_emu.calls_to("chat.update") if c.params["ts"] == poll["ts"]]
    assert len(updates) == 3 and all(c.ok and c.params["blocks"] for c in updates)
    # Each iteration of the card has block ids of its own, as Slack asks of an update.
    sent = [
        json.loads(c.params["blocks"])
        if isinstance(c.params["blocks"], str)
        else c.params["blocks"]
        for c in updates
    ]
    iterations = [{b["block_id"] for b in blocks} for blocks in sent]
    assert all(not (a & b) for a, b in itertools.pairwise(iterations))
    assert slack_emu.problems == []

    await script.play(lines[deadline:])
    seen = slack_outcomes(slack_emu, ("nuovi",))
    closed = slack_emu.message("general", poll["ts"])
    assert closed is not None and block(closed, "buttons") is None  # no buttons once closed

    assert set(expected.posts) == {"general", "benvenuti", *(f"dm:{n}" for n in MEMBERS)}
    assert expected.posts["benvenuti"][0].text == "Ciao @alice, benvenuto/a in Ponte! Siamo in 2."
    assert len(expected.ephemerals) == 6
    assert seen.posts == expected.posts
    assert seen.ephemerals == expected.ephemerals
    assert (
        seen.roles == expected.roles == {("alice", "nuovi"), ("bruno", "nuovi"), ("mara", "nuovi")}
    )
    assert slack_emu.problems == []


# -- polls across a restart ----------------------------------------------------------------

POLL = '/poll "Pizza o pasta?" "Pizza" "Pasta" duration:1h'


async def open_poll(run: SlackRun, user: str = "alice", channel: str = "general") -> str:
    """Run POLL; return the ts of the poll's message."""
    await run.command(user, channel, POLL)
    polls = [m for m in bot_posts(run.emu, channel) if block(m, "buttons")]
    assert polls, "no poll was posted"
    return str(polls[-1]["ts"])


def tallies(slack_emu: SlackEmulator, ts: str) -> list[str]:
    message = slack_emu.message("general", ts)
    assert message is not None
    return field_texts(message)


async def poll_with_one_vote_then_stop(
    slack_emu: SlackEmulator, slack_mode: Mode, slack_db: str
) -> tuple[str, SlackRun]:
    """alice and bruno are members; a poll is open with bruno's vote for Pizza; Ponte stopped."""
    slack_emu.add_user("alice")
    slack_emu.add_user("bruno")
    first = SlackRun(slack_emu, slack_mode, slack_db)
    await first.start()
    try:
        ts = await open_poll(first)
        await first.click("bruno", "general", ts, "Pizza")
    finally:
        await first.stop()
    return ts, first


async def test_a_restart_mid_poll_keeps_the_buttons_working_and_closes_on_time(
    slack_emu: SlackEmulator, slack_mode: Mode, slack_db: str
) -> None:
    ts, first = await poll_with_one_vote_then_stop(slack_emu, slack_mode, slack_db)

    second = SlackRun(slack_emu, slack_mode, slack_db, port=first.port)
    await second.start()
    try:
        await second.click("alice", "general", ts, "Pasta")  # a button of the old process
        assert tallies(slack_emu, ts) == [
            "*Pizza*\n██████░░░░░░ 1 voto · 50%",
            "*Pasta*\n██████░░░░░░ 1 voto · 50%",
        ]
        await second.click("bruno", "general", ts, "Pasta")  # a changed vote counts once
        await second.click("bruno", "general", ts, "Pasta")  # and a double click not at all
        assert tallies(slack_emu, ts) == [
            "*Pizza*\n░░░░░░░░░░░░ 0 voti · 0%",
            "*Pasta*\n████████████ 2 voti · 100%",
        ]
        await second.advance(timedelta(hours=1, minutes=1))
    finally:
        await second.stop()

    closed = slack_emu.message("general", ts)
    assert closed is not None and block(closed, "buttons") is None
    assert field_texts(closed)[1] == "*🏆 Pasta*\n████████████ 2 voti · 100%"
    results = bot_posts(slack_emu, "general")[-1]
    assert _title(results) == "🏁 Risultati: Pizza o pasta?"
    assert "Vince «Pasta»." in results["text"]
    assert ephemerals_to(slack_emu, "bruno") == [
        "Voto registrato: Pizza.",
        "Voto cambiato: ora Pasta.",
        "Hai già votato Pasta.",
    ]
    assert slack_emu.problems == []


async def test_a_deadline_that_passed_while_stopped_closes_the_poll_at_start(
    slack_emu: SlackEmulator, slack_mode: Mode, slack_db: str
) -> None:
    ts, first = await poll_with_one_vote_then_stop(slack_emu, slack_mode, slack_db)
    assert len(bot_posts(slack_emu, "general")) == 1

    later = AdjustableClock(datetime.now(UTC) + timedelta(hours=2))
    second = SlackRun(slack_emu, slack_mode, slack_db, port=first.port)
    await second.start(clock=later)
    try:
        await second.settle()
    finally:
        await second.stop()
    closed = slack_emu.message("general", ts)
    assert closed is not None and block(closed, "buttons") is None
    _poll, results = bot_posts(slack_emu, "general")
    assert _title(results) == "🏁 Risultati: Pizza o pasta?"
    assert "Vince «Pizza»." in results["text"] and "bruno" in results["text"]


def _title(message: dict[str, Any]) -> str:
    header = block(message, "title")
    return str(header["text"]["text"]) if header else ""


# -- what Slack does to a bot: bad signatures, retries, rate limits --------------------------


@pytest.mark.parametrize("tamper", ["bad-signature", "stale-timestamp", "unsigned"])
async def test_http_refuses_a_bad_or_stale_signature_and_changes_nothing(
    slack_emu: SlackEmulator, slack_db: str, tamper: str
) -> None:
    run = SlackRun(slack_emu, "http", slack_db)
    await run.start()
    try:
        eve = slack_emu.add_user("eve")
        event = team_join_event(slack_emu.users[eve], slack_emu.workspace.clock.next())
        body = json.dumps(
            event_callback(
                slack_emu.workspace,
                event,
                event_id="Ev0SIGNED0001",
                verification_token=slack_emu.verification_token,
            )
        ).encode()
        headers = {"Content-Type": "application/json"}
        if tamper == "bad-signature":
            headers |= slack_emu.sign(body)
            headers["X-Slack-Signature"] = "v0=" + "0" * 64
        elif tamper == "stale-timestamp":
            headers |= slack_emu.sign(body, timestamp=int(time.time()) - 6 * 60)
        refused = await slack_emu.deliver_http("/slack/events", body, headers)
        assert (await slack_emu.wait_for_ack(refused)).status == 401
        await run.settle()
        assert bot_posts(slack_emu, "general") == [] and slack_emu.dms_to(eve) == []
        assert await _rows(run, ProcessedEvent) == 0
        assert await _rows(run, KnownMember) == 0

        # The same request, signed as Slack signs it, goes through.
        signed = await slack_emu.deliver_http(
            "/slack/events", body, {**headers, **slack_emu.sign(body)}
        )
        assert (await slack_emu.wait_for_ack(signed)).status == 200
        await run.settle()
        assert [m["text"] for m in bot_posts(slack_emu, "general")] == [
            f"👋 Benvenuto/a <@{eve}> in Ponte! Ora siamo in 2."
        ]
    finally:
        await run.stop()


async def _rows(run: SlackRun, table: type[Any]) -> int:
    assert run.app is not None
    async with run.app.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_an_event_delivered_three_times_is_handled_once(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    zoe = slack_emu.add_user("zoe")
    event = team_join_event(slack_emu.users[zoe], slack_emu.workspace.clock.next())
    deliveries = [
        await slack_emu.deliver_event(event, event_id="Ev0RETRY0001", retry_num=attempt)
        for attempt in (0, 1, 2)
    ]
    await slack.settle()
    assert [(await slack_emu.wait_for_ack(d)).status for d in deliveries] == [200, 200, 200]
    assert [m["text"] for m in bot_posts(slack_emu, "general")] == [
        f"👋 Benvenuto/a <@{zoe}> in Ponte! Ora siamo in 2."
    ]
    assert len(slack_emu.dms_to(zoe)) == 1
    assert await _rows(slack, ProcessedEvent) == 1
    assert slack_emu.problems == []


async def test_a_rate_limited_post_is_retried_and_posted_once(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    slack_emu.rate_limit_next("chat.postMessage", count=1, retry_after=1)
    lea = await slack_emu.member_join("lea")
    await slack.settle()
    calls = slack_emu.calls_to("chat.postMessage")
    assert [call.status for call in calls] == [429, 200, 200]  # greeting (again), then the DM
    assert calls[0].params["text"] == calls[1].params["text"]
    assert [m["text"] for m in bot_posts(slack_emu, "general")] == [
        f"👋 Benvenuto/a <@{lea}> in Ponte! Ora siamo in 2."
    ]
    assert len(slack_emu.dms_to(lea)) == 1
    assert slack_emu.problems == []


# -- slash commands: parse errors, forms ------------------------------------------------------

USAGE = (
    'Uso: /poll "Domanda?" "Opzione 1" "Opzione 2" … '
    "duration:1h anonymous:sì multiple:no results:hidden"
)


async def test_a_malformed_slash_command_gets_the_usage_privately(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    slack_emu.add_user("ivo")
    await slack.command("ivo", "general", '/poll "Pizza o pasta? "Pizza" "Pasta')
    await slack.command("ivo", "general", '/poll "Solo una domanda?" "Sì"')
    await slack.command("ivo", "general", "/poll close dodici")
    assert ephemerals_to(slack_emu, "ivo") == [
        f"Manca una virgoletta di chiusura.\n{USAGE}",
        f"Manca «option2», che è obbligatorio.\n{USAGE}",
        "«poll» deve essere un numero intero, non «dodici».\nUso: /poll close 12",
    ]
    assert slack_emu.calls_to("chat.postMessage") == [] and slack_emu.views_opened == []
    assert slack_emu.problems == []


async def test_a_form_opened_after_its_trigger_expired_is_one_warning_and_no_answer(
    slack_emu: SlackEmulator,
    slack_db: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Slack's trigger lives 3 s: a process that far behind has nobody left to answer."""
    slack_emu.trigger_ttl = 0.2
    opened = PollsCog.open_form

    async def late(self: PollsCog, ctx: Any, args: Any) -> None:
        await asyncio.sleep(0.5)
        await opened(self, ctx, args)

    monkeypatch.setattr(PollsCog, "open_form", late)  # before the cog binds its commands
    slack = SlackRun(slack_emu, "socket", slack_db)
    await slack.start()
    try:
        slack_emu.add_user("ugo")
        with caplog.at_level(logging.INFO):
            await slack.command("ugo", "general", "/poll")
            await asyncio.sleep(0.8)
            await slack.settle()
    finally:
        await slack.stop()
    assert slack_emu.views_opened == [] and ephemerals_to(slack_emu, "ugo") == []
    late_logs = [r for r in caplog.records if "expired" in r.getMessage()]
    assert len(late_logs) == 1 and late_logs[0].levelno == logging.WARNING
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_the_bare_command_opens_a_modal_whose_submission_posts_the_poll(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    ugo = slack_emu.add_user("ugo")
    await slack.command("ugo", "general", "/poll")
    (opened,) = slack_emu.views_opened
    view = opened.view
    assert (view["title"]["text"], view["submit"]["text"]) == ("Nuovo sondaggio", "Invia")
    assert [b["block_id"] for b in view["blocks"]] == [
        "question",
        "options",
        "duration",
        "anonymous",
        "multiple",
    ]
    submitted = await slack_emu.submit_view(
        ugo,
        opened.view_id,
        {"question": "Cinema o teatro?", "options": "Cinema\nTeatro\n", "duration": "2h"},
    )
    await slack_emu.wait_for_ack(submitted)
    await slack.settle()
    assert opened.closed
    (poll,) = bot_posts(slack_emu, "general")
    assert _title(poll) == "📊 Cinema o teatro?"
    assert list(button_ids(poll)) == ["Cinema", "Teatro", "Chiudi sondaggio"]
    assert slack_emu.problems == []


# -- events as Slack delivers them --------------------------------------------------------------


async def test_messages_threads_edits_bot_posts_and_leaving_reach_the_core_as_delivered(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    assert slack.platform.sink is not None
    recorder = Recorder(slack.platform.sink)
    slack.platform.sink = recorder
    pia = slack_emu.add_user("pia")
    robot = slack_emu.add_user("robot", is_bot=True)
    general = slack_emu.channel_id("general")

    # Slack does not promise an order between events: one at a time, to read them in order.
    ts = await slack_emu.post_message(pia, "general", "Ciao &lt;tutti&gt; &amp; <!channel>")
    await slack.settle()
    reply = await slack_emu.post_message(pia, "general", "in un thread", thread_ts=ts)
    await slack.settle()
    await slack_emu.post_message(robot, "general", "bip", bot=True)
    await slack.settle()
    await slack_emu.deliver_event(
        {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": general,
            "channel_type": "channel",
            "message": {
                "type": "message",
                "user": pia,
                "text": "Ciao a tutti",
                "ts": ts,
                "edited": {"user": pia, "ts": slack_emu.workspace.clock.next()},
            },
            "previous_message": {"type": "message", "user": pia, "text": "Ciao", "ts": ts},
            "event_ts": slack_emu.workspace.clock.next(),
            "ts": slack_emu.workspace.clock.next(),
        }
    )
    await slack.settle()

    # A profile change is no event for the core; a deactivated account is a member who left.
    for deleted in (False, True):
        slack_emu.users[pia].deleted = deleted
        await slack_emu.deliver_event(
            {"type": "user_change", "user": slack_emu.users[pia].to_api(), "event_ts": "1.0"}
        )
        await slack.settle()

    posted, threaded, edited, left = recorder.events
    assert isinstance(left, MemberLeft) and left.member.name == "pia"
    assert isinstance(posted, MessagePosted) and isinstance(threaded, MessagePosted)
    assert posted.text == "Ciao <tutti> & @channel" and posted.thread_of is None
    assert (posted.author.name, posted.channel.name) == ("pia", "general")
    assert posted.ref.message_id == ts
    assert (threaded.text, threaded.thread_of) == ("in un thread", ts)
    assert threaded.ref.message_id == reply
    assert isinstance(edited, MessageEdited) and edited.text == "Ciao a tutti"
    assert slack_emu.problems == []


async def test_roles_follow_channels_user_groups_and_the_admin_list(
    slack_emu: SlackEmulator, slack_db: str
) -> None:
    alice = slack_emu.add_user("alice")
    bruno = slack_emu.add_user("bruno")
    slack_emu.add_user("mara", channels=["reviews"])
    sara = slack_emu.add_user("sara")
    leo = slack_emu.add_user("leo")
    slack_emu.add_usergroup("staffers", [sara])
    run = SlackRun(
        slack_emu,
        "socket",
        slack_db,
        overrides={"slack_staff_channel": "@staffers", "slack_admins": leo},
    )
    await run.start()
    try:

        async def roles(name: str) -> set[str]:
            member = await run.platform.resolve_member(run.platform.team_id, f"@{name}")
            assert member is not None
            return {role.value for role in member.roles}

        assert await roles("alice") == {"member"}
        assert await roles("mara") == {"member", "moderator"}
        assert await roles("sara") == {"member", "staff"}
        assert await roles("leo") == {"member", "admin"}
        assert await roles("admin") == {"member", "admin", "moderator"}  # in #reviews

        ts = await open_poll(run)
        await run.click("bruno", "general", ts, "Chiudi sondaggio")
        assert ephemerals_to(slack_emu, "bruno") == [
            "Solo l'autore del sondaggio o un moderatore può chiuderlo."
        ]
        # bruno joins #reviews: Slack says so, and he is a moderator at once.
        reviews = slack_emu.workspace.by_name("reviews")
        reviews.members.append(bruno)
        await slack_emu.deliver_event(
            member_joined_channel_event(
                slack_emu.workspace, bruno, reviews, slack_emu.workspace.clock.next(), alice
            )
        )
        await run.settle()
        await run.click("bruno", "general", ts, "Chiudi sondaggio")
        closed = slack_emu.message("general", ts)
        assert closed is not None and block(closed, "buttons") is None
        assert _title(bot_posts(slack_emu, "general")[-1]) == "🏁 Risultati: Pizza o pasta?"
    finally:
        await run.stop()


async def test_answers_reach_channels_the_bot_was_not_invited_to(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    ada = slack_emu.add_user("ada", channels=["random"])
    await socket_slack.command("ada", "random", POLL)  # public: the bot joins, then posts
    assert slack_emu.bot_user_id in slack_emu.channel_members("random")
    (poll,) = bot_posts(slack_emu, "random")
    assert _title(poll) == "📊 Pizza o pasta?"

    slack_emu.add_channel("segreto", is_private=True, members=[ada], bot_member=False)
    await socket_slack.command("ada", "segreto", "/poll list")  # private: the response_url
    answer = slack_emu.ephemerals[-1]
    assert (answer["user"], answer["source"]) == (ada, "response_url")
    assert "Pizza o pasta?" in answer["text"]
    assert slack_emu.problems == []


async def test_a_card_with_a_picture_is_posted_with_the_file(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    platform = socket_slack.platform
    chart = Image("growth.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "Crescita della settimana")
    ref = await platform.send(
        platform.team_id, slack_emu.channel_id("staff"), Message(card=Card("Digest", image=chart))
    )
    card, shared = bot_posts(slack_emu, "staff")
    assert card["ts"] == ref.message_id and _title(card) == "Digest"
    (stored,) = slack_emu.files.values()
    assert stored.data == chart.data and shared["files"][0]["id"] == stored.id
    assert slack_emu.problems == []


# -- Block Kit -------------------------------------------------------------------------------


def test_cards_become_valid_block_kit_within_slack_limits() -> None:
    card = Card(
        title="📊 " + "Una domanda lunghissima " * 10,
        text="<!channel> & <@U0ALICE> " + "x" * 4000,
        fields=(
            *(Field(f"campo {n}", "valore", inline=True) for n in range(12)),
            Field("<b>lungo</b>", "y" * 5000),
        ),
        buttons=(
            Button("Sì", "polls:vote:1:0", ButtonStyle.PRIMARY),
            Button("No", "polls:vote:1:1", ButtonStyle.SUCCESS, disabled=True),
            Button("Chiudi", "polls:close:1", ButtonStyle.DANGER),
            Button("Altro", "polls:more:1"),
        ),
        footer="a piè di pagina",
    )
    rendered = render(Message(text="Ecco <!here>", card=card))
    assert validate_message_blocks(rendered.blocks) == []
    kinds = [block_kind(b["block_id"]) for b in rendered.blocks]
    assert kinds[:2] == ["message", "title"]
    assert kinds[-2:] == ["buttons", "footer"]
    assert len(rendered.blocks[1]["text"]["text"]) <= 150
    text = block({"blocks": rendered.blocks}, "text")
    assert text is not None
    assert text["text"]["text"].startswith("&lt;!channel&gt; &amp; <@U0ALICE> ")  # no ping
    inline = [b for b in rendered.blocks if block_kind(b["block_id"]).startswith("fields-")]
    assert [len(b["fields"]) for b in inline] == [10, 2]
    assert all(len(b["text"]["text"]) <= 3000 for b in rendered.blocks if "text" in b)
    buttons = block({"blocks": rendered.blocks}, "buttons")
    assert buttons is not None
    assert [(e["action_id"], e.get("style")) for e in buttons["elements"]] == [
        ("polls:vote:1:0", "primary"),
        ("polls:close:1", "danger"),
        ("polls:more:1", None),
    ]
    assert rendered.text.startswith("Ecco &lt;!here&gt;") and len(rendered.text) <= 3000
    assert render(Message(text="a < b")).blocks == []


# -- the program itself ------------------------------------------------------------------------


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    return bot_environment(tmp_path / "run.db", LOG_LEVEL="WARNING", **values)


async def test_python_m_bot_run_on_the_emulator_as_a_black_box(
    slack_emu: SlackEmulator, tmp_path: Path
) -> None:
    env = _env(
        tmp_path,
        SLACK_BOT_TOKEN=slack_emu.bot_token,
        SLACK_APP_TOKEN=slack_emu.app_token,
        SLACK_API_URL=slack_emu.api_url,
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await slack_emu.wait_for_connection(timeout=30)
        nina = await slack_emu.member_join("nina")
        await slack_emu.wait_for(
            lambda: slack_emu.dms_to(nina) and bot_posts(slack_emu, "general"),
            timeout=15,
            what="a welcome",
        )
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0, err.decode()
    assert b"Traceback" not in err, err.decode()
    assert [m["text"] for m in bot_posts(slack_emu, "general")] == [
        f"👋 Benvenuto/a <@{nina}> in Ponte! Ora siamo in 2."
    ]
    assert slack_emu.problems == []


def test_http_mode_without_a_signing_secret_stops_with_a_clear_message(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=_env(tmp_path, SLACK_BOT_TOKEN="xoxb-not-used"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "SLACK_SIGNING_SECRET" in done.stderr and "Traceback" not in done.stderr


def test_the_manifest_lists_commands_scopes_and_events(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "slack-manifest"],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    manifest = yaml.safe_load(done.stdout)
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert commands["/poll"]["description"] == "Sondaggi"
    assert commands["/poll"]["usage_hint"].startswith('"Domanda?" "Opzione 1" "Opzione 2"')
    assert "close 12" in commands["/poll"]["usage_hint"]
    assert commands["/welcome"]["usage_hint"].startswith("set channel:#benvenuti")
    assert all(c["should_escape"] for c in commands.values())
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "im:write", "users:read", "channels:manage"} <= scopes
    assert {"chat:write.customize", "files:read", "files:write"} <= scopes
    assert manifest["oauth_config"]["scopes"]["user"] == ["chat:write"]  # SLACK_USER_TOKEN
    report = {"name": "Segnala ai moderatori", "type": "message", "callback_id": "report"}
    assert any(report.items() <= entry.items() for entry in manifest["features"]["shortcuts"])
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"team_join", "member_joined_channel", "message.channels", "message.im"} <= events
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True

    http = build_manifest(
        Settings(slack_signing_secret="s", _env_file=None),  # type: ignore[call-arg]
        [],
        build_translator("en"),
    )
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert http["settings"]["interactivity"]["request_url"].endswith("/slack/events")


@pytest.mark.parametrize("problem", ["refused-token", "port-in-use"])
async def test_a_refused_token_or_a_busy_port_stops_ponte_with_a_clear_message(
    slack_emu: SlackEmulator, slack_db: str, problem: str
) -> None:
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    if problem == "refused-token":
        run = SlackRun(slack_emu, "socket", slack_db, overrides={"slack_bot_token": "xoxb-wrong"})
        expected = "Slack refused SLACK_BOT_TOKEN (invalid_auth)"
    else:
        run = SlackRun(slack_emu, "http", slack_db, port=blocker.getsockname()[1])
        expected = f"SLACK_PORT {blocker.getsockname()[1]}"
    try:
        with pytest.raises(SlackConfigurationError) as stopped:
            await run.start()
    finally:
        await run.stop()
        blocker.close()
    assert stopped.value.code == 2 and expected in stopped.value.message
