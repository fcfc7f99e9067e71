"""The bare `/poll` opens a form: typing ten options on one line is clumsy on a phone."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot.core.arguments import coerce
from bot.core.cards import Form, FormField
from bot.core.commands import Arguments, Option, OptionValue
from bot.core.errors import ArgumentError

Translate = Callable[..., str]
FORM_FIELDS = ("question", "options", "duration", "anonymous", "multiple")


def poll_form(t: Translate, custom_id: str) -> Form:
    return Form(
        custom_id=custom_id,
        title=t("polls.form.title"),
        fields=(
            FormField("question", t("polls.form.question"), max_length=240),
            FormField(
                "options",
                t("polls.form.options"),
                multiline=True,
                max_length=800,
                placeholder=t("polls.form.options_hint"),
            ),
            FormField(
                "duration",
                t("polls.form.duration"),
                required=False,
                max_length=20,
                placeholder="1h",
            ),
            FormField(
                "anonymous",
                t("polls.form.anonymous"),
                required=False,
                max_length=5,
                placeholder=t("common.no"),
            ),
            FormField(
                "multiple",
                t("polls.form.multiple"),
                required=False,
                max_length=5,
                placeholder=t("common.no"),
            ),
        ),
    )


async def form_arguments(
    options: Sequence[Option], values: Mapping[str, str], community_id: str
) -> Arguments:
    """Check what was typed in the form against the same options `/poll` declares."""
    by_name = {option.name: option for option in options}
    labels = [line.strip() for line in values.get("options", "").splitlines() if line.strip()]
    slots = sum(1 for name in by_name if name.startswith("option"))
    if len(labels) > slots:
        raise ArgumentError("errors.too_many_arguments", count=slots)
    raw: dict[str, str] = {f"option{number}": label for number, label in enumerate(labels, start=1)}
    for name in ("question", "duration", "anonymous", "multiple"):
        text = values.get(name, "").strip()
        if text:
            raw[name] = text
    typed: dict[str, OptionValue] = {}
    for name, text in raw.items():
        typed[name] = await coerce(by_name[name], text, None, community_id)
    for option in options:
        if option.required and option.name not in typed:
            raise ArgumentError("errors.missing_option", option=option.name)
    return Arguments(typed)
