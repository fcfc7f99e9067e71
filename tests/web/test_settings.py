"""The Settings page runs each cog's own settings command: what is saved here is what
the bot does in the chat."""

from __future__ import annotations

from tests.harness import TestBot
from tests.web.support import dashboard, form_token, sign_in

SETTINGS = "/c/console/console/settings"


async def test_a_welcome_saved_on_the_page_greets_the_next_member(bot: TestBot) -> None:
    await bot.say("join @rita as admin")
    async with dashboard(bot) as client:
        await sign_in(bot, client, "rita")
        page = await (await client.get(SETTINGS)).text()
        for title in ("Benvenuto", "Netiquette", "Domande ricorrenti", "Riepilogo settimanale"):
            assert f"<h2>{title}</h2>" in page
        csrf = await form_token(client, SETTINGS)
        saved = await client.post(
            f"{SETTINGS}/welcome",
            data={"csrf": csrf, "message": "Ciao {name}, qui si parla <b>gentile</b>!", "dm": ""},
        )
        assert saved.status == 200
        shown = await saved.text()
        assert "Ciao {name}, qui si parla &lt;b&gt;gentile&lt;/b&gt;!" in shown
        preview = await client.post(f"{SETTINGS}/show/welcome-preview", data={"csrf": csrf})
        assert "Ciao rita, qui si parla &lt;b&gt;gentile&lt;/b&gt;!" in await preview.text()
    said = await bot.say("join @nuovo")
    assert "Ciao nuovo, qui si parla <b>gentile</b>!" in said


async def test_trying_a_message_shows_the_rule_it_breaks_and_holds_nothing(bot: TestBot) -> None:
    await bot.say("join @rita as admin")
    assert bot.app is not None
    title = bot.app.translator.gettext("it", "netiquette.test.title")
    clean = bot.app.translator.gettext("it", "netiquette.test.clean")
    async with dashboard(bot) as client:
        await sign_in(bot, client, "rita")
        csrf = await form_token(client, SETTINGS)
        before = len(bot.output)
        tried = await client.post(
            f"{SETTINGS}/show/netiquette-test", data={"csrf": csrf, "text": "sei un idiota"}
        )
        page = await tried.text()
        assert title in page and "sei un idiota" in page
        tried = await client.post(
            f"{SETTINGS}/show/netiquette-test", data={"csrf": csrf, "text": "buongiorno a tutti"}
        )
        assert clean in await tried.text()
    assert bot.output[before:] == []  # nothing posted or held in the chat


async def test_language_time_zone_and_bad_values(bot: TestBot) -> None:
    await bot.say("join @rita as admin")
    async with dashboard(bot) as client:
        await sign_in(bot, client, "rita")
        csrf = await form_token(client, SETTINGS)
        wrong = await client.post(
            f"{SETTINGS}/community", data={"csrf": csrf, "language": "", "timezone": "Mars/Base"}
        )
        assert "«Mars/Base» non è un fuso orario" in await wrong.text()
        too_late = await client.post(f"{SETTINGS}/digest", data={"csrf": csrf, "hour": "25"})
        assert too_late.status == 200 and "«hour» può essere al massimo 23" in await too_late.text()
        changed = await client.post(
            f"{SETTINGS}/community",
            data={"csrf": csrf, "language": "en", "timezone": "America/New_York"},
        )
        page = await changed.text()
        assert "<h1>Settings</h1>" in page and 'value="America/New_York"' in page
    said = await bot.say("@rita: /welcome preview")
    assert "Welcome" in said or "welcome" in said  # the bot answers in English now


async def test_a_rule_added_on_the_page_is_listed_tried_and_removed(bot: TestBot) -> None:
    await bot.say("join @rita as admin", "join @alice")
    assert bot.app is not None
    clean = bot.app.translator.gettext("it", "netiquette.test.clean")
    async with dashboard(bot) as client:
        await sign_in(bot, client, "rita")
        csrf = await form_token(client, SETTINGS)
        missing = await client.post(
            f"{SETTINGS}/netiquette-add", data={"csrf": csrf, "kind": "word"}
        )
        assert "Manca «pattern», che è obbligatorio" in await missing.text()
        added = await client.post(
            f"{SETTINGS}/netiquette-add",
            data={"csrf": csrf, "kind": "word", "pattern": "zucchina", "severity": ""},
        )
        page = await added.text()
        assert "zucchina" in page
        tried = await client.post(
            f"{SETTINGS}/show/netiquette-test", data={"csrf": csrf, "text": "che zucchina sei"}
        )
        assert clean not in await tried.text()
        said = await bot.say("@alice: che zucchina sei")
        assert "[#moderatori]" in said  # the chat holds it by the rule added on the page
        rule = bot.app.translator.gettext("it", "netiquette.opt.rule")
        assert rule in page
        removed = await client.post(
            f"{SETTINGS}/netiquette-remove", data={"csrf": csrf, "rule": "1"}
        )
        assert removed.status == 200
        tried = await client.post(
            f"{SETTINGS}/show/netiquette-test", data={"csrf": csrf, "text": "che zucchina sei"}
        )
        assert clean in await tried.text()
