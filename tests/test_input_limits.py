"""Oversized input is refused with a clear answer wherever a member types: a command's text
or typed options, a form's fields, a message action's argument."""

from __future__ import annotations

import pytest

from bot.adapters.console.platform import ConsoleInteraction
from bot.core.arguments import MAX_INPUT, coerce
from bot.core.commands import Option, OptionKind
from bot.core.errors import ArgumentError
from bot.core.events import CommandInvoked, FormSubmitted
from tests.harness import TestBot

TOO_LONG_EN = "That text is too long: 4,000 characters at most."


async def _member(bot: TestBot, name: str) -> tuple[ConsoleInteraction, CommandInvoked]:
    console = bot.console
    assert console is not None
    member = await console.get_member(name)
    assert member is not None
    channel = await console.ensure_channel("general")
    interaction = ConsoleInteraction(console, channel, member)
    event = CommandInvoked(console.community, channel, member, "help", interaction)
    return interaction, event


async def test_an_overlong_command_line_is_refused_and_the_bot_answers_after(
    bot_en: TestBot,
) -> None:
    await bot_en.say("join @alice")
    said = await bot_en.say(f'@alice: /poll "{"x" * (MAX_INPUT + 1)}" "A" "B"')
    assert said.startswith(f"[only for @alice] {TOO_LONG_EN}\n  Usage: /poll")
    assert "/poll" in await bot_en.say("@alice: /help")


async def test_typed_options_from_a_platform_are_held_to_their_limits(bot_en: TestBot) -> None:
    # Discord hands typed values over without the text path: the same limits apply.
    await bot_en.say("join @alice")
    interaction, template = await _member(bot_en, "alice")
    assert bot_en.app is not None and bot_en.app.dispatcher is not None
    await bot_en.app.dispatcher.command_invoked(
        CommandInvoked(
            template.community,
            template.channel,
            template.member,
            "poll",
            interaction,
            path=("poll", "create"),
            values={"question": "q" * 5000, "option1": "A", "option2": "B"},
        )
    )
    said = bot_en.output[-1]
    assert said.startswith("[only for @alice] “question” is too long:")


async def test_a_form_with_an_overlong_field_is_refused(bot_en: TestBot) -> None:
    await bot_en.say("join @alice")
    interaction, template = await _member(bot_en, "alice")
    assert bot_en.app is not None and bot_en.app.dispatcher is not None
    await bot_en.app.dispatcher.form_submitted(
        FormSubmitted(
            template.community,
            template.channel,
            template.member,
            "polls:form",
            {"question": "Tea?", "options": "Yes\n" + "n" * (MAX_INPUT + 1)},
            interaction,
        )
    )
    assert bot_en.output[-1] == f"[only for @alice] {TOO_LONG_EN}"
    await bot_en.app.dispatcher.form_submitted(
        FormSubmitted(
            template.community,
            template.channel,
            template.member,
            "polls:form",
            {f"field{number}": "x" for number in range(500)},
            interaction,
        )
    )
    assert bot_en.output[-1] == "[only for @alice] Too many values: this command takes at most 100."


async def test_an_overlong_message_action_argument_is_refused(bot_en: TestBot) -> None:
    await bot_en.say("join @alice", "join @bob as staff", "@alice: hello all")
    said = await bot_en.say(f"@bob tag @alice {'t' * (MAX_INPUT + 1)}")
    assert said == f"[only for @bob] {TOO_LONG_EN}"


async def test_a_refused_value_is_quoted_back_short(bot_en: TestBot) -> None:
    await bot_en.say("join @alice")
    said = await bot_en.say(f'@alice: /poll "Q?" "A" "B" duration:{"z" * 3000}')
    assert "is not a duration" in said and len(said) < 300


async def test_a_string_option_without_its_own_limit_gets_the_text_limit() -> None:
    option = Option("note", OptionKind.STRING, "d")
    assert await coerce(option, "n" * MAX_INPUT, None, "c") == "n" * MAX_INPUT
    with pytest.raises(ArgumentError) as refused:
        await coerce(option, "n" * (MAX_INPUT + 1), None, "c")
    assert refused.value.key == "errors.too_long"


async def test_an_id_too_large_for_any_row_is_refused_clearly(bot_en: TestBot) -> None:
    await bot_en.say("join @alice")
    said = await bot_en.say('@alice: /poll close "99999999999999999999"')
    assert said.startswith("[only for @alice] “poll” can be at most 2,147,483,647.")
    assert "went wrong" not in said


@pytest.mark.parametrize("name", ["é" * 300, "a\x00b", "/root/../" * 200])
async def test_a_file_name_no_file_can_have_is_not_found(bot_en: TestBot, name: str) -> None:
    await bot_en.say("join @mara as admin")
    said = await bot_en.say(f'@mara: /contest codes 1 "{name}"')
    assert said.startswith("[only for @mara] I can't find the file “"), said[:200]
