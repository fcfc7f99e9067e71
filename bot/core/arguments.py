"""Turn what a member typed into a command's typed arguments.

Text platforms (console, Slack) hand us one string; Discord hands us typed values.
Both end in `coerce`, so the limits of an option are checked in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.core.commands import Arguments, Command, Option, OptionKind, OptionValue
from bot.core.durations import DurationError, parse_duration
from bot.core.errors import ArgumentError
from bot.core.model import MAX_ATTACHMENT_BYTES, Attachment, Channel, Member

_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»"}
_TRUE = {"yes", "y", "true", "1", "on", "si", "sì", "vero"}
_FALSE = {"no", "n", "false", "0", "off", "falso"}
MAX_INPUT = 4000
# A form holds at most this many fields (Slack's modal limit; Discord's is 5).
MAX_FORM_FIELDS = 100
# How much of a refused value an error quotes back: enough to recognise it.
MAX_QUOTED = 80
# An integer option without its own bounds still fits the columns it is looked up in
# (PostgreSQL's INTEGER): a typed id of 20 digits is "not found", not a failed query.
MAX_INTEGER = 2**31 - 1
_OPTION_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,31}")


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    quoted: bool = False
    name: str | None = None


class Resolver(Protocol):
    """The adapter's knowledge of who and where a mention points to."""

    async def resolve_member(self, community_id: str, reference: str) -> Member | None: ...

    async def resolve_channel(self, community_id: str, reference: str) -> Channel | None: ...

    async def fetch_file(self, community_id: str, reference: str) -> Attachment | None: ...


def quoted(value: object) -> str:
    """A value as an error quotes it back: a long one cut, so the answer stays readable."""
    text = str(value)
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 1] + "…"


def check_text(text: str) -> str:
    """Free text a member typed (a message action's argument): refused past MAX_INPUT."""
    if len(text) > MAX_INPUT:
        raise ArgumentError("errors.input_too_long", limit=MAX_INPUT)
    return text


def check_form(values: Mapping[str, str]) -> Mapping[str, str]:
    """A submitted form: a bounded number of fields, none longer than a member may type."""
    if len(values) > MAX_FORM_FIELDS:
        raise ArgumentError("errors.too_many_arguments", count=MAX_FORM_FIELDS)
    for value in values.values():
        check_text(value)
    return values


def tokenize(text: str) -> list[Token]:
    """Split on white space, honouring quotes (straight, curly and «guillemets»)."""
    check_text(text)
    tokens: list[Token] = []
    index = 0
    length = len(text)
    while index < length:
        if text[index].isspace():
            index += 1
            continue
        name: str | None = None
        start = index
        while index < length and not text[index].isspace() and text[index] not in _QUOTES:
            index += 1
        word = text[start:index]
        if index < length and text[index] in _QUOTES:
            if word and not word.endswith(":"):
                # A quote inside a word (`l"uno`) is part of the word, as people type it.
                while index < length and not text[index].isspace():
                    index += 1
                tokens.append(Token(text[start:index]))
                continue
            name = word[:-1] if word else None
            value, index = _read_quoted(text, index)
            tokens.append(Token(value, quoted=True, name=name or None))
            continue
        tokens.append(Token(word))
    return tokens


def _read_quoted(text: str, index: int) -> tuple[str, int]:
    closing = _QUOTES[text[index]]
    index += 1
    chars: list[str] = []
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] in (closing, "\\"):
            chars.append(text[index + 1])
            index += 2
            continue
        if char == closing or (closing == '"' and char == "”"):
            return "".join(chars), index + 1
        chars.append(char)
        index += 1
    raise ArgumentError("errors.unclosed_quote")


def _split_named(token: Token, options: Mapping[str, Option]) -> Token:
    """`name:value` names an option; `10:30`, `https://…` and `:emoji:` stay plain words."""
    if token.quoted or token.name is not None or ":" not in token.text:
        return token
    name, _, value = token.text.partition(":")
    if name.lower() in options or (_OPTION_NAME.fullmatch(name) and not value.startswith("/")):
        return Token(value, name=name.lower())
    return token


def named_values(text: str) -> dict[str, str]:
    """`name:value` and `name:"quoted value"` pairs of a line; other words are ignored."""
    values: dict[str, str] = {}
    for token in tokenize(text):
        if token.name is None and not token.quoted and ":" in token.text:
            name, _, value = token.text.partition(":")
            token = Token(value, name=name)
        if token.name:
            values[token.name.lower()] = token.text
    return values


async def bind_text(
    command: Command, text: str, resolver: Resolver, community_id: str
) -> Arguments:
    """Bind free text to a command's options: named `name:value`, then positional in order."""
    by_name = {option.name: option for option in command.options}
    tokens = [_split_named(token, by_name) for token in tokenize(text)]
    raw: dict[str, str] = {}
    positional: list[Token] = []
    last_named: str | None = None
    for token in tokens:
        if token.name is not None:
            option = by_name.get(token.name.lower())
            if option is None:
                raise ArgumentError("errors.unknown_option", option=token.name)
            raw[option.name] = token.text
            last_named = (
                option.name if (option.kind is OptionKind.STRING and not token.quoted) else None
            )
            continue
        bare = token.text.lower()
        flag = by_name.get(bare)
        if not token.quoted and flag is not None and flag.kind is OptionKind.BOOLEAN:
            raw[flag.name] = "yes"
            last_named = None
            continue
        if (
            last_named is not None
            and not token.quoted
            and not token.text.startswith(("@", "#", "<"))
        ):
            # `message:Benvenuto a tutti` reads as one value, as people type it.
            raw[last_named] = f"{raw[last_named]} {token.text}"
            continue
        last_named = None
        positional.append(token)
    # Flags, durations and choices are named (`anonymous`, `duration:1h`, `results:hidden`):
    # a stray word must not land there.
    named_only = (OptionKind.BOOLEAN, OptionKind.DURATION, OptionKind.CHOICE)
    free = [
        option
        for option in command.options
        if option.name not in raw and option.kind not in named_only
    ]
    capacity = len(free)
    for token in positional:
        option = _slot_for(token, free)
        if option is None:
            raise ArgumentError("errors.too_many_arguments", count=capacity)
        free.remove(option)
        raw[option.name] = token.text
    values: dict[str, OptionValue] = {}
    for option in command.options:
        if option.name in raw:
            values[option.name] = await coerce(option, raw[option.name], resolver, community_id)
        elif option.required:
            raise ArgumentError("errors.missing_option", option=option.name)
    return Arguments(values)


def _slot_for(token: Token, free: list[Option]) -> Option | None:
    """A mention goes to the first free member or channel option; anything else in order."""
    if not token.quoted:
        if token.text.startswith(("@", "<@")):
            wanted = OptionKind.MEMBER
        elif token.text.startswith(("#", "<#")):
            wanted = OptionKind.CHANNEL
        else:
            wanted = None
        if wanted is not None:
            match = next((option for option in free if option.kind is wanted), None)
            if match is not None:
                return match
    return free[0] if free else None


async def coerce(
    option: Option, value: OptionValue, resolver: Resolver | None, community_id: str
) -> OptionValue:
    """Check one value against its option's kind and limits; return it typed."""
    kind = option.kind
    if kind is OptionKind.STRING:
        return _check_string(option, str(value))
    if kind is OptionKind.INTEGER:
        return _check_integer(option, value)
    if kind is OptionKind.BOOLEAN:
        return _check_boolean(option, value)
    if kind is OptionKind.CHOICE:
        return _check_choice(option, str(value))
    if kind is OptionKind.DURATION:
        return _check_duration(option, value)
    if kind is OptionKind.FILE:
        return await _check_file(option, value, resolver, community_id)
    if kind is OptionKind.MEMBER:
        if isinstance(value, Member):
            return value
        member = await resolver.resolve_member(community_id, str(value)) if resolver else None
        if member is None:
            raise ArgumentError("errors.unknown_member", option=option.name, value=quoted(value))
        return member
    if isinstance(value, Channel):
        return value
    channel = await resolver.resolve_channel(community_id, str(value)) if resolver else None
    if channel is None:
        raise ArgumentError("errors.unknown_channel", option=option.name, value=quoted(value))
    return channel


async def _check_file(
    option: Option, value: OptionValue, resolver: Resolver | None, community_id: str
) -> Attachment:
    attachment = value if isinstance(value, Attachment) else None
    if attachment is None:
        reference = str(value).strip()
        attachment = await resolver.fetch_file(community_id, reference) if resolver else None
        if attachment is None:
            raise ArgumentError("errors.unknown_file", option=option.name, value=quoted(reference))
    if attachment.size > MAX_ATTACHMENT_BYTES:
        raise ArgumentError(
            "errors.file_too_large", option=option.name, limit=MAX_ATTACHMENT_BYTES // 1024
        )
    if attachment.size == 0:
        raise ArgumentError("errors.file_empty", option=option.name)
    return attachment


def _check_string(option: Option, value: str) -> str:
    value = value.strip()
    if option.min_length is not None and len(value) < option.min_length:
        raise ArgumentError("errors.too_short", option=option.name, limit=option.min_length)
    if not value and option.required:
        raise ArgumentError("errors.missing_option", option=option.name)
    # Typed values (Discord's) never pass the text limit: an option without its own gets it.
    limit = option.max_length if option.max_length is not None else MAX_INPUT
    if len(value) > limit:
        raise ArgumentError("errors.too_long", option=option.name, limit=limit)
    return value


def _check_integer(option: Option, value: OptionValue) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ArgumentError("errors.not_integer", option=option.name, value=quoted(value))
    try:
        number = int(value)
    except ValueError:
        raise ArgumentError("errors.not_integer", option=option.name, value=quoted(value)) from None
    lowest = option.min_value if option.min_value is not None else -MAX_INTEGER
    highest = option.max_value if option.max_value is not None else MAX_INTEGER
    if number < lowest:
        raise ArgumentError("errors.too_small", option=option.name, limit=lowest)
    if number > highest:
        raise ArgumentError("errors.too_large", option=option.name, limit=highest)
    return number


def _check_boolean(option: Option, value: OptionValue) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ArgumentError("errors.not_boolean", option=option.name, value=quoted(value))


def _check_choice(option: Option, value: str) -> str:
    lowered = value.strip().lower()
    for choice in option.choices:
        if choice.value.lower() == lowered:
            return choice.value
    allowed = ", ".join(choice.value for choice in option.choices)
    raise ArgumentError(
        "errors.unknown_choice", option=option.name, value=quoted(value), allowed=allowed
    )


def _check_duration(option: Option, value: OptionValue) -> timedelta:
    if isinstance(value, timedelta):
        duration = value
    else:
        try:
            duration = parse_duration(str(value))
        except DurationError:
            raise ArgumentError(
                "errors.bad_duration", option=option.name, value=quoted(value)
            ) from None
    if option.min_duration is not None and duration < option.min_duration:
        raise ArgumentError("errors.duration_too_short", option=option.name)
    if option.max_duration is not None and duration > option.max_duration:
        raise ArgumentError("errors.duration_too_long", option=option.name)
    return duration


def pick_subcommand(command: Command, text: str) -> tuple[Command, str]:
    """Find the leaf a text invocation names; a group falls back to its default subcommand."""
    current = command
    remaining = text
    while current.subcommands:
        head, _, rest = remaining.strip().partition(" ")
        chosen = current.subcommand(head) if head and head[0] not in _QUOTES else None
        if chosen is not None:
            current, remaining = chosen, rest
            continue
        fallback = current.subcommand(current.default_subcommand or "")
        if fallback is None:
            raise ArgumentError("errors.unknown_subcommand", command=current.name)
        current = fallback
    return current, remaining
