"""Recurring questions on PostgreSQL: the console flow, and two processes' worth of
concurrency on the state changes that must happen once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.core.model import Community, Member
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.questions.faq import HELPFUL, NOT_HELPFUL, FaqService, Feedback
from cogs.questions.service import QuestionService
from tests.harness import TestBot
from tests.postgres import fresh_postgres


async def test_the_flow_runs_on_postgres() -> None:
    async with fresh_postgres() as url:
        bot = TestBot(url, "it")
        await bot.start()
        try:
            await bot.say("join @alice", "join @bob", "join @carla", "join @dario")
            await bot.say("join @sara as staff")
            said = await bot.say(
                "@alice: come resetto la password?",
                "@bob: nn riesco a cambiare la pw",
                "@carla: password dimenticata, help",
            )
            assert "❓ Domanda ricorrente #1" in said and "Chiesta da 3 membri" in said
            await bot.say("@sara click Rispondi")
            said = await bot.say('@sara fill answer:"Impostazioni → Account."')
            assert "@alice, lo staff ha risposto" in said
            said = await bot.say("@dario: come faccio a resettare la password?")
            assert "@dario, questa domanda ha già una risposta nelle FAQ" in said
            said = await bot.say("@sara: /questions stats")
            assert "domande: 4, con risposta: 4" in said
        finally:
            await bot.stop()


async def test_forwarding_delivering_and_feedback_happen_once_across_processes() -> None:
    async with fresh_postgres() as url:
        await asyncio.to_thread(upgrade, url)
        first, second = Database(url), Database(url)
        try:
            community = Community("console", "c1", "Test")
            alice = Member("console", "c1", "alice", "alice")
            now = datetime.now(UTC)
            questions = (QuestionService(first), QuestionService(second))
            faqs = (FaqService(first), FaqService(second))
            asked, _ = await questions[0].record(
                community, "generale", "1", alice, "come?", b"v", None, now
            )
            group_id = asked.group_id
            forwarded = await asyncio.gather(
                *(service.forward(group_id, now) for service in questions for _ in range(5))
            )
            assert forwarded.count(True) == 1
            entry = await faqs[0].add(community, "come?", "così", b"v", "sara", now, group_id)
            deliveries = await asyncio.gather(
                *(
                    service.deliver(entry.id, group_id, asked.id, "alice", now)
                    for service in faqs
                    for _ in range(5)
                )
            )
            given = [delivery for delivery in deliveries if delivery is not None]
            assert len(given) == 1
            results = await asyncio.gather(
                *(
                    service.feedback(given[0], "alice", value)
                    for service in faqs
                    for value in (HELPFUL, NOT_HELPFUL, NOT_HELPFUL)
                )
            )
            assert [result.outcome for result in results].count(Feedback.COUNTED) == 1
            counted = await faqs[1].get(community, entry.id)
            assert counted is not None and counted.helpful + counted.not_helpful == 1
        finally:
            await first.dispose()
            await second.dispose()
