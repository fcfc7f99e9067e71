"""A button or form whose id names no row (forged, stale, or a number past any row) gets
"this button is no longer valid", never a failed query."""

from __future__ import annotations

import pytest

from bot.adapters.console.platform import ConsoleInteraction
from bot.core.cog import ComponentId
from bot.core.errors import UserFacingError
from bot.core.events import ButtonPressed, FormSubmitted
from tests.harness import TestBot

HUGE = "99999999999999999999"
STALE = "[only for @mara] This button is no longer valid."
BUTTONS = [
    f"polls:vote:{HUGE}:0",
    f"polls:vote:1:{HUGE}",
    f"netiquette:approve:{HUGE}",
    f"quizzes:answer:{HUGE}:0",
    f"quizzes:stop:{HUGE}",
    f"questions:helpful:{HUGE}",
    f"calendar:remind:{HUGE}",
    f"contests:enter:{HUGE}",
    f"contests:vote:1:{HUGE}",
]
FORMS = [f"questions:answer:{HUGE}", f"contests:submitform:{HUGE}"]


def test_a_component_number_is_a_row_id_or_the_button_is_stale() -> None:
    assert ComponentId.parse("polls:vote:12:0") == ComponentId("polls", "vote", ("12", "0"))
    assert ComponentId("polls", "vote", ("12", "0")).number(0) == 12
    for args in ((), ("x",), ("-1",), (HUGE,), ("2147483648",)):
        with pytest.raises(UserFacingError) as stale:
            ComponentId("polls", "vote", args).number(0)
        assert stale.value.key == "errors.unknown_button"


async def _answer(bot: TestBot, custom_id: str, form: bool) -> str:
    console = bot.console
    assert console is not None and bot.app is not None and bot.app.dispatcher is not None
    await bot.say("join @mara as admin,moderator,staff")
    member = await console.get_member("mara")
    assert member is not None
    channel = await console.ensure_channel("general")
    interaction = ConsoleInteraction(console, channel, member)
    before = len(bot.output)
    if form:
        await bot.app.dispatcher.form_submitted(
            FormSubmitted(console.community, channel, member, custom_id, {"text": "x"}, interaction)
        )
    else:
        await bot.app.dispatcher.button_pressed(
            ButtonPressed(console.community, channel, member, custom_id, interaction)
        )
    return "\n".join(bot.output[before:])


@pytest.mark.parametrize("custom_id", BUTTONS)
async def test_a_button_past_any_row_is_stale(bot_en: TestBot, custom_id: str) -> None:
    assert await _answer(bot_en, custom_id, form=False) == STALE


@pytest.mark.parametrize("custom_id", FORMS)
async def test_a_form_past_any_row_is_stale(bot_en: TestBot, custom_id: str) -> None:
    assert await _answer(bot_en, custom_id, form=True) == STALE
