"""`/privacy export` and `/privacy delete` on the console: a member gets their own data as
a JSON file in a private message, and erases it with a button only they may press; the
retention erases stored message text and keeps the counts."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import func, select

from bot.adapters.console.platform import ConsoleInteraction
from bot.core.events import ButtonPressed
from bot.storage.models import SentMessage
from cogs.netiquette.models import NetiquetteReview
from cogs.polls.models import PollVote
from cogs.questions.models import Question
from tests.harness import TestBot

QUESTION = "come si partecipa al torneo di sabato?"
SCENE = (
    "join @alice",
    "join @bob",
    "join @mara as admin,moderator,staff",
    '@mara: /poll "Pizza o pasta?" "Pizza" "Pasta"',
    "@alice click Pizza",
    "@bob click Pasta",
    f"@alice: {QUESTION}",
    "@bob: qualcuno sa a che ora apre il negozio?",
)


def _export(bot: TestBot, said: str) -> dict[str, object]:
    (path,) = re.findall(r"file (?:salvato in|saved to) (\S+\.json)", said)
    document: dict[str, object] = json.loads(Path(path).read_text(encoding="utf-8"))
    return document


async def test_export_sends_the_member_their_own_data_privately(bot: TestBot) -> None:
    await bot.say(*SCENE)
    said = await bot.say("@alice: /privacy export")
    assert "[DM @alice]" in said and "Ecco tutto ciò che Ponte conserva su di te" in said
    assert "Te l'ho mandato in un messaggio privato." in said
    document = _export(bot, said)
    assert document["member"] == "alice"
    text = json.dumps(document, ensure_ascii=False)
    assert QUESTION in text and "Pizza" in text
    assert "negozio" not in text and "Pasta" not in text  # bob's question and vote
    assert document["membership"]["name"] == "alice"  # type: ignore[index]


async def test_delete_asks_first_and_only_the_member_may_confirm(bot: TestBot) -> None:
    await bot.say(*SCENE)
    said = await bot.say("@alice: /privacy delete")
    assert "[solo per @alice]" in said and "Cancellare i tuoi dati?" in said
    assert "Cancella i miei dati" in said
    console, dispatcher = bot.console, bot.app.dispatcher if bot.app else None
    assert console is not None and dispatcher is not None
    bob = await console.get_member("bob")
    assert bob is not None
    channel = await console.ensure_channel("generale")
    await dispatcher.button_pressed(
        ButtonPressed(
            console.community,
            channel,
            bob,
            "privacy:erase:alice",
            ConsoleInteraction(console, channel, bob),
        )
    )
    assert bot.output[-1].endswith("Solo chi ha fatto la richiesta può usare questo pulsante.")
    assert QUESTION in json.dumps(_export(bot, await bot.say("@alice: /privacy export")))

    assert "nessun pulsante" in await bot.say("@bob click Cancella i miei dati")
    said = await bot.say("@alice click Cancella i miei dati")
    assert re.search(r"Fatto: i tuoi dati sono stati cancellati \((\d+) elementi\)", said)
    document = _export(bot, await bot.say("@alice: /privacy export"))
    assert document["data"] == {}
    assert bot.app is not None
    async with bot.app.db.session() as session:
        votes = await session.scalar(select(func.count()).select_from(PollVote))
        asked = (await session.scalars(select(Question.text))).all()
    assert votes == 2  # the poll's counts stay
    assert QUESTION not in asked and len(asked) == 2
    assert "Pizza" in await bot.say("@bob click Pizza")  # the bot and the poll go on


async def test_keep_erases_nothing(bot_en: TestBot) -> None:
    await bot_en.say(*SCENE)
    await bot_en.say("@alice: /privacy delete")
    said = await bot_en.say("@alice click Keep it")
    assert "Nothing was erased." in said
    assert QUESTION in json.dumps(_export(bot_en, await bot_en.say("@alice: /privacy export")))


async def test_stored_text_is_erased_past_the_retention_and_the_counts_stay(
    bot: TestBot,
) -> None:
    # Netiquette's own retention of a decided post is longer here than Ponte's.
    await bot.say(
        *SCENE,
        "@mara: /netiquette settings retention:300d",
        "@bob: sei proprio un idiota",
        "@mara click Rifiuta",
    )
    assert bot.app is not None
    async with bot.app.db.session() as session:
        held = (await session.scalars(select(NetiquetteReview.text))).all()
    assert any(text and "idiota" in text for text in held)
    await bot.advance("89d")
    async with bot.app.db.session() as session:
        asked = (await session.scalars(select(Question.text))).all()
    assert QUESTION in asked
    said = await bot.advance("2d")
    assert "modificato" in said and "idiota" not in said
    async with bot.app.db.session() as session:
        asked = (await session.scalars(select(Question.text))).all()
        held = (await session.scalars(select(NetiquetteReview.text))).all()
    assert len(asked) == 2 and set(asked) == {""}
    assert held and all(text is None for text in held)
    # The moderators' card no longer quotes the post, on the platform or in the outbox.
    async with bot.app.db.session() as session:
        kept = (await session.scalars(select(SentMessage.content))).all()
    assert not [card for card in kept if "idiota" in json.dumps(card, ensure_ascii=False)]


async def test_the_staff_card_of_recurring_questions_loses_their_text_too(bot: TestBot) -> None:
    asked = (
        "@alice: come resetto la password?",
        "@bob: nn riesco a cambiare la pw",
        "@carla: password dimenticata, help",
    )
    said = await bot.say("join @alice", "join @bob", "join @carla", "join @sara as staff", *asked)
    assert "«nn riesco a cambiare la pw»" in said
    said = await bot.say("@bob: /privacy delete", "@bob click Cancella i miei dati")
    assert "modificato" in said and "nn riesco a cambiare la pw" not in said
    said = await bot.advance("91d")
    assert "modificato" in said
    assert bot.app is not None
    async with bot.app.db.session() as session:
        kept = (await session.scalars(select(SentMessage.content))).all()
    texts = json.dumps(kept, ensure_ascii=False)
    assert "password" not in texts and "pw" not in texts.split()


async def test_a_member_who_erased_their_data_is_not_drawn_in_an_open_giveaway(
    bot: TestBot,
) -> None:
    await bot.say("join @mara as admin,moderator,staff", "join @alice", "join @bob")
    await bot.say('@mara: /contest giveaway prize:"Buono" winners:2 duration:1d')
    await bot.say("@alice click Partecipa", "@bob click Partecipa")
    await bot.say("@alice: /privacy delete", "@alice click Cancella i miei dati")
    said = await bot.advance("1d")
    assert "Giveaway concluso. Partecipanti: 1." in said
    assert "@bob" in said and "@alice" not in said
