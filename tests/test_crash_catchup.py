"""What a process killed half way through a change left undone is done at the next start,
once: the state a kill leaves is made with the services themselves, then Ponte restarts."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from bot.core.model import Member, Role
from cogs.calendar.service import CalendarService
from cogs.contests.models import VoucherCode
from cogs.contests.service import ContestService
from cogs.netiquette.models import APPROVED
from cogs.netiquette.service import ReviewService
from cogs.polls.service import PollService
from tests.calendar_support import YEAR
from tests.harness import TestBot


async def test_a_poll_closed_by_a_killed_process_gets_its_results_once(bot: TestBot) -> None:
    await bot.say(
        "join @alice",
        "join @bob",
        '@alice: /poll "Pizza o pasta?" "Pizza" "Pasta" duration:1h',
        "@bob click Pasta",
    )
    assert bot.app is not None
    # The close committed, and the process died before it posted the results.
    assert await PollService(bot.app.db).close(1, bot.clock.now(), None)
    await bot.restart()
    # Not at once: the process that closed it might still be posting them.
    assert "🏁 Risultati" not in bot.all_output()
    await bot.advance("1m")
    said = bot.all_output()
    assert said.count("🏁 Risultati: Pizza o pasta?") == 1
    assert "Pasta" in said.split("🏁 Risultati: Pizza o pasta?")[1]
    await bot.restart()  # posted and remembered: never again
    said = await bot.say("@bob click Pizza")
    assert bot.all_output().count("🏁 Risultati: Pizza o pasta?") == 1
    assert "[solo per @bob] Il sondaggio è chiuso" in said


async def test_an_announcement_claimed_by_a_killed_process_is_posted_once(bot: TestBot) -> None:
    await bot.say(
        "join @sara as staff",
        f'@sara: /announce schedule channel:#news at:"{YEAR}-03-22 10:00" text:"Novità"',
    )
    assert bot.app is not None
    calendar = CalendarService(bot.app.db)
    row = await calendar.get(1)
    assert row is not None and row.next_at is not None
    # The claim committed, and the process died before it posted.
    assert await calendar.claim(1, row.next_at, None, posted=True)
    await bot.restart()
    assert bot.all_output().count("[#news] Novità") == 1
    await bot.restart()
    await bot.advance("400d")
    assert bot.all_output().count("[#news] Novità") == 1


async def test_a_giveaway_closed_by_a_killed_process_is_drawn_and_paid_once(
    bot: TestBot, tmp_path: Path
) -> None:
    codes = tmp_path / "codici.txt"
    codes.write_text("CODICE-A\nCODICE-B\nCODICE-C\n", encoding="utf-8")
    await bot.say(
        "join @mara as staff",
        "join @alice",
        "join @bob",
        '@mara: /contest giveaway prize:"Buono" winners:2 duration:1h',
        f"@mara: /contest codes id:1 file:{codes}",
        "@alice click Partecipa",
        "@bob click Partecipa",
    )
    assert bot.app is not None
    # The close and its draw committed; the process died before announcing or paying.
    assert await ContestService(bot.app.db).close(1, bot.clock.now())
    await bot.restart()
    assert "🎉 Estrazione" not in bot.all_output()  # the closing process may still be at it
    await bot.advance("1m")
    said = bot.all_output()
    assert said.count("🎉 Estrazione di «Buono»") == 1
    sent = re.findall(r"^\[DM @(\w+)\] .*Il tuo codice: (CODICE-\w)", said, re.M)
    assert sorted(member for member, _ in sent) == ["alice", "bob"]
    assert len({code for _, code in sent}) == 2
    # Killed after alice's DM but before it was marked delivered: the same code again.
    async with bot.app.db.session() as session:
        await session.execute(
            update(VoucherCode).where(VoucherCode.winner_id == "alice").values(delivered_at=None)
        )
    await bot.restart()
    again = re.findall(r"^\[DM @(\w+)\] .*Il tuo codice: (CODICE-\w)", bot.all_output(), re.M)
    assert again == [*sent, next(item for item in sent if item[0] == "alice")]
    assert bot.all_output().count("🎉 Estrazione di «Buono»") == 1
    await bot.restart()
    assert len(re.findall(r"Il tuo codice", bot.all_output())) == 3


async def test_a_review_decided_by_a_killed_process_is_carried_out_once(bot: TestBot) -> None:
    await bot.say(
        "join @alice",
        "join @luca as moderator",
        "advance 2d",
        "@alice in #generale: sei proprio un idiota",
    )
    assert bot.app is not None
    luca = Member("console", "console", "luca", "luca", "luca", frozenset({Role.MODERATOR}))
    now = bot.clock.now()
    # The decision committed; the process died before the message was put back.
    decided = await ReviewService(bot.app.db).decide(
        1, APPROVED, luca, now, erase_at=now + timedelta(days=30), strike_expires=now
    )
    assert decided and "ripubblicato" not in bot.all_output()
    await bot.restart()
    assert "ripubblicato" not in bot.all_output()  # the deciding process may still be at it
    await bot.advance("1m")
    assert bot.all_output().count("ripubblicato a nome di @alice") == 1
    assert bot.all_output().count("il tuo messaggio in #generale è stato approvato") == 1
    await bot.restart()
    said = await bot.say("@luca click Approva")
    assert bot.all_output().count("ripubblicato a nome di @alice") == 1
    assert "[solo per @luca]" in said and "Hai approvato" not in said
