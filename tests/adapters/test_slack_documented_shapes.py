"""Slack's payloads in the shape of its documented examples, not only as its live payloads
usually come: a click whose `container` names no message, a `message_changed` without
`previous_message` or without `edited` (an unfurl), a deleted thread parent's tombstone,
a rate-limited `views.open`. The real slack-bolt app against the emulator."""

from __future__ import annotations

from bot.core.events import MessageDeleted, MessageEdited, MessagePosted
from tests.adapters.slack_support import (
    Recorder,
    SlackRun,
    block,
    bot_posts,
    ephemerals_to,
    field_texts,
)
from tests.emulators.slack import SlackEmulator, delete_message, edit_message

POLL = '/poll "Pizza o pasta?" "Pizza" "Pasta" duration:1h'


async def test_a_vote_from_a_click_whose_container_names_no_message_updates_the_poll(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    slack_emu.sparse_payloads = "always"
    slack_emu.add_user("alice")
    slack_emu.add_user("bruno")
    await slack.command("alice", "general", POLL)
    (poll,) = [m for m in bot_posts(slack_emu, "general") if block(m, "buttons")]

    await slack.click("bruno", "general", poll["ts"], "Pizza")

    click = slack_emu.deliveries[-1].payload
    assert click["container"] == {"type": "message"} and click["message"]["ts"] == poll["ts"]
    updated = slack_emu.message("general", poll["ts"])
    assert updated is not None
    assert field_texts(updated) == [
        "*Pizza*\n████████████ 1 voto · 100%",
        "*Pasta*\n░░░░░░░░░░░░ 0 voti · 0%",
    ]
    assert ephemerals_to(slack_emu, "bruno") == ["Voto registrato: Pizza."]
    assert slack_emu.problems == []


async def test_an_unfurl_is_no_edit_and_an_edit_without_the_message_before_still_is(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    slack_emu.sparse_payloads = "always"  # no previous_message to compare with
    assert slack.platform.sink is not None
    recorder = Recorder(slack.platform.sink)
    slack.platform.sink = recorder
    pia = slack_emu.add_user("pia")

    ts = await slack_emu.post_message(pia, "general", "guardate <https://example.com>")
    await slack.settle()
    await edit_message(slack_emu, pia, "general", ts, "guardate <https://example.org>")
    await slack.settle()

    events = [d.payload["event"] for d in slack_emu.event_deliveries("message")]
    unfurl, edit = [e for e in events if e.get("subtype") == "message_changed"]
    assert "edited" not in unfurl["message"] and "edited" in edit["message"]
    assert unfurl["message"]["attachments"][0]["from_url"] == "https://example.com"
    assert "previous_message" not in unfurl and "previous_message" not in edit
    posted, edited = recorder.events
    assert isinstance(posted, MessagePosted) and posted.ref.message_id == ts
    assert isinstance(edited, MessageEdited) and edited.text == "guardate https://example.org"
    assert slack_emu.problems == []


async def test_a_thread_parent_deleted_while_replies_remain_reaches_the_core_as_deleted(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    assert slack.platform.sink is not None
    recorder = Recorder(slack.platform.sink)
    slack.platform.sink = recorder
    pia, ugo = slack_emu.add_user("pia"), slack_emu.add_user("ugo")
    parent = await slack_emu.post_message(pia, "general", "domanda")
    await slack_emu.post_message(ugo, "general", "risposta", thread_ts=parent)
    await slack.settle()

    await delete_message(slack_emu, pia, "general", parent)
    await slack.settle()

    kept = slack_emu.message("general", parent)
    assert kept is not None and kept["subtype"] == "tombstone"  # Slack keeps its place
    *_, deleted = recorder.events
    assert isinstance(deleted, MessageDeleted)
    assert deleted.ref.message_id == parent and deleted.channel.name == "general"
    assert not [e for e in recorder.events if isinstance(e, MessageEdited)]
    assert slack_emu.problems == []


async def test_a_rate_limited_modal_is_not_retried_after_its_trigger_expired(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    # Slack's Retry-After outlasts the trigger: retrying could only fail.
    slack_emu.rate_limit_next("views.open", count=1, retry_after=4)
    slack_emu.add_user("ugo")

    await socket_slack.command("ugo", "general", "/poll")

    assert [call.status for call in slack_emu.calls_to("views.open")] == [429]
    assert ephemerals_to(slack_emu, "ugo") == [
        "Un attimo: stai andando un po' troppo veloce. Riprova tra 4 s."
    ]
    assert slack_emu.problems == []
