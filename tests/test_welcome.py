"""Welcome: greeting, DM with rules and first steps, starting role, /welcome for admins."""

from __future__ import annotations

import asyncio

import pytest

from bot.core.model import Community
from bot.storage.database import Database
from bot.storage.migrate import upgrade
from cogs.welcome.service import WelcomeService
from tests.harness import TestBot


async def test_join_greets_in_general_and_sends_rules_by_dm(bot: TestBot) -> None:
    said = await bot.say("join @alice")
    assert "[#generale] 👋 Benvenuto/a @alice in Ponte! Ora siamo in 1." in said
    assert "[DM @alice]" in said
    assert "📜 Regole" in said and "🚀 Primi passi" in said


async def test_english_community_greets_in_english(bot_en: TestBot) -> None:
    said = await bot_en.say("join @alice", "join @bob")
    assert "[#general] 👋 Welcome @bob to Ponte! We are 2 now." in said
    assert "📜 Rules" in said


async def test_admin_configures_channel_message_and_role(bot: TestBot) -> None:
    await bot.say("join @ada as admin")
    said = await bot.say(
        "@ada: /welcome set channel:#benvenuti role:Nuovi dm:no "
        'message:"Ciao {name}, sei il numero {count} di {community}"'
    )
    assert "✅ Impostazioni salvate." in said
    assert said.startswith("[solo per @ada]")
    said = await bot.say("join @bruno")
    assert "[#benvenuti] Ciao bruno, sei il numero 2 di Ponte" in said
    assert "ruolo Nuovi dato a @bruno" in said
    assert "[DM @bruno]" not in said


async def test_unquoted_message_reads_to_the_next_option(bot: TestBot) -> None:
    await bot.say("join @ada as admin")
    await bot.say("@ada: /welcome set message:Ciao {member} e benvenuto! dm:no")
    said = await bot.say("join @carla")
    assert "[#generale] Ciao @carla e benvenuto!" in said


async def test_template_cannot_reach_attributes_or_code(bot: TestBot) -> None:
    await bot.say("join @ada as admin")
    await bot.say('@ada: /welcome set message:"{member.__class__} {name!r} {0} {count}"')
    said = await bot.say("join @eve")
    assert "{member.__class__} {name!r} {0} 2" in said


async def test_members_cannot_configure_the_welcome(bot: TestBot) -> None:
    await bot.say("join @mallory")
    said = await bot.say("@mallory: /welcome set message:hacked")
    assert "[solo per @mallory] Questa azione è riservata al ruolo amministratore." in said
    said = await bot.say("join @zoe")
    assert "hacked" not in said


async def test_preview_shows_greeting_and_dm_to_the_admin_only(bot: TestBot) -> None:
    await bot.say("join @ada as admin")
    said = await bot.say("@ada: /welcome preview")
    assert said.startswith("[solo per @ada] Anteprima del saluto:")
    assert "Benvenuto/a @ada in Ponte!" in said
    assert "📜 Regole" in said


async def test_language_switch_changes_every_later_message(bot: TestBot) -> None:
    await bot.say("join @ada as admin")
    said = await bot.say("@ada: /welcome set language:en")
    assert "✅ Settings saved." in said
    said = await bot.say("join @tom")
    assert "Welcome @tom to Ponte!" in said


async def test_reset_restores_default_greeting(bot: TestBot) -> None:
    await bot.say("join @ada as admin", '@ada: /welcome set message:"Ehi {name}"')
    await bot.say("@ada: /welcome reset")
    said = await bot.say("join @ugo")
    assert "👋 Benvenuto/a @ugo in Ponte!" in said


async def test_oversized_message_is_refused_and_settings_kept(bot: TestBot) -> None:
    await bot.say("join @ada as admin", '@ada: /welcome set message:"Ciao {name}"')
    said = await bot.say(f'@ada: /welcome set message:"{"x" * 1600}"')
    assert "è troppo lungo: al massimo 1.500 caratteri" in said
    assert "Uso: /welcome set" in said
    said = await bot.say("join @vera")
    assert "Ciao vera" in said


async def test_help_lists_only_the_commands_a_member_may_use(bot: TestBot) -> None:
    await bot.say("join @ada as admin", "join @bob")
    said = await bot.say("@bob: /help")
    assert said.startswith("[solo per @bob]")
    assert "/poll create" in said
    assert "/welcome" not in said
    said = await bot.say("@ada: /help")
    assert "/welcome set" in said and "/welcome preview" in said
    said = await bot.say("@bob: /help command:poll")
    assert "Esempio: /poll" in said
    said = await bot.say("@bob: /help command:welcome")
    assert "Non c'è un comando /welcome che tu possa usare qui" in said


async def test_settings_card_shows_placeholders_as_written_without_warnings(
    bot: TestBot, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.say("join @ada as admin")
    said = await bot.say("@ada: /welcome set")
    assert "Segnaposto: {member} {name} {community} {count}." in said
    assert "does not fit" not in caplog.text


async def test_settings_changed_by_another_process_are_seen_within_the_refresh(
    database_url: str,
) -> None:
    await asyncio.to_thread(upgrade, database_url)
    db = Database(database_url)
    community = Community("console", "console", "Ponte")
    try:
        here, elsewhere = WelcomeService(db, refresh_seconds=60), WelcomeService(db)
        assert (await here.get(community)).greeting is None
        await elsewhere.update(community, greeting="Ciao {member}!")
        assert (await here.get(community)).greeting is None  # cached: no read at every join
        await here.update(community, role="Nuovi")  # a change made here reads again
        assert (await here.get(community)).greeting == "Ciao {member}!"
        here.kept.refresh_seconds = 0
        await elsewhere.update(community, greeting="Benvenuto/a {member}!")
        assert (await here.get(community)).greeting == "Benvenuto/a {member}!"
    finally:
        await db.dispose()
