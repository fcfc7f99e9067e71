"""`/netiquette`: test a text, list, add, remove and allow rules, settings, refusals."""

from __future__ import annotations

from tests.harness import TestBot


async def members(bot: TestBot) -> None:
    await bot.say("join @alice", "join @mara as moderator")


async def test_test_shows_the_rule_and_span_and_acts_on_nothing(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say('@mara: /netiquette test text:"sei proprio un idiota"')
    assert said.startswith("[solo per @mara]")
    assert "⟦idiota⟧" in said and "niente insulti" in said
    assert "nessuna azione è stata fatta" in said
    assert "nascosto" not in said and "[#moderatori]" not in said
    said = await bot.say('@mara: /netiquette test text:"che bella giornata"')
    assert "Nessuna regola scatterebbe" in said


async def test_a_community_rule_is_added_used_and_removed(bot_en: TestBot) -> None:
    bot = bot_en
    await members(bot)
    said = await bot.say('@mara: /netiquette add kind:word pattern:"pineapple" severity:hold')
    assert "Rule #1 added (hold for review)." in said
    said = await bot.say("@mara: /netiquette rules")
    assert "#1 · word “pineapple” · hold for review" in said
    assert "no insults" not in said or "Built-in" in said
    said = await bot.say("@alice: pineapple on pizza")
    assert "🛡 Message under review #1" in said
    assert "community rule: “pineapple”" in said  # the pattern, for the moderators
    dm = next(line for line in said.splitlines() if line.startswith("[DM @alice]"))
    assert "“community rule”" in dm and "pineapple" not in dm
    said = await bot.say("@mara: /netiquette remove rule:1")
    assert "Rule #1 (“pineapple”) removed." in said
    said = await bot.say("@alice: pineapple again")
    assert "review" not in said
    said = await bot.say("@mara: /netiquette remove rule:1")
    assert "There is no rule #1 in this community." in said


async def test_an_invalid_regex_gets_its_reason(bot_en: TestBot) -> None:
    await members(bot_en)
    said = await bot_en.say('@mara: /netiquette add kind:regex pattern:"(unclosed" severity:warn')
    assert "This regular expression is not valid:" in said
    said = await bot_en.say("@mara: /netiquette rules")
    assert "unclosed" not in said


async def test_a_pathological_regex_is_accepted_and_stays_harmless(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say('@mara: /netiquette add kind:regex pattern:"(a+)+$" severity:log')
    assert "Regola #1 aggiunta (solo registro)." in said
    said = await bot.say(f"@alice: {'a' * 3000}!")
    assert "revisione" not in said


async def test_bad_and_oversized_inputs_are_refused_politely(bot: TestBot) -> None:
    await members(bot)
    cases = {
        '@mara: /netiquette add kind:domain pattern:"non un dominio"': "non è un dominio",
        f'@mara: /netiquette add kind:word pattern:"{"x" * 80}"': "Troppo lungo",
        f'@mara: /netiquette test text:"{"x" * 2100}"': "troppo lungo",
        "@mara: /netiquette add kind:spell pattern:x": "spell",
        '@mara: /netiquette settings escalation:"due:1h"': "Non capisco «due:1h»",
        "@mara: /netiquette settings enabled:no": "Indica anche quale categoria",
        '@mara: /netiquette allow word:"ciao" domain:esempio.it': "uno dei due",
        "@mara: /netiquette pardon strike:9": "Non c'è un'ammonizione attiva #9.",
    }
    for line, expected in cases.items():
        said = await bot.say(line)
        assert expected in said, (line, said)
        assert "Traceback" not in said
    said = await bot.say("@mara: /netiquette rules")
    assert "Della community\n  ┃   nessuna" in said


async def test_members_may_not_use_the_commands(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say('@alice: /netiquette add kind:word pattern:"ciao"')
    assert "[solo per @alice]" in said and "moderatore" in said
    said = await bot.say("@alice: /netiquette rules")
    assert "moderatore" in said


async def test_settings_are_shown_and_changed(bot_en: TestBot) -> None:
    await members(bot_en)
    said = await bot_en.say("@mara: /netiquette settings")
    assert "#moderators (default)" in said
    assert "2 strikes → 1 hour, 3 strikes → 1 day" in said
    said = await bot_en.say(
        '@mara: /netiquette settings channel:#review reminder:2h escalation:"3:10m"'
    )
    assert "#review" in said and "2 hours" in said and "3 strikes → 10 minutes" in said
    await bot_en.say("@alice: you are such an idiot")
    said = bot_en.all_output()
    assert "[#review]" in said


async def test_allowed_word_and_denied_domain(bot_en: TestBot) -> None:
    await members(bot_en)
    said = await bot_en.say("@mara: /netiquette add kind:domain pattern:https://www.Bad.example/x")
    assert "Rule #1 added" in said
    said = await bot_en.say("@mara: /netiquette rules")
    assert "“bad.example”" in said
    said = await bot_en.say("@alice: my site https://good.example/page")
    assert "new members cannot post links yet" in said  # alice joined a moment ago
    await bot_en.say("@mara click Approve", "advance 2d")
    said = await bot_en.say("@alice: look at https://bad.example/page")
    assert "Message under review #2" in said and "link to a site not allowed here" in said
    said = await bot_en.say("@alice: and https://good.example/page")
    assert "review" not in said
    said = await bot_en.say("@mara: /netiquette allow domain:good.example")
    assert "Allowed (rule #2)." in said


async def test_an_allowed_word_stops_firing(bot: TestBot) -> None:
    await members(bot)
    said = await bot.say('@mara: /netiquette test text:"che pirla"')
    assert "Nessuna regola" not in said
    said = await bot.say('@mara: /netiquette allow word:"pirla"')
    assert "Ammesso (regola #1)." in said
    said = await bot.say('@mara: /netiquette test text:"che pirla"')
    assert "Nessuna regola scatterebbe" in said
    said = await bot.say("@mara: /netiquette rules")
    assert "#1 · parola ammessa «pirla» · non scatta mai" in said
