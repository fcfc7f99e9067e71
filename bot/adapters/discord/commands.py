"""The cogs' command declarations as Discord application commands, synced only on change.

Ponte writes the JSON of a bulk overwrite itself: it gives full control of the
localizations, the option types and the default permissions. Before writing, it reads
what Discord has registered and compares a normalized form, so that a restart with the
same cogs sends nothing (Discord rate-limits command writes and propagates global
changes slowly).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import discord
from discord.http import Route

from bot.core.commands import Command, Option, OptionKind
from bot.core.i18n import Translator
from bot.core.model import Role

log = logging.getLogger(__name__)
JSON = dict[str, Any]

MAX_DESCRIPTION = 100
MAX_CHOICE_NAME = 100
# Discord option types.
SUB_COMMAND = 1
STRING = 3
INTEGER = 4
BOOLEAN = 5
USER = 6
CHANNEL = 7
ATTACHMENT = 11
_TYPES = {
    OptionKind.STRING: STRING,
    OptionKind.DURATION: STRING,  # "1h30m": the core parses it, in both languages
    OptionKind.CHOICE: STRING,
    OptionKind.INTEGER: INTEGER,
    OptionKind.BOOLEAN: BOOLEAN,
    OptionKind.MEMBER: USER,
    OptionKind.CHANNEL: CHANNEL,
    OptionKind.FILE: ATTACHMENT,
}
# Text, announcement and thread channels: where Ponte can post.
TEXT_CHANNEL_TYPES = [0, 5, 10, 11, 12]
# Discord's locales for the descriptions; the base description is English.
LOCALES = {"it": "it", "en-US": "en", "en-GB": "en"}
GUILD_ONLY = [0]  # interaction context: guilds (a community is a guild)
# Who sees a command before the core checks roles: admins need Manage Server, moderators
# Manage Messages; staff is a role Discord knows nothing of, so the core alone checks it.
_PERMISSIONS = {
    Role.ADMIN: discord.Permissions(manage_guild=True).value,
    Role.MODERATOR: discord.Permissions(manage_messages=True).value,
}
_RANK = {Role.MEMBER: 0, Role.STAFF: 1, Role.MODERATOR: 1, Role.ADMIN: 2}


def differing(base: str, localized: Mapping[str, str]) -> dict[str, str]:
    """The localizations that differ from the base text. Discord ignores the others ("Any
    localized values that are identical to the default will be ignored") and lists the
    command without them: sent anyway, every start would look like a change."""
    return {locale: text for locale, text in localized.items() if text != base}


def _short(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = " ".join(text.split()) or "-"
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CommandPayload:
    """Builds the bulk-overwrite JSON of a list of core commands."""

    def __init__(self, translator: Translator) -> None:
        self.translator = translator

    def _text(self, key: str, limit: int = MAX_DESCRIPTION) -> tuple[str, dict[str, str]]:
        # Catalog entries as written: a description may show `{member}` to the admin.
        base = _short(self.translator.template("en", key), limit)
        localized = {
            locale: _short(self.translator.template(language, key), limit)
            for locale, language in LOCALES.items()
        }
        return base, differing(base, localized)

    def build(self, commands: Iterable[Command]) -> list[JSON]:
        return [self.command(command) for command in commands]

    def command(self, command: Command) -> JSON:
        description, localized = self._text(command.description)
        payload: JSON = {
            "type": 1,
            "name": command.name,
            "description": description,
            "description_localizations": localized,
            "contexts": GUILD_ONLY,
            "options": self._options_of(command),
        }
        permission = self._gate(command)
        if permission is not None:
            payload["default_member_permissions"] = str(permission)
        return payload

    def _options_of(self, command: Command) -> list[JSON]:
        if command.subcommands:
            return [self._subcommand(sub) for sub in command.subcommands]
        return self._options(command.options)

    def _subcommand(self, command: Command) -> JSON:
        if command.subcommands:
            raise ValueError(f"/{command.name}: Ponte declares one level of subcommands")
        description, localized = self._text(command.description)
        return {
            "type": SUB_COMMAND,
            "name": command.name,
            "description": description,
            "description_localizations": localized,
            "options": self._options(command.options),
        }

    def _options(self, options: Iterable[Option]) -> list[JSON]:
        # Discord wants the required options first; the order is otherwise kept.
        ordered = sorted(options, key=lambda option: not option.required)
        return [self.option(option) for option in ordered]

    def option(self, option: Option) -> JSON:
        description, localized = self._text(option.description)
        payload: JSON = {
            "type": _TYPES[option.kind],
            "name": option.name,
            "description": description,
            "description_localizations": localized,
        }
        if option.required:
            payload["required"] = True
        if option.kind is OptionKind.INTEGER:
            if option.min_value is not None:
                payload["min_value"] = option.min_value
            if option.max_value is not None:
                payload["max_value"] = option.max_value
        if option.kind is OptionKind.STRING:
            if option.min_length is not None:
                payload["min_length"] = option.min_length
            if option.max_length is not None:
                payload["max_length"] = min(option.max_length, 6000)
        if option.kind is OptionKind.CHOICE:
            payload["choices"] = [
                {"name": name, "name_localizations": localized_names, "value": choice.value}
                for choice in option.choices
                for name, localized_names in [self._text(choice.label, MAX_CHOICE_NAME)]
            ]
        if option.kind is OptionKind.CHANNEL:
            payload["channel_types"] = TEXT_CHANNEL_TYPES
        return payload

    @staticmethod
    def _gate(command: Command) -> int | None:
        roles = [leaf.permission for _, leaf in command.leaves()] or [command.permission]
        return gate_for(roles)


def gate_for(roles: Iterable[Role]) -> int | None:
    """Discord's gate covers a whole command: the least privileged action sets it."""
    lowest = min(roles, key=lambda role: _RANK[role])
    return _PERMISSIONS.get(lowest)


# -- comparing what is registered with what the cogs declare ------------------------------

_OPTION_KEYS = (
    "type",
    "name",
    "description",
    "required",
    "min_value",
    "max_value",
    "min_length",
    "max_length",
    "autocomplete",
)


def _clean(value: Any) -> Any:
    """None, False and empty containers are how Discord says "not set": drop them all."""
    if isinstance(value, Mapping):
        return {key: _clean(item) for key, item in value.items() if not _unset(item)}
    return value


def _unset(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, list | dict) and not value)


def _localized(found: Mapping[str, Any], field: str) -> dict[str, str]:
    base = found.get(field)
    text = base if isinstance(base, str) else ""
    return differing(text, found.get(f"{field}_localizations") or {})


def _normal_option(option: Mapping[str, Any]) -> JSON:
    found: JSON = {key: option.get(key) for key in _OPTION_KEYS}
    found["name_localizations"] = _localized(option, "name")
    found["description_localizations"] = _localized(option, "description")
    found["choices"] = [
        _clean(
            {
                "name": choice.get("name"),
                "value": choice.get("value"),
                "name_localizations": _localized(choice, "name"),
            }
        )
        for choice in option.get("choices") or []
    ]
    found["channel_types"] = sorted(option.get("channel_types") or [])
    found["options"] = [_normal_option(child) for child in option.get("options") or []]
    return dict(_clean(found))


def normalize(commands: Iterable[Mapping[str, Any]]) -> list[JSON]:
    """The parts of a command Ponte sets, in one canonical form, sorted by name."""
    normal = []
    for command in commands:
        found = _normal_option({**command, "type": command.get("type") or 1})
        if found["type"] != 1:
            # Context-menu commands have no description: Discord lists them with "".
            found.pop("description", None)
            found.pop("description_localizations", None)
        permissions = command.get("default_member_permissions")
        found["default_member_permissions"] = None if permissions is None else str(permissions)
        found["contexts"] = sorted(command.get("contexts") or [])
        normal.append(dict(_clean(found)))
    return sorted(normal, key=lambda item: (item.get("type", 1), item["name"]))


async def sync_commands(
    http: discord.http.HTTPClient,
    application_id: int,
    payload: list[JSON],
    guild_id: int | None = None,
) -> bool:
    """Overwrite the registered commands (of `guild_id`, else global) if they differ from
    `payload`; True when they were written."""
    if guild_id is None:
        path = "/applications/{application_id}/commands"
        route = Route("GET", path, application_id=application_id)
    else:
        path = "/applications/{application_id}/guilds/{guild_id}/commands"
        route = Route("GET", path, application_id=application_id, guild_id=guild_id)
    # Without `with_localizations` Discord answers with one locale's texts only.
    registered = await http.request(route, params={"with_localizations": "true"})
    if normalize(registered) == normalize(payload):
        log.info("discord commands up to date", extra={"guild": guild_id or "global"})
        return False
    if guild_id is None:
        await http.bulk_upsert_global_commands(application_id, payload)
    else:
        await http.bulk_upsert_guild_commands(application_id, guild_id, payload)
    log.info(
        "discord commands synced",
        extra={"guild": guild_id or "global", "commands": ",".join(c["name"] for c in payload)},
    )
    return True
