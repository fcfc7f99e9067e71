"""The text argument parser: what a Slack or console user types becomes typed options."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.arguments import bind_text, pick_subcommand, tokenize
from bot.core.commands import Choice, Command, Option, OptionKind
from bot.core.errors import ArgumentError
from bot.core.model import Channel, Member

COMMAND = Command(
    "demo",
    "demo",
    (
        Option("title", OptionKind.STRING, "d", required=True, max_length=50),
        Option("count", OptionKind.INTEGER, "d", min_value=1, max_value=10),
        Option("who", OptionKind.MEMBER, "d"),
        Option("where", OptionKind.CHANNEL, "d"),
        Option(
            "size", OptionKind.CHOICE, "d", choices=(Choice("small", "s"), Choice("large", "l"))
        ),
        Option("after", OptionKind.DURATION, "d"),
        Option("loud", OptionKind.BOOLEAN, "d"),
    ),
)


class Directory:
    async def resolve_member(self, community_id: str, reference: str) -> Member | None:
        name = reference.lstrip("@")
        return Member("test", community_id, name, name) if name == "alice" else None

    async def resolve_channel(self, community_id: str, reference: str) -> Channel | None:
        name = reference.lstrip("#")
        return Channel("test", community_id, name, name) if name == "general" else None


async def bind(text: str) -> dict[str, object]:
    return dict(await bind_text(COMMAND, text, Directory(), "c"))


async def test_positional_named_and_flags_bind_to_typed_values() -> None:
    values = await bind('"Hello world" 3 @alice #general size:LARGE after:1h30m loud')
    assert values["title"] == "Hello world"
    assert values["count"] == 3
    assert isinstance(values["who"], Member) and values["who"].id == "alice"
    assert isinstance(values["where"], Channel) and values["where"].name == "general"
    assert values["size"] == "large"
    assert values["after"] == timedelta(hours=1, minutes=30)
    assert values["loud"] is True


async def test_curly_quotes_and_guillemets_as_typed_on_phones() -> None:
    assert (await bind("“Ciao mondo”"))["title"] == "Ciao mondo"
    assert (await bind("«Ciao mondo»"))["title"] == "Ciao mondo"


async def test_apostrophes_stay_in_words() -> None:
    assert (await bind("l'ora"))["title"] == "l'ora"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "errors.missing_option"),
        ('"x" 0', "errors.too_small"),
        ('"x" 11', "errors.too_large"),
        ('"x" tre', "errors.not_integer"),
        ('"x" @nobody', "errors.unknown_member"),
        ('"x" where:#nowhere', "errors.unknown_channel"),
        ('"x" size:huge', "errors.unknown_choice"),
        ('"x" after:soon', "errors.bad_duration"),
        ('"x" loud:maybe', "errors.not_boolean"),
        ('"x" colour:red', "errors.unknown_option"),
        ('"x', "errors.unclosed_quote"),
        (f'"{"y" * 51}"', "errors.too_long"),
        ('"x" 1 @alice #general size:small extra', "errors.too_many_arguments"),
        ("z" * 5000, "errors.input_too_long"),
    ],
)
async def test_bad_input_names_the_problem(text: str, key: str) -> None:
    with pytest.raises(ArgumentError) as raised:
        await bind(text)
    assert raised.value.key == key


async def test_group_falls_back_to_default_subcommand_unless_named() -> None:
    create = Command("create", "c", (Option("q", OptionKind.STRING, "d"),))
    listing = Command("list", "l")
    group = Command("poll", "p", subcommands=(create, listing), default_subcommand="create")
    assert pick_subcommand(group, "list")[0] is listing
    assert pick_subcommand(group, '"list"')[0] is create
    assert pick_subcommand(group, "Pizza o pasta")[0] is create


safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\“”„«»'),
    min_size=1,
    max_size=40,
).filter(lambda value: value.strip() == value and value)


@given(st.lists(safe_text, min_size=1, max_size=8))
def test_quoted_values_come_back_exactly(values: list[str]) -> None:
    text = " ".join(f'"{value}"' for value in values)
    assert [token.text for token in tokenize(text)] == values


@given(st.text(max_size=200))
def test_tokenizer_never_crashes_only_refuses(text: str) -> None:
    try:
        tokens = tokenize(text)
    except ArgumentError as error:
        assert error.key == "errors.unclosed_quote"
    else:
        assert all(token.text or token.quoted for token in tokens)


@given(st.text(alphabet='ab "\\:@#', max_size=60))
def test_escaped_quotes_round_trip(text: str) -> None:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    tokens = tokenize(f'"{escaped}"')
    assert [token.text for token in tokens] == [text]
