"""An announcement scheduled with a slash command on Slack is posted when its time comes,
once, also after a restart; Remind me on a live session sends a DM. Real slack-bolt."""

from __future__ import annotations

from bot.core.clock import AdjustableClock
from tests.adapters.slack_support import SlackRun, bot_posts, ephemerals_to
from tests.calendar_support import YEAR, rome
from tests.emulators.slack import SlackEmulator


async def advance_to(run: SlackRun, moment: str) -> None:
    assert run.app is not None
    await run.advance(rome(moment) - run.app.clock.now())


def posted(emu: SlackEmulator, channel: str, text: str) -> int:
    return sum(message.get("text") == text for message in bot_posts(emu, channel))


async def test_a_recurring_announcement_is_posted_on_time_once(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    slack_emu.add_channel("news")
    slack_emu.add_user("sara", channels=["staff"])
    await socket_slack.command(
        "sara",
        "general",
        f'/announce schedule channel:#news at:"{YEAR}-01-11 10:00" text:"Buongiorno!" '
        'repeat:"every monday"',
    )
    assert any("Annuncio #1 programmato" in text for text in ephemerals_to(slack_emu, "sara"))
    await advance_to(socket_slack, f"{YEAR}-01-11 09:59")
    assert posted(slack_emu, "news", "Buongiorno!") == 0
    await socket_slack.advance(rome(f"{YEAR}-01-11 10:01") - rome(f"{YEAR}-01-11 09:59"))
    assert posted(slack_emu, "news", "Buongiorno!") == 1
    assert socket_slack.app is not None
    clock = socket_slack.app.clock
    assert isinstance(clock, AdjustableClock)
    await socket_slack.stop()
    await socket_slack.start(clock)  # a new process; the test's clock goes on where it was
    await advance_to(socket_slack, f"{YEAR}-01-18 10:01")
    assert posted(slack_emu, "news", "Buongiorno!") == 2
    assert slack_emu.problems == []


async def test_remind_me_on_a_live_session_sends_a_dm(
    slack_emu: SlackEmulator, socket_slack: SlackRun
) -> None:
    slack_emu.add_channel("news")
    slack_emu.add_user("sara", channels=["staff"])
    anna = slack_emu.add_user("anna")
    await socket_slack.command(
        "sara", "general", f'/announce live title:"AMA" at:"{YEAR}-01-20 18:00" channel:#news'
    )
    (card,) = [m for m in bot_posts(slack_emu, "news") if m.get("blocks")]
    await socket_slack.click("anna", "news", str(card["ts"]), "Ricordamelo")
    assert any("Ti scriverò in privato" in text for text in ephemerals_to(slack_emu, "anna"))
    await advance_to(socket_slack, f"{YEAR}-01-20 17:46")
    reminders = [m for m in slack_emu.dms_to(anna) if "Tra poco: «AMA»" in str(m.get("text"))]
    assert len(reminders) == 1
    assert slack_emu.problems == []
