"""A popular poll on the Slack emulator, in Socket Mode and over HTTP: 200 members click
its buttons at once, and a card edited in a burst; what members see is the true final
state, and every click is acknowledged within Slack's three seconds."""

from __future__ import annotations

import asyncio

from bot.core.cards import Card, Message
from bot.core.model import Community
from tests.adapters.slack_support import SlackRun, block, bot_posts, button_ids, field_texts
from tests.emulators.slack import SlackEmulator

VOTERS = 200


async def test_two_hundred_members_clicking_at_once_are_each_counted_once(
    slack_emu: SlackEmulator, slack: SlackRun
) -> None:
    emu = slack_emu
    emu.add_user("alice")
    voters = [emu.add_user(f"member{number}") for number in range(VOTERS)]
    await slack.command("alice", "general", '/poll "Pizza o pasta?" "Pizza" "Pasta"')
    (poll,) = [m for m in bot_posts(emu, "general") if block(m, "buttons")]
    ids = button_ids(poll)
    # Every third member wants pasta; the first twenty double-click.
    choice = {voter: "Pasta" if number % 3 == 0 else "Pizza" for number, voter in enumerate(voters)}
    clicks = [*voters, *voters[:20]]
    deliveries = await asyncio.gather(
        *(emu.click_button(user, ("general", poll["ts"]), ids[choice[user]]) for user in clicks)
    )
    acks = await asyncio.gather(*(emu.wait_for_ack(delivery) for delivery in deliveries))
    await slack.settle()

    assert not [ack for ack in acks if ack.late or ack.status != 200]
    pasta = sum(value == "Pasta" for value in choice.values())
    card = emu.message("general", poll["ts"])
    assert card is not None
    assert [text.split("\n")[1].split(" · ")[0] for text in field_texts(card)] == [
        f"{'█' * 8}{'░' * 4} {VOTERS - pasta} voti",
        f"{'█' * 4}{'░' * 8} {pasta} voti",
    ]
    answers = [e["text"] for e in emu.ephemerals if e["user"] in set(voters)]
    assert sum(text.startswith("Voto registrato") for text in answers) == VOTERS
    assert sum(text.startswith("Hai già votato") for text in answers) == 20
    assert emu.problems == []


async def test_a_burst_of_edits_to_one_card_is_coalesced_and_the_last_one_shows(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    emu = slack_emu
    assert socket_slack.app is not None
    outbox = socket_slack.app.services.outbox
    workspace = Community("slack", emu.team_id, "Ponte")
    general = emu.workspace.resolve("general")
    assert general is not None
    sent = await outbox.send(workspace, general.id, Message(card=Card(title="state 0")))
    before = len(emu.calls_to("chat.update"))
    await asyncio.gather(
        *(outbox.edit(sent, Message(card=Card(title=f"state {n}"))) for n in range(1, 51))
    )
    await socket_slack.settle()

    card = emu.message("general", sent.message_id)
    assert card is not None and "state 50" in str(card["blocks"])
    assert "state 49" not in str(card["blocks"])
    assert 1 <= len(emu.calls_to("chat.update")) - before <= 3
