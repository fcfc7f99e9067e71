"""What a process killed half way through a change left undone is done at the next start,
once: the state a kill leaves is made with the services themselves, then Ponte restarts."""

from __future__ import annotations

from cogs.calendar.service import CalendarService
from cogs.polls.service import PollService
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
        '@sara: /announce schedule channel:#news at:"2027-03-22 10:00" text:"Novità"',
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
