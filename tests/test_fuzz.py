"""Every command, button and form handler, fed random input through the console adapter:
no traceback, exception name or "something went wrong" ever reaches a member, and the bot
answers as before afterwards. Commands come from the dispatcher, so new ones are fuzzed too;
button and form ids mix the real ones the bot sent with random cog:action:argument ids."""

from __future__ import annotations

import ast
import os
import re
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.adapters.console.platform import ConsoleInteraction
from bot.core.commands import Command, Option, OptionKind
from bot.core.dispatcher import Dispatcher
from bot.core.events import ButtonPressed, FormSubmitted
from bot.core.model import MessageRef
from bot.core.serialize import message_from_json
from bot.storage.models import SentMessage
from tests.harness import TestBot

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
HUGE = "99999999999999999999"  # past any row id, in SQLite's and PostgreSQL's integers
MEMBERS = ("alice", "bob", "mara")  # a member, a member, an admin
# Seeded and bounded: the same examples on every run, a few seconds of CI.
FUZZ = settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LEAKS = re.compile(
    r"Traceback|\b[A-Z]\w*(Error|Exception)\b|Something went wrong|Qualcosa è andato storto"
)
SETUP = (
    "join @alice",
    "join @bob",
    "join @mara as admin,moderator,staff",
    '@mara: /poll "Pizza o pasta?" "Pizza" "Pasta"',
    "@alice: come si partecipa al torneo?",
    "@bob reply @alice: basta iscriversi dal sito",
)


def _action_words() -> list[str]:
    """The short lowercase literals in the cogs: the actions their buttons and forms know."""
    words: set[str] = set()
    for path in (ROOT / "cogs").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            value = node.value if isinstance(node, ast.Constant) else None
            if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{1,19}", value):
                words.add(value)
    return sorted(words)


ACTIONS = _action_words()
NASTY = st.sampled_from(
    [
        "",
        " ",
        "0",
        "-1",
        HUGE,
        "1e9",
        "NaN",
        "@alice",
        "@nobody",
        "#general",
        "#",
        "<@1>",
        '"',
        "«",
        "\\",
        "::",
        "{}",
        "{0}",
        "%s",
        "${x}",
        "{community.__class__}",
        "1h",
        "0m",
        "99999d",
        "2026-02-30 25:61",
        "yes",
        "ẞ" * 300,
        "é" * 1001,
        "\u200b",
        "\x00",
        "'; DROP TABLE polls; --",
    ]
)
WORDS = st.one_of(NASTY, st.text(st.characters(exclude_categories=["Cs"]), max_size=40))


@pytest.fixture
async def fuzzed(tmp_path: Path) -> AsyncIterator[TestBot]:
    # The limits have their own tests; here every member may ask as fast as the fuzzer does.
    previous = os.environ.get("RATE_LIMIT_BURST")
    os.environ["RATE_LIMIT_BURST"] = "0"
    bot = TestBot(f"sqlite+aiosqlite:///{tmp_path / 'fuzz.db'}", "en", tmp_path / "files")
    try:
        await bot.start()
        await bot.say(*SETUP)
        yield bot
        # Whatever the examples did, the bot answers as before.
        said = await bot.say("@bob: /help")
        assert "/poll" in said, said[:300]
    finally:
        await bot.stop()
        if previous is None:
            os.environ.pop("RATE_LIMIT_BURST", None)
        else:
            os.environ["RATE_LIMIT_BURST"] = previous


def _dispatcher(bot: TestBot) -> Dispatcher:
    assert bot.app is not None and bot.app.dispatcher is not None
    return bot.app.dispatcher


def _leaves(bot: TestBot) -> list[tuple[tuple[str, ...], Command]]:
    return [leaf for command in _dispatcher(bot).commands for leaf in command.leaves()]


def _value(option: Option) -> st.SearchStrategy[str]:
    typical: dict[OptionKind, st.SearchStrategy[str]] = {
        OptionKind.INTEGER: st.one_of(
            st.integers(-5, 10**6).map(str), st.sampled_from([HUGE, "2147483648", "-0", "1_0"])
        ),
        OptionKind.BOOLEAN: st.sampled_from(["yes", "no", "maybe"]),
        OptionKind.CHOICE: st.sampled_from([c.value for c in option.choices] or ["x"]),
        OptionKind.MEMBER: st.sampled_from(["@alice", "@mara", "@ghost"]),
        OptionKind.CHANNEL: st.sampled_from(["#general", "#staff", "#??"]),
        OptionKind.DURATION: st.sampled_from(["1m", "2h", "1d", "45d", "0s", "soon"]),
        OptionKind.FILE: st.sampled_from(["missing.csv", "/etc/hostname", "."]),
    }
    return st.one_of(typical.get(option.kind, WORDS), WORDS)


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def _command_line(draw: st.DrawFn, leaves: list[tuple[tuple[str, ...], Command]]) -> str:
    path, leaf = draw(st.sampled_from(leaves))
    parts = [f"/{' '.join(path)}"]
    for option in leaf.options:
        if draw(st.booleans()):
            value = draw(_value(option))
            named = draw(st.booleans())
            parts.append(f"{option.name}:{_quote(value)}" if named else _quote(value))
    if draw(st.integers(0, 4)) == 0:
        parts.append(draw(WORDS))
    return " ".join(parts)


def _one_line(text: str) -> str:
    return text.replace("\n", " ").replace("\r", " ")


def _assert_clean(said: str, what: str) -> None:
    leaked = LEAKS.search(said)
    assert leaked is None, f"{what!r} answered {said[:600]!r}"


async def _sent_ids(bot: TestBot) -> list[tuple[MessageRef, str]]:
    assert bot.app is not None
    async with bot.app.db.session() as session:
        rows = (
            await session.scalars(select(SentMessage).order_by(SentMessage.id.desc()).limit(50))
        ).all()
    return [
        (MessageRef(row.platform, row.community_id, row.channel_id, row.message_id), b.custom_id)
        for row in rows
        for b in message_from_json(row.content).buttons
    ]


@given(data=st.data())
@FUZZ
async def test_commands_never_show_a_traceback(fuzzed: TestBot, data: st.DataObject) -> None:
    leaves = _leaves(fuzzed)
    assert len(leaves) > 20
    who = data.draw(st.sampled_from(MEMBERS))
    line = _one_line(data.draw(_command_line(leaves)))
    said = await fuzzed.say(f"@{who}: {line}")
    _assert_clean(said, line)


def _pick(data: st.DataObject, items: Sequence[T], fallback: T) -> T:
    """One of a list that grows as the bot runs: drawn by index, so every example draws the
    same way whatever the list holds (hypothesis replays examples by their draws)."""
    index = data.draw(st.integers(0, 10**6))
    return items[index % len(items)] if items else fallback


def _random_id(bot: TestBot) -> st.SearchStrategy[str]:
    cogs = [cog.name for cog in _dispatcher(bot).cogs]
    argument = st.one_of(st.integers(-3, 10**12).map(str), NASTY, st.text(max_size=12))
    return st.builds(
        lambda cog, action, args: ":".join((cog, action, *args)),
        st.sampled_from(cogs),
        st.one_of(st.sampled_from(ACTIONS), st.text(max_size=8)),
        st.lists(argument, max_size=4),
    )


def _mutated(data: st.DataObject, custom_id: str) -> str:
    """A real id with one part changed: a button of another row, a stale one, a forged one."""
    parts = custom_id.split(":")
    index = data.draw(st.integers(0, 5))
    value = data.draw(st.one_of(st.just(HUGE), st.integers(-1, 10**9).map(str), NASTY))
    if index < len(parts):
        parts[index] = value
    else:
        parts.append(value)
    return ":".join(parts)


@given(data=st.data())
@FUZZ
async def test_buttons_never_show_a_traceback(fuzzed: TestBot, data: st.DataObject) -> None:
    console = fuzzed.console
    assert console is not None
    known = await _sent_ids(fuzzed)
    where: MessageRef | None
    where, real_id = _pick(data, known, (MessageRef("console", "console", "general", "1"), "x:y"))
    custom_id = data.draw(
        st.one_of(st.just(real_id), _random_id(fuzzed), st.just(_mutated(data, real_id)))
    )
    if data.draw(st.booleans()):
        where = None
    member = await console.get_member(data.draw(st.sampled_from(MEMBERS)))
    assert member is not None
    channel = await console.ensure_channel(where.channel_id if where else "general")
    before = len(fuzzed.output)
    await _dispatcher(fuzzed).button_pressed(
        ButtonPressed(
            console.community,
            channel,
            member,
            custom_id,
            ConsoleInteraction(console, channel, member, where),
            where,
        )
    )
    _assert_clean("\n".join(fuzzed.output[before:]), custom_id)


FIELD_NAMES = st.sampled_from(
    [
        "question",
        "options",
        "duration",
        "anonymous",
        "multiple",
        "tag",
        "answer",
        "faq",
        "text",
        "codes",
        "group",
        "into",
    ]
)


@given(data=st.data())
@FUZZ
async def test_forms_never_show_a_traceback(fuzzed: TestBot, data: st.DataObject) -> None:
    console = fuzzed.console
    assert console is not None
    known = [cid for _, cid in await _sent_ids(fuzzed)]
    forms = st.sampled_from(
        [
            "polls:form",
            "digest:tag:general:1",
            "questions:answer:1",
            "questions:merge:1",
            "contests:submitform:1",
            "contests:codes:1",
        ]
    )
    seen = _pick(data, known, "polls:form")
    custom_id = data.draw(st.one_of(forms, st.just(seen), _random_id(fuzzed)))
    values = data.draw(
        st.dictionaries(FIELD_NAMES | st.text(max_size=10), WORDS | st.text(), max_size=6)
    )
    member = await console.get_member(data.draw(st.sampled_from(MEMBERS)))
    assert member is not None
    channel = await console.ensure_channel("general")
    before = len(fuzzed.output)
    await _dispatcher(fuzzed).form_submitted(
        FormSubmitted(
            console.community,
            channel,
            member,
            custom_id,
            values,
            ConsoleInteraction(console, channel, member),
        )
    )
    _assert_clean("\n".join(fuzzed.output[before:]), f"{custom_id} {values!r}")


@given(data=st.data())
@FUZZ
async def test_message_actions_never_show_a_traceback(fuzzed: TestBot, data: st.DataObject) -> None:
    actions = [action.name for action in _dispatcher(fuzzed).message_actions]
    assert actions
    who = data.draw(st.sampled_from(MEMBERS))
    action = data.draw(st.sampled_from(actions))
    target = data.draw(st.sampled_from(["@alice", "@bob", "1", "2", "999"]))
    argument = _one_line(data.draw(WORDS))
    line = f"@{who} {action} {target} {argument}"
    _assert_clean(await fuzzed.say(line), line)
