"""A quiz round on the console: questions with answer buttons, one answer each, reveals at
the deadline, scores for right and fast answers, leaderboards, stop, restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.calendar_support import YEAR
from tests.harness import TestBot, running_bot
from tests.test_quiz_support import DATA, import_bank, players, standings

START = "@mara: /quiz start bank:h questions:3 seconds:20"


async def start_history(bot: TestBot) -> str:
    await players(bot)
    await import_bank(bot, "h", "history.gift")
    return await bot.say(START)


def question_on_screen(output: str) -> str:
    """The text of the newest question card."""
    card = output.split("❓")[-1].splitlines()
    return card[1].strip("┃ ").strip()


async def answer_right(bot: TestBot, member: str, output: str) -> str:
    right = {
        "When was Rome founded, according to tradition?": "753 BC",
        "Julius Caesar crossed the Rubicon in 49 BC.": "Vero",
        "Who first walked on the Moon?": "Neil Armstrong",
    }
    return await bot.say(f"@{member} click {right[question_on_screen(output)]}")


async def test_a_whole_round_in_italian(bot: TestBot) -> None:
    await players(bot)
    said = await import_bank(bot, "storia", "storia.gift")
    assert "Banca «storia» importata da un file GIFT (domande: 5; categorie: 2)." in said
    said = await bot.say("@mara: /quiz start bank:storia questions:5 seconds:20")
    assert "🎬 Comincia il quiz «storia»: 5 domande, 20 secondi ciascuna." in said
    assert "❓ Domanda 1 di 5" in said and "[Ferma il quiz]" in said
    assert "[solo per @mara] Quiz #1 avviato." in said
    rights = {
        "In che anno fu fondata Roma, secondo la tradizione?": "753 a.C.",
        "Giulio Cesare attraversò il Rubicone nel 49 a.C.": "Vero",
        "Chi guidò la spedizione": "Giuseppe Garibaldi",
        "Firenze fu capitale d'Italia prima di Roma.": "Vero",
        "Quale simbolo usa la formula {a = b} in un testo GIFT?": "Il segno = (uguale)",
    }
    wrongs = {
        "753 a.C.": "509 a.C.",
        "Vero": "Falso",
        "Giuseppe Garibaldi": "Giuseppe Mazzini",
        "Il segno = (uguale)": "Il segno ~ (tilde)",
    }
    screen = said
    for number in range(1, 6):
        right = rights[question_on_screen(screen)]
        said = await bot.say(f"@alice click {right}")
        assert f"[solo per @alice] Risposta registrata: «{right}»." in said
        await bot.advance("4s")
        await bot.say(f"@bob click {right}", f"@carla click {wrongs[right]}")
        screen = await bot.advance("17s")
        assert "✎ modificato" in screen
        assert f"✅ Risposta giusta: {right}" in screen
        assert "scelta da 2 · 67%" in screen and "scelta da 1 · 33%" in screen
        assert "Risposte: 3" in screen
        if number < 5:
            assert f"📈 Classifica dopo la domanda {number} di 5" in screen
            assert f"❓ Domanda {number + 1} di 5" in screen
    assert "💡 Spiegazione" in bot.all_output() and "Dal 1865 al 1871." in bot.all_output()
    assert "🏁 Quiz «storia» finito: classifica finale" in screen
    assert "Vince alice! 🎉" in screen
    board = standings(screen)
    assert [name for name, _ in board] == ["alice", "bob", "carla"]
    (_, alice), (_, bob), (_, carla) = board
    # Right at once: about 1000 a question (a busy machine takes a few); after 4 of 20
    # seconds: 900 at most.
    assert 4500 < alice <= 5000 and 3800 < bob <= 4500 and carla == 0
    assert "(5/5 giuste" in screen and "(0/5 giuste" in screen
    said = await bot.say("@carla: /quiz leaderboard")
    assert "[solo per @carla]" in said and "🏆 Classifica del quiz #1 («storia»)" in said
    assert [name for name, _ in standings(said)] == ["alice", "bob", "carla"]
    said = await bot.say("@bob: /quiz me")
    assert "🎯 I tuoi punteggi" in said and "2° posto · 5/5 giuste" in said
    said = await bot.say("@bob: /quiz leaderboard season:sì")
    assert "🏆 Classifica della stagione" in said
    assert [name for name, _ in standings(said)] == ["alice", "bob", "carla"]
    said = await bot.say("@bob: /quiz leaderboard since:2026-01-01")
    assert "🏆 Classifica dal 1 gen 2026" in said and len(standings(said)) == 3
    said = await bot.say("@bob: /quiz leaderboard since:2099-01-01")
    assert "«2099-01-01» è nel futuro" in said


async def test_a_whole_round_in_english(bot_en: TestBot) -> None:
    await players(bot_en)
    said = await import_bank(bot_en, "h", "history.gift")
    assert "Bank “h” imported from a GIFT file (questions: 3; categories: 1)." in said
    screen = await bot_en.say("@mara: /quiz start bank:h questions:2 seconds:10")
    assert "🎬 The “h” quiz begins: 2 questions, 10 seconds each." in screen
    assert "❓ Question 1 of 2" in screen and "[Stop the quiz]" in screen
    for _ in range(2):
        right = {
            "When was Rome founded, according to tradition?": "753 BC",
            "Julius Caesar crossed the Rubicon in 49 BC.": "True",
            "Who first walked on the Moon?": "Neil Armstrong",
        }[question_on_screen(screen)]
        said = await bot_en.say(f"@bob click {right}")
        assert f"[only for @bob] Answer recorded: “{right}”." in said
        screen = await bot_en.advance("11s")
        assert f"✅ Right answer: {right}" in screen and "chosen by 1 · 100%" in screen
    assert "🏁 The “h” quiz is over: final standings" in screen
    assert "bob wins! 🎉" in screen and "(2/2 right" in screen


async def test_a_second_click_is_refused_and_a_changed_mind_not_allowed(bot: TestBot) -> None:
    screen = await start_history(bot)
    first = await answer_right(bot, "alice", screen)
    assert "Risposta registrata" in first
    question = question_on_screen(screen)
    again = await answer_right(bot, "alice", screen)
    assert "[solo per @alice] Hai già risposto a questa domanda: vale la prima risposta." in again
    other = {"753 BC": "509 BC", "Vero": "Falso", "Neil Armstrong": "Buzz Aldrin"}
    clicked = first.split("«")[1].split("»")[0]
    said = await bot.say(f"@alice click {other[clicked]}")
    assert "Hai già risposto" in said
    screen = await bot.advance("21s")
    assert question in screen and "Risposte: 1" in screen


async def test_a_click_after_the_deadline_is_refused(bot: TestBot) -> None:
    screen = await start_history(bot)
    said = await bot.advance("21s")
    assert "(Ferma il quiz)" not in said
    # The revealed card's buttons are disabled; a stale screen may still send the click.
    said = await answer_right(bot, "bob", screen)
    assert "[solo per @bob] Tempo scaduto: la risposta non è stata registrata." in said
    said = await bot.say("@bob: /quiz me")
    assert "Non hai ancora risposto a nessun quiz." in said


async def test_staff_only_commands_are_refused_to_members(bot: TestBot) -> None:
    await start_history(bot)
    refusals = [
        f"@alice: /quiz import name:x file:{DATA / 'history.gift'}",
        "@alice: /quiz banks",
        "@alice: /quiz export bank:h",
        "@alice: /quiz delete bank:h",
        "@alice: /quiz start bank:h",
        "@alice: /quiz stop",
        f'@alice: /quiz schedule bank:h at:"{YEAR}-01-01 10:00"',
        "@alice: /quiz scheduled",
        "@alice: /quiz cancel id:1",
        "@alice click Ferma il quiz",
    ]
    for line in refusals:
        said = await bot.say(line)
        assert "[solo per @alice] Questa azione è riservata al ruolo staff." in said, line
    said = await bot.say("@mara: /quiz banks")
    assert "h\n  ┃   domande: 3" in said  # nothing was imported or deleted
    said = await bot.advance("21s")
    assert "❓ Domanda 2 di 3" in said  # and the round goes on


async def test_staff_stop_the_round_with_the_button_or_the_command(bot: TestBot) -> None:
    screen = await start_history(bot)
    await answer_right(bot, "alice", screen)
    said = await bot.say("@mara click Ferma il quiz")
    assert "✅ Risposta giusta" in said  # the open question is revealed
    assert "⏹ Quiz «h» fermato: classifica finale" in said and "Vince alice!" in said
    assert "[solo per @mara] Hai fermato il quiz." in said
    said = await bot.advance("1m")
    assert "❓" not in said and "Classifica" not in said
    said = await bot.say("@mara: /quiz stop")
    assert "Nessun quiz in corso qui." in said
    said = await bot.say("@mara: /quiz start bank:h questions:1")
    assert "🎬 Comincia il quiz «h»: una domanda, 20 secondi per rispondere." in said
    said = await bot.say("@mara: /quiz stop")
    assert "⏹ Quiz «h» fermato" in said and "Nessuno ha risposto." in said


async def test_one_round_at_a_time_in_a_channel(bot: TestBot) -> None:
    await start_history(bot)
    said = await bot.say(START)
    assert "In questo canale c'è già un quiz in corso" in said
    said = await bot.say("@mara in #altro: /quiz start bank:h questions:1")
    assert "❓ Domanda 1 di 1" in said


async def test_faster_right_answers_score_more_and_ties_go_to_the_quicker(bot: TestBot) -> None:
    screen = await start_history(bot)
    await answer_right(bot, "alice", screen)
    await bot.advance("10s")
    await answer_right(bot, "bob", screen)
    said = await bot.advance("11s")
    board = dict(standings(said))
    assert 950 < board["alice"] <= 1000 and 700 < board["bob"] <= 750
    assert list(board) == ["alice", "bob"]


async def test_unknown_bank_and_bad_numbers(bot: TestBot) -> None:
    await players(bot)
    said = await bot.say("@mara: /quiz start bank:nessuna")
    assert "Non c'è nessuna banca «nessuna»." in said
    await import_bank(bot, "h", "history.gift")
    said = await bot.say("@mara: /quiz start bank:h seconds:2")
    assert "[solo per @mara]" in said and "Uso: /quiz start" in said
    said = await bot.say("@mara: /quiz start bank:h questions:0")
    assert "Uso: /quiz start" in said
    said = await bot.say("@alice: /quiz leaderboard")
    assert "Non si è ancora giocato nessun quiz qui." in said


async def test_restart_mid_question_keeps_the_deadline(db_path: Path) -> None:
    async with running_bot(db_path) as bot:
        screen = await start_history(bot)
        await answer_right(bot, "alice", screen)
        await bot.advance("10s")
    async with running_bot(db_path) as bot:
        said = bot.all_output()
        assert "✅ Risposta giusta" not in said  # ten seconds are still left
        # Questions are played in the bank's order: Rome comes first.
        said = await bot.say("@alice click 753 BC", "@bob click 509 BC")
        assert "[solo per @alice] Hai già risposto" in said
        assert "[solo per @bob] Risposta registrata: «509 BC»." in said
        said = await bot.advance("5s")
        assert "✅ Risposta giusta" not in said  # five seconds left, give or take
        said = await bot.advance("6s")
        assert "✅ Risposta giusta" in said and "Risposte: 2" in said
        assert "❓ Domanda 2 di 3" in said


async def test_a_deadline_passed_while_down_is_revealed_at_start_and_the_round_goes_on(
    db_path: Path,
) -> None:
    async with running_bot(db_path) as bot:
        screen = await start_history(bot)
        await answer_right(bot, "alice", screen)
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE console_state SET clock_offset_seconds = clock_offset_seconds + 600")
        )
    engine.dispose()
    async with running_bot(db_path) as bot:
        said = bot.all_output()
        assert "✅ Risposta giusta" in said and "Risposte: 1" in said
        assert "📈 Classifica dopo la domanda 1 di 3" in said
        assert "❓ Domanda 2 di 3" in said
        said = await bot.advance("21s")
        assert "❓ Domanda 3 di 3" in said


@pytest.mark.parametrize("language", ["it", "en"])
async def test_the_demo_scripts_run_cleanly(
    language: str, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = DATA.parents[2]
    monkeypatch.chdir(root)  # the scripts name the sample banks from the repository's root
    script = (root / "docs" / "demo" / f"quiz-{language}.txt").read_text(encoding="utf-8")
    async with running_bot(db_path, language) as bot:
        said = await bot.say(*script.splitlines())
    assert not [line for line in said.splitlines() if line.startswith("?")]
    assert "Vince alice! 🎉" in said or "alice wins! 🎉" in said
