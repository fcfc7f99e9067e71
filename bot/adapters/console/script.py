"""The console's language, one line at a time.

join @alice                       join @mara as moderator
@alice in #general: ciao a tutti  @alice: /poll "Pizza o pasta?" "Pizza" "Pasta"
@bob click Pizza                  advance 2h
leave @alice                      # a comment
@bob reply 12: grazie!            @alice edit 12: testo nuovo
@alice delete 12                  @bob report 12   (any message action: @bob tag @alice bug)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.core.durations import DurationError, parse_duration
from bot.core.model import Role

_NAME = r"@?([\w.\-]{1,32})"
_JOIN = re.compile(rf"^join\s+{_NAME}(?:\s+as\s+([\w,\s]+))?$", re.IGNORECASE)
_LEAVE = re.compile(rf"^leave\s+{_NAME}$", re.IGNORECASE)
_SAY = re.compile(r"^@([\w.\-]{1,32})(?:\s+in\s+#([\w\-]{1,80}))?\s*:\s?(.*)$", re.IGNORECASE)
_CLICK = re.compile(r"^@([\w.\-]{1,32})\s+click\s+(.+)$", re.IGNORECASE)
_FILL = re.compile(r"^@([\w.\-]{1,32})\s+fill(?:\s+(.*))?$", re.IGNORECASE)
_ADVANCE = re.compile(r"^advance\s+(.+)$", re.IGNORECASE)
# A message by its number, or the newest one by a member: `12`, `@alice`.
_TARGET = r"(\d{1,12}|@[\w.\-]{1,32})"
_REPLY = re.compile(rf"^@([\w.\-]{{1,32}})\s+reply\s+{_TARGET}\s*:\s?(.*)$", re.IGNORECASE)
_EDIT = re.compile(rf"^@([\w.\-]{{1,32}})\s+edit\s+{_TARGET}\s*:\s?(.*)$", re.IGNORECASE)
_DELETE = re.compile(rf"^@([\w.\-]{{1,32}})\s+delete\s+{_TARGET}$", re.IGNORECASE)
_ACTION = re.compile(
    rf"^@([\w.\-]{{1,32}})\s+([a-z][\w\-]{{0,31}})\s+{_TARGET}(?:\s+(.*))?$", re.IGNORECASE
)
_ROLE_WORDS = {
    "member": Role.MEMBER,
    "membro": Role.MEMBER,
    "moderator": Role.MODERATOR,
    "moderatore": Role.MODERATOR,
    "mod": Role.MODERATOR,
    "staff": Role.STAFF,
    "admin": Role.ADMIN,
    "amministratore": Role.ADMIN,
}


@dataclass(frozen=True, slots=True)
class Join:
    name: str
    roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class Leave:
    name: str


@dataclass(frozen=True, slots=True)
class Say:
    name: str
    channel: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Click:
    name: str
    label: str


@dataclass(frozen=True, slots=True)
class Fill:
    """`@alice fill question:"…" options:"A\\nB"`: answers the form the bot opened for alice."""

    name: str
    text: str


@dataclass(frozen=True, slots=True)
class Reply:
    name: str
    target: str
    text: str


@dataclass(frozen=True, slots=True)
class Edit:
    name: str
    target: str
    text: str


@dataclass(frozen=True, slots=True)
class Delete:
    name: str
    target: str


@dataclass(frozen=True, slots=True)
class Act:
    """`@bob report 12`: a message action (report, tag…) on someone's message."""

    name: str
    action: str
    target: str
    argument: str


@dataclass(frozen=True, slots=True)
class Advance:
    delta: timedelta


@dataclass(frozen=True, slots=True)
class Nothing:
    """A blank line or a comment."""


@dataclass(frozen=True, slots=True)
class Unknown:
    line: str
    reason: str  # catalog key


Line = Join | Leave | Say | Click | Fill | Reply | Edit | Delete | Act | Advance | Nothing | Unknown


def parse_line(raw: str) -> Line:
    line = raw.strip()
    if not line or line.startswith("#"):
        return Nothing()
    if match := _JOIN.match(line):
        return _join(match.group(1), match.group(2), line)
    if match := _LEAVE.match(line):
        return Leave(match.group(1).lower())
    if match := _CLICK.match(line):
        return Click(match.group(1).lower(), match.group(2).strip().strip('"'))
    if match := _FILL.match(line):
        return Fill(match.group(1).lower(), match.group(2) or "")
    if match := _REPLY.match(line):
        return Reply(match.group(1).lower(), match.group(2).lower(), match.group(3))
    if match := _EDIT.match(line):
        return Edit(match.group(1).lower(), match.group(2).lower(), match.group(3))
    if match := _DELETE.match(line):
        return Delete(match.group(1).lower(), match.group(2).lower())
    if match := _ADVANCE.match(line):
        try:
            return Advance(parse_duration(match.group(1)))
        except DurationError:
            return Unknown(line, "console.bad_advance")
    if match := _SAY.match(line):
        channel = match.group(2).lower() if match.group(2) else None
        return Say(match.group(1).lower(), channel, match.group(3))
    if match := _ACTION.match(line):
        name, action, target, argument = match.groups()
        return Act(name.lower(), action.lower(), target.lower(), (argument or "").strip())
    return Unknown(line, "console.unknown_line")


def _join(name: str, role_text: str | None, line: str) -> Line:
    roles = {Role.MEMBER}
    for word in re.split(r"[,\s]+", role_text or ""):
        if not word:
            continue
        role = _ROLE_WORDS.get(word.lower())
        if role is None:
            return Unknown(line, "console.unknown_role")
        roles.add(role)
    return Join(name.lower(), frozenset(roles))
