"""Recurring questions on the console: grouped, forwarded once, answered, answered again by
the FAQ, dismissed, merged; in Italian and in English."""

from __future__ import annotations

import re

from tests.harness import TestBot

MEMBERS = (
    "join @alice",
    "join @bob",
    "join @carla",
    "join @dario",
    "join @elena",
    "join @sara as staff",
)
PASSWORD_IT = (
    "@alice: come resetto la password?",
    "@bob: nn riesco a cambiare la pw",
    "@carla: password dimenticata, help",
)
PASSWORD_EN = (
    "@alice: how do I reset my password?",
    "@bob: cant change my pw pls help",
    "@carla: forgot my password, what now",
)
ANSWER_IT = '@sara fill answer:"Vai su Impostazioni → Account → Reimposta password."'


def new_cards(said: str, channel: str = "staff") -> list[str]:
    """The titles of the cards freshly posted (not edited) in a channel."""
    return re.findall(rf"^\[#{channel}\]\n  ┃ (.+)$", said, re.MULTILINE)


def edited(said: str, channel: str = "staff") -> list[str]:
    return re.findall(rf"^\[#{channel}\] ✎ \S+ \(\S+ (\d+)\)", said, re.MULTILINE)


async def forwarded(bot: TestBot, lines: tuple[str, ...] = PASSWORD_IT) -> str:
    await bot.say(*MEMBERS)
    return await bot.say(*lines)


async def test_three_askers_in_other_words_make_one_card_that_a_fourth_updates(
    bot: TestBot,
) -> None:
    said = await bot.say(*MEMBERS, *PASSWORD_IT[:2])
    assert "#staff" not in said  # two askers are not recurring yet
    said = await bot.say(PASSWORD_IT[2])
    assert new_cards(said) == ["❓ Domanda ricorrente #1"]
    assert "Chiesta da 3 membri" in said and "alice, bob, carla" in said
    assert "«nn riesco a cambiare la pw»" in said and "#generale/" in said
    assert "[Rispondi] [Non è una domanda] [Unisci a…]" in said
    card_number = re.search(r"#generale/(\d+)", said)
    assert card_number is not None
    said = await bot.say("@dario: come faccio a reimpostare la password??")
    assert new_cards(said) == []
    assert len(edited(said)) == 1
    assert "Chiesta da 4 membri" in said and "dario" in said


async def test_a_burst_of_askers_edits_the_card_once_and_it_ends_showing_them_all(
    bot: TestBot,
) -> None:
    await forwarded(bot)
    said = await bot.say("@dario: come faccio a reimpostare la password??")
    assert "Chiesta da 4 membri" in said
    said = await bot.say("@elena: ho perso la password, come la cambio?")
    assert edited(said) == []  # within seconds of the last edit: it waits
    said = await bot.say("advance 5s")
    assert len(edited(said)) == 1 and "Chiesta da 5 membri" in said and "elena" in said


async def test_the_same_member_asking_again_is_one_asker(bot: TestBot) -> None:
    await bot.say(*MEMBERS)
    said = await bot.say(PASSWORD_IT[0], PASSWORD_IT[1], "@bob: come resetto la password?")
    assert "#staff" not in said


async def test_a_question_that_shares_words_is_not_grouped(bot: TestBot) -> None:
    await forwarded(bot)
    said = await bot.say("@dario: come cambio l'email?")
    assert "#staff" not in said
    said = await bot.say(
        "@elena: come si cambia l'indirizzo email?", "@alice: posso cambiare la mia email?"
    )
    assert new_cards(said) == ["❓ Domanda ricorrente #2"]
    assert "password" not in said


async def test_staff_answer_reaches_askers_and_later_askers_get_the_faq(bot: TestBot) -> None:
    await forwarded(bot)
    said = await bot.say("@alice click Rispondi")
    assert "[solo per @alice] Questa azione è riservata al ruolo" in said
    assert "Modulo" not in said
    said = await bot.say("@sara click Rispondi")
    assert "Modulo «Rispondi al gruppo #1»" in said
    said = await bot.say(ANSWER_IT)
    for asker in ("alice", "bob", "carla"):
        assert f"@{asker}, lo staff ha risposto alla tua domanda:" in said
    assert said.count("Vai su Impostazioni → Account → Reimposta password.") >= 3
    assert re.search(r"^\[#generale ↳ \d+\] @alice", said, re.MULTILINE)
    assert "✅ Domanda ricorrente #1: risposta nelle FAQ" in said
    assert "Risposta salvata nelle FAQ (voce #1)" in said
    said = await bot.say("@elena: ho perso la password, come la recupero?")
    assert re.search(r"^\[#generale ↳ \d+\] @elena, questa domanda ha già una risposta", said, re.M)
    assert "[Utile] [Non utile]" in said
    assert "Chiesta da 4 membri" in said  # the card keeps counting
    said = await bot.say("@dario click Non utile")
    assert "Solo chi ha fatto la domanda" in said
    said = await bot.say("@elena click Non utile")
    assert "Grazie del riscontro" in said
    said = await bot.say("@elena click Non utile")
    assert "Ci hai già detto la tua" in said


async def test_past_the_not_helpful_threshold_the_group_goes_back_to_staff(bot: TestBot) -> None:
    await forwarded(bot)
    await bot.say("@sara: /questions settings not_helpful:1", "@sara click Rispondi", ANSWER_IT)
    await bot.say("@elena: password persa, come la ripristino?")
    said = await bot.say("@elena click Non utile")
    assert (
        "⚠ La voce #1 delle FAQ ha ricevuto 1 × «non utile»: il gruppo #1 torna allo staff." in said
    )
    assert len(edited(said)) == 1
    assert "⚠ La risposta delle FAQ non è stata utile" in said
    assert "[Rispondi]" in said
    said = await bot.say("@dario: non trovo come resettare la password?")
    assert "questa domanda ha già una risposta" not in said  # back with staff, not the FAQ
    await bot.say("@sara click Rispondi")
    said = await bot.say('@sara fill answer:"Scrivi a support@example.org: la reimpostiamo noi."')
    assert "@dario, lo staff ha risposto" in said
    assert "@alice" not in said  # answered once already


async def test_the_faq_never_answers_staff_twice_or_where_it_is_off(bot: TestBot) -> None:
    await forwarded(bot)
    await bot.say("@sara click Rispondi", ANSWER_IT, "join @marco as moderator")
    said = await bot.say("@marco: come si resetta la password?")
    assert "questa domanda ha già una risposta" not in said
    said = await bot.say("@alice: come resetto la password?? ancora non va")
    assert "questa domanda ha già una risposta" not in said  # alice was answered already
    await bot.say("@sara: /questions settings channel:#aiuto faq:no")
    said = await bot.say("@dario in #aiuto: come resetto la mia password?")
    assert "questa domanda ha già una risposta" not in said
    said = await bot.say("@elena in #generale: come resetto la mia password?")
    assert "@elena, questa domanda ha già una risposta nelle FAQ" in said


async def test_a_restart_keeps_the_card_editable(bot: TestBot) -> None:
    await forwarded(bot)
    said = await bot.say("@dario: come faccio a reimpostare la password?")
    [card] = edited(said)
    await bot.restart()
    said = await bot.say("@elena: password dimenticata, come la resetto?")
    assert new_cards(said) == []
    assert edited(said) == [card]  # the same message, found by its stored ids
    assert "Chiesta da 5 membri" in said
    said = await bot.say("@sara click Rispondi")
    assert "Modulo" in said  # the old card's buttons still work


async def test_staff_reply_is_promoted_to_the_faq_with_one_button(bot: TestBot) -> None:
    await forwarded(bot)
    said = await bot.say("@sara reply @bob: Dalle impostazioni, voce Account → Password.")
    assert "sara ha risposto a una domanda ricorrente (gruppo #1)" in said
    assert "[Aggiungi alle FAQ]" in said
    said = await bot.say("@alice click Aggiungi alle FAQ")
    assert "[solo per @alice] Questa azione è riservata al ruolo" in said
    said = await bot.say("@sara click Aggiungi alle FAQ")
    assert "✅ Risposta aggiunta alle FAQ (voce #1) per il gruppo #1." in said
    assert "@alice, lo staff ha risposto" in said
    said = await bot.say("@sara click Aggiungi alle FAQ")
    assert "nessun pulsante «Aggiungi alle FAQ»" in said  # the note became the confirmation
    said = await bot.say('@sara: /faq search query:"password"')
    assert "Dalle impostazioni, voce Account → Password." in said


async def test_not_a_question_dismisses_the_group_for_good(bot: TestBot) -> None:
    await forwarded(bot)
    said = await bot.say("@sara click Non è una domanda")
    assert "Gruppo #1: non è una domanda" in said
    assert "Gruppo #1 archiviato" in said
    said = await bot.say("@sara click Non è una domanda")
    assert "archiviato:" not in said
    said = await bot.say(
        "@dario: come resetto la password??",
        "@elena: password dimenticata, come faccio?",
        "@alice: nn riesco a resettare la password",
    )
    assert "#staff" not in said  # neither the old card edited nor a new one


async def test_merge_with_another_group_adds_its_askers(bot: TestBot) -> None:
    await bot.say(*MEMBERS, "@sara: /questions settings askers:2")
    said = await bot.say(PASSWORD_IT[0], PASSWORD_IT[1])
    assert new_cards(said) == ["❓ Domanda ricorrente #1"]
    said = await bot.say(
        "@carla: dove trovo il regolamento?", "@dario: dove si legge il regolamento?"
    )
    assert new_cards(said) == ["❓ Domanda ricorrente #2"]
    await bot.say("@sara click Unisci a…")  # the newest card: group 2
    said = await bot.say('@sara fill group:"abc"')
    assert "non è il numero di un gruppo" in said
    await bot.say("@sara click Unisci a…")
    said = await bot.say('@sara fill group:"2"')
    assert "non si può unire a sé stesso" in said
    await bot.say("@sara click Unisci a…")
    said = await bot.say('@sara fill group:"1"')
    assert "Gruppo #1 unito al gruppo #2." in said
    assert "Gruppo #1: unito al gruppo #2" in said
    assert "Chiesta da 4 membri" in said


async def test_empty_huge_and_emoji_messages_are_no_questions(bot: TestBot) -> None:
    await bot.say(*MEMBERS, "@sara: /questions settings askers:2")
    huge = "come? " * 7000
    emoji = "🤔🤔🤔"
    said = await bot.say(f"@alice: {huge}", f"@bob: {huge}", f"@alice: {emoji}", f"@bob: {emoji}")
    assert "#staff" not in said
    said = await bot.say("@alice: ", "@bob: ")
    assert "#staff" not in said
    said = await bot.say("@sara: /questions stats")
    assert "domande: 0" in said


async def test_the_flow_in_english(bot_en: TestBot) -> None:
    said = await forwarded(bot_en, PASSWORD_EN)
    assert new_cards(said) == ["❓ Recurring question #1"]
    assert "Asked by 3 members" in said
    assert "[Answer] [Not a question] [Merge with…]" in said
    said = await bot_en.say("@dario: how can i reset the password")
    assert len(edited(said)) == 1 and "Asked by 4 members" in said
    said = await bot_en.say("@sara click Answer")
    assert "Answer group #1" in said
    said = await bot_en.say('@sara fill answer:"Settings → Account → Reset password."')
    assert "@alice, staff answered your question:" in said
    said = await bot_en.say("@elena: I forgot my password, how do I get it back?")
    assert "@elena, this question already has an answer in the FAQ:" in said
    said = await bot_en.say("@elena click Not helpful")
    assert "Thanks for telling us" in said
    said = await bot_en.say("@elena: how do I change my email?")
    assert "already has an answer" not in said


async def test_settings_choose_the_channels_and_where_cards_go(bot: TestBot) -> None:
    await bot.say(*MEMBERS)
    said = await bot.say("@alice: /questions settings askers:2")
    assert "Questa azione è riservata al ruolo" in said
    said = await bot.say("@sara: /questions settings askers:2 days:7 staff_channel:#team")
    assert "⚙ Domande ricorrenti: impostazioni" in said
    assert "#team" in said and "tutti" in said and "7 giorni" in said
    said = await bot.say("@sara: /questions settings channel:#offtopic watch:no")
    assert "tutti tranne #offtopic" in said
    said = await bot.say("@sara: /questions settings watch:no")
    assert "Indica il canale" in said
    said = await bot.say(
        "@alice in #offtopic: come resetto la password?", "@bob in #offtopic: nn trovo la pw"
    )
    assert "#team" not in said  # an ignored channel is not watched
    said = await bot.say("@alice: come resetto la password?", "@bob: nn riesco a cambiare la pw")
    assert new_cards(said, "team") == ["❓ Domanda ricorrente #1"]
    assert "#staff" not in said
    said = await bot.say("@sara: /questions settings channel:#aiuto watch:sì")
    assert "Canali osservati" in said and "#aiuto" in said
    said = await bot.say(
        "@carla: dove trovo il regolamento?", "@dario: dove si legge il regolamento?"
    )
    assert "#team" not in said  # only #aiuto is watched now
    said = await bot.say("@sara: /questions settings channel:#aiuto reset:sì")
    assert "tutti tranne #offtopic" in said


async def test_a_question_in_the_thread_of_another_message_is_tracked(bot: TestBot) -> None:
    await bot.say(*MEMBERS, "@sara: /questions settings askers:2", "@sara: Torneo sabato!")
    said = await bot.say(
        "@alice reply @sara: come mi iscrivo al torneo?",
        "@bob reply @sara: come ci si iscrive al torneo?",
    )
    assert new_cards(said) == ["❓ Domanda ricorrente #1"]
    said = await bot.say("@carla reply @alice: dal sito, sezione eventi")
    assert "#staff" not in said  # a member's help is no new question
