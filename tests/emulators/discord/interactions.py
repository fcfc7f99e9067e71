"""Interactions: building INTERACTION_CREATE payloads and answering callbacks/follow-ups.

Shapes follow Discord's "Receiving and Responding" documentation.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .commands import CommandStore
from .constants import (
    ATTACHMENT_SIZE_LIMIT,
    CallbackType,
    ComponentType,
    InteractionContextType,
    InteractionType,
    OptionType,
    Permission,
)
from .messages import find_component, walk_components
from .models import Channel, UploadedFile
from .state import EmulatorState

JSON = dict[str, Any]


class CommandNotAvailable(LookupError):
    """The user could not have invoked this command in the real client."""


@dataclass
class InteractionRecord:
    """One interaction the emulator sent, and everything the bot answered to it."""

    id: str
    token: str
    type: int
    user_id: str
    channel_id: str
    guild_id: str | None
    payload: JSON
    name: str | None = None  # command name (application commands)
    custom_id: str | None = None  # component / modal custom_id
    source_message_id: str | None = None  # message carrying the pressed component
    created_at: float = field(default_factory=time.monotonic)
    callbacks: list[JSON] = field(default_factory=list)  # bodies POSTed to /callback
    callback_files: list[str] = field(default_factory=list)
    response_type: int | None = None
    response_message_id: str | None = None
    loading: bool = False
    followup_ids: list[str] = field(default_factory=list)
    modal: JSON | None = None  # the modal the bot opened (callback type 9)
    autocomplete_choices: list[JSON] | None = None
    answered: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def callback(self) -> JSON | None:
        return self.callbacks[0] if self.callbacks else None

    @property
    def original_message_id(self) -> str | None:
        """What ``/messages/@original`` points at."""
        if self.response_type in (
            CallbackType.DEFERRED_UPDATE_MESSAGE,
            CallbackType.UPDATE_MESSAGE,
        ):
            return self.source_message_id
        return self.response_message_id


class InteractionFactory:
    """Builds INTERACTION_CREATE payloads for what a user does, and records them."""

    def __init__(
        self, state: EmulatorState, commands: CommandStore, *, callback_deadline: float | None
    ) -> None:
        self.state = state
        self.commands = commands
        self.callback_deadline = callback_deadline
        self.records: dict[str, InteractionRecord] = {}
        self.by_token: dict[str, InteractionRecord] = {}

    # ------------------------------------------------------------------ payload building

    def _base(
        self, itype: int, user_id: str, channel: Channel, locale: str | None
    ) -> tuple[JSON, str]:
        state = self.state
        user = state.user(user_id)
        guild = state.guild_of(channel)
        interaction_id = state.ids.next()
        token = f"aW50ZXJhY3Rpb246{interaction_id}:{state.new_token()}"
        data: JSON = {
            "id": interaction_id,
            "application_id": state.application_id,
            "type": itype,
            "token": token,
            "version": 1,
            "locale": locale or user.locale,
            "entitlements": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        channel_data = state.channel_payload(channel, for_user=user_id)
        if guild is not None:
            member = state.member(guild, user_id)
            data.update(
                {
                    "guild": {"id": guild.id, "locale": guild.preferred_locale, "features": []},
                    "guild_id": guild.id,
                    "guild_locale": guild.preferred_locale,
                    "member": state.member_payload(guild, member, permissions_in=channel),
                    "app_permissions": str(guild.channel_permissions(state.bot_user_id, channel)),
                    "authorizing_integration_owners": {"0": guild.id},
                    "context": int(InteractionContextType.GUILD),
                }
            )
        else:
            channel_data = state.channel_payload(channel)
            data.update(
                {
                    "user": user.payload(),
                    "app_permissions": str(
                        Permission.VIEW_CHANNEL
                        | Permission.SEND_MESSAGES
                        | Permission.EMBED_LINKS
                        | Permission.ATTACH_FILES
                        | Permission.READ_MESSAGE_HISTORY
                        | Permission.ADD_REACTIONS
                        | Permission.USE_EXTERNAL_EMOJIS
                    ),
                    "authorizing_integration_owners": {"0": "0"},
                    "context": int(InteractionContextType.BOT_DM),
                }
            )
        data["channel"] = channel_data
        data["channel_id"] = channel.id
        return data, token

    def _register(self, record: InteractionRecord) -> InteractionRecord:
        self.records[record.id] = record
        self.by_token[record.token] = record
        return record

    def _check_command_allowed(
        self, command: JSON, user_id: str, channel: Channel, *, enforce_permissions: bool
    ) -> None:
        guild = self.state.guild_of(channel)
        if guild is None:
            if command.get("guild_id"):
                raise CommandNotAvailable(f"/{command['name']} is a guild command: not in DMs")
            contexts = command.get("contexts")
            if contexts is not None and InteractionContextType.BOT_DM not in contexts:
                raise CommandNotAvailable(f"/{command['name']} is not allowed in DMs")
            if contexts is None and command.get("dm_permission") is False:
                raise CommandNotAvailable(f"/{command['name']} is not allowed in DMs")
            return
        contexts = command.get("contexts")
        if contexts is not None and InteractionContextType.GUILD not in contexts:
            raise CommandNotAvailable(f"/{command['name']} is not allowed in guilds")
        required = command.get("default_member_permissions")
        if not enforce_permissions or required is None:
            return
        have = guild.channel_permissions(user_id, channel)
        needed = int(required)
        allowed = bool(have & Permission.ADMINISTRATOR) if needed == 0 else have & needed == needed
        if user_id == guild.owner_id:
            allowed = True
        if not allowed:
            raise CommandNotAvailable(
                f"user {user_id} lacks default_member_permissions={required} for /{command['name']}"
            )

    def _find_command(self, name: str, ctype: int, channel: Channel) -> JSON:
        command = self.commands.find(name, ctype, channel.guild_id)
        if command is None:
            known = [c["name"] for scope in self.commands.scopes.values() for c in scope]
            raise CommandNotAvailable(
                f"command {name!r} (type {ctype}) is not registered "
                f"(registered: {sorted(known)}); did the bot sync its command tree?"
            )
        return command

    def command(
        self,
        user_id: str,
        channel: Channel,
        name: str,
        *,
        options: Mapping[str, Any] | None = None,
        subcommand: str | None = None,
        locale: str | None = None,
        enforce_permissions: bool = True,
        focused: str | None = None,
    ) -> InteractionRecord:
        """A CHAT_INPUT command (or its autocomplete when ``focused`` is set)."""
        command = self._find_command(name, 1, channel)
        self._check_command_allowed(
            command, user_id, channel, enforce_permissions=enforce_permissions
        )
        itype = (
            InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE
            if focused
            else InteractionType.APPLICATION_COMMAND
        )
        payload, token = self._base(int(itype), user_id, channel, locale)
        resolved: dict[str, JSON] = {}
        schema: list[JSON] = command.get("options") or []
        chain: list[JSON] = []
        for part in subcommand.split() if subcommand else []:
            match = next(
                (o for o in schema if o.get("name") == part and o.get("type") in (1, 2)), None
            )
            if match is None:
                raise CommandNotAvailable(f"/{name} has no sub-command {subcommand!r}")
            chain.append(match)
            schema = match.get("options") or []
        if chain and chain[-1]["type"] != OptionType.SUB_COMMAND:
            raise CommandNotAvailable(f"{subcommand!r} is a group: name a sub-command")
        if not chain and any(o.get("type") in (1, 2) for o in schema):
            raise CommandNotAvailable(f"/{name} has sub-commands: pass subcommand=...")
        leaf_options = self._build_options(
            schema, dict(options or {}), resolved, channel, user_id, focused=focused
        )
        for option in reversed(chain):
            leaf_options = [
                {"name": option["name"], "type": option["type"], "options": leaf_options}
            ]
        data: JSON = {"id": command["id"], "name": command["name"], "type": 1}
        if leaf_options:
            data["options"] = leaf_options
        if resolved:
            data["resolved"] = resolved
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        payload["data"] = data
        record = InteractionRecord(
            id=payload["id"],
            token=token,
            type=int(itype),
            user_id=user_id,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            payload=payload,
            name=command["name"],
        )
        return self._register(record)

    def context_menu(
        self,
        user_id: str,
        channel: Channel,
        name: str,
        target_id: str,
        *,
        locale: str | None = None,
        enforce_permissions: bool = True,
    ) -> InteractionRecord:
        """A USER (target is a user id) or MESSAGE (target is a message id) command."""
        state = self.state
        is_message = target_id in state.message_index
        ctype = 3 if is_message else 2
        command = self._find_command(name, ctype, channel)
        self._check_command_allowed(
            command, user_id, channel, enforce_permissions=enforce_permissions
        )
        payload, token = self._base(
            int(InteractionType.APPLICATION_COMMAND), user_id, channel, locale
        )
        resolved: dict[str, JSON] = {}
        if is_message:
            resolved["messages"] = {target_id: state.rest_message(state.message(target_id))}
        else:
            self._resolve_user(target_id, resolved, channel)
        data: JSON = {
            "id": command["id"],
            "name": command["name"],
            "type": ctype,
            "target_id": target_id,
            "resolved": resolved,
        }
        if command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        payload["data"] = data
        record = InteractionRecord(
            id=payload["id"],
            token=token,
            type=int(InteractionType.APPLICATION_COMMAND),
            user_id=user_id,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            payload=payload,
            name=command["name"],
        )
        return self._register(record)

    def _resolve_user(self, user_id: str, resolved: dict[str, JSON], channel: Channel) -> None:
        state = self.state
        user = state.user(user_id)
        resolved.setdefault("users", {})[user.id] = user.payload()
        guild = state.guild_of(channel)
        if guild is not None and user.id in guild.members:
            member = state.member_payload(
                guild, guild.members[user.id], with_user=False, permissions_in=channel
            )
            member.pop("deaf", None)
            member.pop("mute", None)
            resolved.setdefault("members", {})[user.id] = member

    def _resolve_role(self, ref: Any, resolved: dict[str, JSON], channel: Channel) -> str:
        guild = self.state.guild_of(channel)
        if guild is None:
            raise CommandNotAvailable("role options only exist in guilds")
        role = self.state.resolve_role(guild, ref)
        resolved.setdefault("roles", {})[role.id] = role.payload()
        return role.id

    def _build_options(
        self,
        schema: list[JSON],
        values: dict[str, Any],
        resolved: dict[str, JSON],
        channel: Channel,
        user_id: str,
        *,
        focused: str | None,
    ) -> list[JSON]:
        by_name = {o["name"]: o for o in schema}
        unknown = set(values) - set(by_name)
        if unknown:
            raise CommandNotAvailable(
                f"unknown option(s) {sorted(unknown)}; the command has {sorted(by_name)}"
            )
        missing = [
            o["name"]
            for o in schema
            if o.get("required") and o["name"] not in values and o["name"] != focused
        ]
        if missing and not focused:
            raise CommandNotAvailable(f"missing required option(s) {missing}")
        result: list[JSON] = []
        for name, raw in values.items():
            option = by_name[name]
            otype = int(option["type"])
            entry: JSON = {"name": name, "type": otype}
            if name == focused:
                entry["value"] = raw if isinstance(raw, str) else str(raw)
                entry["focused"] = True
            else:
                entry["value"] = self._convert(option, otype, raw, resolved, channel, user_id)
            result.append(entry)
        return result

    def _convert(
        self,
        option: JSON,
        otype: int,
        raw: Any,
        resolved: dict[str, JSON],
        channel: Channel,
        user_id: str,
    ) -> Any:
        state = self.state
        name = option["name"]
        value: Any
        if otype == OptionType.STRING:
            value = str(raw)
            if option.get("min_length") is not None and len(value) < option["min_length"]:
                raise CommandNotAvailable(f"{name}: shorter than min_length")
            if option.get("max_length") is not None and len(value) > option["max_length"]:
                raise CommandNotAvailable(f"{name}: longer than max_length")
        elif otype == OptionType.INTEGER:
            if isinstance(raw, bool) or not isinstance(raw, int | str):
                raise CommandNotAvailable(f"{name}: expected an integer, got {raw!r}")
            value = int(raw)
        elif otype == OptionType.NUMBER:
            value = float(raw) if not isinstance(raw, int) else raw
        elif otype == OptionType.BOOLEAN:
            if not isinstance(raw, bool):
                raise CommandNotAvailable(f"{name}: expected a bool, got {raw!r}")
            value = raw
        elif otype == OptionType.USER:
            value = str(raw)
            self._resolve_user(value, resolved, channel)
        elif otype == OptionType.CHANNEL:
            target = state.resolve_channel(raw)
            allowed_types = option.get("channel_types")
            if allowed_types and target.type not in allowed_types:
                raise CommandNotAvailable(f"{name}: channel type {target.type} not allowed")
            value = target.id
            guild = state.guild_of(target)
            perms = guild.channel_permissions(user_id, target) if guild else 0
            resolved.setdefault("channels", {})[target.id] = {
                "id": target.id,
                "name": target.name,
                "type": target.type,
                "permissions": str(perms),
            }
        elif otype == OptionType.ROLE:
            value = self._resolve_role(raw, resolved, channel)
        elif otype == OptionType.MENTIONABLE:
            text = str(raw)
            if text in state.users:
                self._resolve_user(text, resolved, channel)
                value = text
            else:
                value = self._resolve_role(raw, resolved, channel)
        elif otype == OptionType.ATTACHMENT:
            value = self._resolve_attachment(raw, resolved, channel)
        else:
            value = raw
        if otype in (OptionType.INTEGER, OptionType.NUMBER):
            if option.get("min_value") is not None and value < option["min_value"]:
                raise CommandNotAvailable(f"{name}: below min_value")
            if option.get("max_value") is not None and value > option["max_value"]:
                raise CommandNotAvailable(f"{name}: above max_value")
        choices = option.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise CommandNotAvailable(
                f"{name}: {value!r} is not one of the choices {[c['value'] for c in choices]}"
            )
        return value

    def _resolve_attachment(self, raw: Any, resolved: dict[str, JSON], channel: Channel) -> str:
        if isinstance(raw, tuple):
            filename, content = str(raw[0]), bytes(raw[1])
        else:
            filename, content = str(raw), b"emulated attachment"
        upload = UploadedFile("files[0]", filename, "application/octet-stream", content)
        stored = self.state.store_file(channel, upload, {}, ephemeral=True)
        resolved.setdefault("attachments", {})[stored["id"]] = stored
        return str(stored["id"])

    def component(
        self,
        user_id: str,
        message: JSON,
        custom_id: str,
        *,
        values: list[str] | None = None,
        locale: str | None = None,
    ) -> InteractionRecord:
        state = self.state
        component = find_component(message.get("components"), custom_id)
        if component is None:
            ids = [c.get("custom_id") for c in walk_components(message.get("components"))]
            raise LookupError(f"message {message['id']} has no component {custom_id!r} (has {ids})")
        if component.get("disabled"):
            raise LookupError(f"component {custom_id!r} is disabled")
        ctype = int(component["type"])
        channel = state.channel(message["channel_id"])
        payload, token = self._base(
            int(InteractionType.MESSAGE_COMPONENT), user_id, channel, locale
        )
        data: JSON = {"custom_id": custom_id, "component_type": ctype}
        if component.get("id") is not None:
            data["id"] = component["id"]
        if ctype != ComponentType.BUTTON:
            data["values"] = list(values or [])
            resolved = self._select_resolved(ctype, data["values"], channel)
            if resolved:
                data["resolved"] = resolved
        payload["data"] = data
        payload["message"] = state.rest_message(message)
        record = InteractionRecord(
            id=payload["id"],
            token=token,
            type=int(InteractionType.MESSAGE_COMPONENT),
            user_id=user_id,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            payload=payload,
            custom_id=custom_id,
            source_message_id=message["id"],
        )
        return self._register(record)

    def _select_resolved(self, ctype: int, values: list[str], channel: Channel) -> dict[str, JSON]:
        resolved: dict[str, JSON] = {}
        for value in values:
            if ctype == ComponentType.USER_SELECT or (
                ctype == ComponentType.MENTIONABLE_SELECT and value in self.state.users
            ):
                self._resolve_user(value, resolved, channel)
            elif ctype in (ComponentType.ROLE_SELECT, ComponentType.MENTIONABLE_SELECT):
                self._resolve_role(value, resolved, channel)
            elif ctype == ComponentType.CHANNEL_SELECT:
                target = self.state.resolve_channel(value)
                resolved.setdefault("channels", {})[target.id] = {
                    "id": target.id,
                    "name": target.name,
                    "type": target.type,
                    "permissions": "0",
                }
        return resolved

    def find_open_modal(self, user_id: str, custom_id: str) -> InteractionRecord | None:
        for record in reversed(list(self.records.values())):
            if (
                record.user_id == user_id
                and record.modal is not None
                and record.modal.get("custom_id") == custom_id
            ):
                return record
        return None

    def modal_submit(
        self,
        user_id: str,
        channel: Channel,
        custom_id: str,
        values: Mapping[str, str | list[str]],
        *,
        locale: str | None = None,
    ) -> InteractionRecord:
        state = self.state
        opener = self.find_open_modal(user_id, custom_id)
        if opener is not None:
            channel = state.channel(opener.channel_id)
            components = self._modal_components(opener.modal or {}, dict(values))
        else:
            components = [
                {
                    "type": int(ComponentType.ACTION_ROW),
                    "components": [
                        {"type": int(ComponentType.TEXT_INPUT), "custom_id": key, "value": value}
                    ],
                }
                for key, value in values.items()
            ]
        payload, token = self._base(int(InteractionType.MODAL_SUBMIT), user_id, channel, locale)
        payload["data"] = {"custom_id": custom_id, "components": components}
        source_id = opener.source_message_id if opener else None
        if source_id and source_id in state.message_index:
            payload["message"] = state.rest_message(state.message_index[source_id])
        record = InteractionRecord(
            id=payload["id"],
            token=token,
            type=int(InteractionType.MODAL_SUBMIT),
            user_id=user_id,
            channel_id=channel.id,
            guild_id=channel.guild_id,
            payload=payload,
            custom_id=custom_id,
            source_message_id=source_id,
        )
        if opener is not None:
            opener.modal = None
        return self._register(record)

    @staticmethod
    def _modal_components(modal: JSON, values: dict[str, str | list[str]]) -> list[JSON]:
        known: set[str] = set()
        out: list[JSON] = []

        def submitted(component: JSON) -> JSON | None:
            cid = component.get("custom_id")
            ctype = int(component.get("type", 0))
            if cid is None:
                return None
            known.add(cid)
            entry: JSON = {"type": ctype, "custom_id": cid}
            if component.get("id") is not None:
                entry["id"] = component["id"]
            given = values.get(cid)
            if ctype == ComponentType.TEXT_INPUT:
                text = "" if given is None else str(given)
                if component.get("required", True) and not text:
                    raise LookupError(f"modal field {cid!r} is required")
                if component.get("min_length") and text and len(text) < component["min_length"]:
                    raise LookupError(f"modal field {cid!r} is shorter than min_length")
                if component.get("max_length") and len(text) > component["max_length"]:
                    raise LookupError(f"modal field {cid!r} is longer than max_length")
                entry["value"] = text
            else:
                if given is None:
                    given = []
                entry["values"] = [given] if isinstance(given, str) else list(given)
            return entry

        for top in modal.get("components") or []:
            ttype = int(top.get("type", 0))
            if ttype == ComponentType.ACTION_ROW:
                inner = [e for e in (submitted(c) for c in top.get("components") or []) if e]
                if inner:
                    out.append({"type": ttype, "components": inner})
            elif ttype == ComponentType.LABEL:
                child = submitted(top.get("component") or {})
                if child is not None:
                    row: JSON = {"type": ttype, "component": child}
                    if top.get("id") is not None:
                        row["id"] = top["id"]
                    out.append(row)
            elif ttype == ComponentType.TEXT_DISPLAY:
                entry: JSON = {"type": ttype}
                if top.get("id") is not None:
                    entry["id"] = top["id"]
                out.append(entry)
        extra = set(values) - known
        if extra:
            raise LookupError(f"modal has no field(s) {sorted(extra)} (has {sorted(known)})")
        return out
