"""Two Ponte processes on one PostgreSQL database, each with its own console and clock,
both holding every deadline and both moved past them at once: every scheduled job (poll
and contest closes, quiz questions, scheduled quizzes and their reminders, digests,
announcements, live reminders, netiquette reminders, unanswered questions, the crisis
alert) posts exactly once between them."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.crisis_support import COMPLAINTS
from tests.harness import TestBot
from tests.postgres import fresh_postgres
from tests.test_quiz_support import DATA

ROME = ZoneInfo("Europe/Rome")
# What each job posts, as the console shows a new message (not an edit), and how many of
# them the scenario makes: two quiz rounds of two questions, two questions left unanswered
# (carla's, and one of the complaints).
POSTS = {
    "poll results": (r"🏁 Results: Pizza or pasta\?", 1),
    "giveaway draw": (r"🎉 Draw for “Hoodie”", 1),
    "prize sent": (r"🎉 You won “Hoodie”", 1),
    "voting opens": (r"🗳 Voting on “Best photo”", 1),
    "contest end": (r"🏁 “Best photo” ended", 1),
    "quiz question": (r"❓ Question \d of 2", 4),
    "quiz final": (r"🏁 The “h” quiz is over", 2),
    "scheduled quiz reminder": (r"⏰ [^\n]*quiz", 1),
    "scheduled quiz start": (r"🎬 The “h” quiz begins", 2),
    "announcement": (r"Community call tonight", 1),
    "live reminder": (r"🔔", 1),
    "live start": (r"“Live with the team” starts now", 1),
    "netiquette reminder": (r"⏰ Review #1 ", 1),
    "unanswered question": (r"still unanswered after 2 hours", 2),
    "crisis alert": (r"🚨 URGENT: complaints are spiking", 1),
    "digest": (r"📈 Weekly digest", 1),
}
# The one edit that is a job's own outcome: the alert's card says it is over, once.
OVER = re.compile(r"^\[#staff\] ✎ [^\n]*✅ Crisis alert over", re.MULTILINE)


def local(bot: TestBot, delta: timedelta) -> str:
    return (bot.clock.now() + delta).astimezone(ROME).strftime("%Y-%m-%d %H:%M")


async def set_up(bot: TestBot) -> None:
    """Everything that has a deadline, made in the first process."""
    await bot.say(
        "join @mara as admin, staff, moderator",
        "join @alice",
        "join @bob",
        "join @carla",
        "join @anna",
        *(f"join @m{number}" for number in range(12)),
    )
    for minute in range(5):  # a burst of complaints: the crisis alert opens, then ticks
        for turn in range(2):
            number = (minute * 2 + turn) % 12
            line = COMPLAINTS["en"][number % len(COMPLAINTS["en"])]
            await bot.say(f"@m{number} in #general: {line}")
        await bot.advance("1m")
    await bot.say(
        '@alice: /poll "Pizza or pasta?" "Pizza" "Pasta" duration:1h',
        "@bob click Pizza",
        '@mara: /contest giveaway prize:"Hoodie" duration:2h',
        "@alice click Enter",
        '@mara: /contest submissions title:"Best photo" submit:1h vote:1h',
        "@alice: /contest submit id:2 text:sunset",
        f"@mara: /quiz import name:h file:{DATA / 'history.gift'}",
        "@mara: /quiz start bank:h questions:2 seconds:10",
        f'@mara: /quiz schedule bank:h at:"{local(bot, timedelta(hours=1, minutes=1))}" '
        "questions:2 seconds:10",
        f'@mara: /announce schedule channel:#news at:"{local(bot, timedelta(minutes=30))}" '
        'text:"Community call tonight"',
        f'@mara: /announce live title:"Live with the team" '
        f'at:"{local(bot, timedelta(hours=3))}" channel:#events remind:30m',
        "@anna click Remind me",
        "@alice: you are such an idiot",
        "@mara: /questions settings unanswered_after:2h",
        "@carla: does anyone know where the rules are?",
    )


# From the set-up's end: the first quiz's questions, the announcement (30 min), the
# scheduled quiz's reminder (51 min) and start (61 min) with the poll's close, the vote's
# opening and the netiquette reminder (1 h), its questions, the contests' ends and the
# unanswered question (2 h), the live session's reminder (2 h 30) and start (3 h), the
# week's digest; the crisis alert ticks all along until it is over.
STEPS = (
    *("20s", "20s", "20s"),
    *("35m", "20m", "10m"),
    *("20s", "20s", "20s"),
    *("1h", "30m", "30m", "8d"),
)


async def run_scenario(first: TestBot, second: TestBot) -> tuple[str, str]:
    await set_up(first)
    await second.start()  # it reads every deadline from the rows, as a restart would
    for number, step in enumerate(STEPS):
        # Each goes first in turn, so that either may win a claim.
        pair = (first, second) if number % 2 == 0 else (second, first)
        await asyncio.gather(*(bot.advance(step) for bot in pair))
    return first.all_output(), second.all_output()


def new_posts(output: str) -> list[str]:
    """Each message the bot posted, header and card lines together; edits, private
    answers and the clock's lines left out."""
    posts: list[str] = []
    for line in output.splitlines():
        if line.startswith(("[", "⏱")):
            posts.append(line)
        elif posts:
            posts[-1] += "\n" + line
    return [
        post
        for post in posts
        if post.startswith("[")
        and "✎" not in post.split("\n")[0]
        and not post.startswith(("[only for", "[solo per"))
    ]


def counts(output: str) -> dict[str, int]:
    posts = new_posts(output)
    found = {
        name: sum(1 for post in posts if re.search(pattern, post))
        for name, (pattern, _) in POSTS.items()
    }
    found["crisis over"] = len(OVER.findall(output))
    return found


EXPECTED = {name: count for name, (_, count) in POSTS.items()} | {"crisis over": 1}


async def test_two_processes_on_postgres_run_every_scheduled_job_once(tmp_path: Path) -> None:
    async with fresh_postgres() as url:
        first = TestBot(url, "en", tmp_path / "one")
        second = TestBot(url, "en", tmp_path / "two")
        await first.start()
        try:
            here, there = await run_scenario(first, second)
        finally:
            await first.stop()
            await second.stop()
    assert counts(f"{here}\n{there}") == EXPECTED
    # Both held every deadline and both ran some: the claims, not luck, kept it to once.
    assert any(counts(there).values()) and any(counts(here).values())
