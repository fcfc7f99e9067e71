"""Interactions to the core: slash commands with typed options, message commands, buttons
and modal forms.

Each one is wrapped in a `DiscordInteraction` whose timer keeps it within Discord's
3-second window, and whatever goes wrong ends in a localized ephemeral answer.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

import discord

from bot.adapters.discord import convert
from bot.adapters.discord.actions import MESSAGE_COMMAND
from bot.adapters.discord.events import Wiring, guarded
from bot.adapters.discord.interaction import DiscordInteraction
from bot.adapters.discord.moderation import guild_member
from bot.core.cards import Message
from bot.core.commands import OptionValue
from bot.core.events import ButtonPressed, CommandInvoked, FormSubmitted, MessageActionInvoked
from bot.core.model import Channel, Community, Member, MessageRef, PostedMessage

log = logging.getLogger(__name__)
JSON = dict[str, Any]
SUB_COMMAND, SUB_COMMAND_GROUP, USER, CHANNEL, ATTACHMENT = 1, 2, 6, 7, 11
TEXT_INPUT = 4
Work = Callable[[DiscordInteraction, Community, Channel, Member], Awaitable[None]]


def command_path(data: Mapping[str, Any]) -> tuple[tuple[str, ...], list[JSON]]:
    """`("poll", "create")` and the leaf's options, from an application command's data."""
    path = [str(data.get("name", ""))]
    options: list[JSON] = list(data.get("options") or [])
    while options and options[0].get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        path.append(str(options[0]["name"]))
        options = list(options[0].get("options") or [])
    return tuple(path), options


def form_values(components: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Every text input of a submitted modal, in action rows or labels, by custom id."""
    values: dict[str, str] = {}
    for component in components:
        if component.get("type") == TEXT_INPUT and "custom_id" in component:
            values[str(component["custom_id"])] = str(component.get("value") or "")
        children = list(component.get("components") or [])
        if "component" in component:
            children.append(component["component"])
        values.update(form_values(children))
    return values


class InteractionRouter:
    def __init__(self, wiring: Wiring) -> None:
        self.wiring = wiring

    @guarded
    async def interaction(self, raw: discord.Interaction) -> None:
        data: Mapping[str, Any] = raw.data or {}
        if raw.type is discord.InteractionType.application_command:
            if data.get("type") == MESSAGE_COMMAND:
                await self._answering(raw, self._message_action)
            else:
                await self._answering(raw, self._command)
        elif raw.type is discord.InteractionType.modal_submit:
            await self._answering(raw, self._form)
        # Buttons arrive through the dynamic item (`button`), never twice.

    @guarded
    async def button(self, raw: discord.Interaction, custom_id: str) -> None:
        async def press(
            answer: DiscordInteraction, community: Community, channel: Channel, member: Member
        ) -> None:
            source = raw.message
            ref = None
            if source is not None:
                ref = MessageRef(convert.PLATFORM, community.id, channel.id, str(source.id))
            event = ButtonPressed(community, channel, member, custom_id, answer, ref)
            await self.wiring.sink.button_pressed(event)

        await self._answering(raw, press)

    async def _answering(self, raw: discord.Interaction, work: Work) -> None:
        """Run `work` with the timer on; any failure is answered privately."""
        guild = raw.guild
        answer = DiscordInteraction(raw, str(raw.guild_id or ""), ack_after=self.wiring.ack_after)
        answer.start_timer()
        try:
            if guild is None:
                # Ponte's commands live in guilds: a DM has no community to act in.
                if raw.type is discord.InteractionType.component:
                    text = self._text(raw, "errors.unknown_button")
                else:
                    data: Mapping[str, Any] = raw.data or {}
                    name = str(data.get("name", ""))
                    text = self._text(raw, "errors.unknown_command", command=name)
                await answer.reply(Message(text=text), ephemeral=True)
                return
            community = convert.community(guild)
            channel = convert.channel(raw.channel, guild.id, raw.channel_id)
            member = convert.member(raw.user, guild.id, self.wiring.roles, raw.locale)
            await work(answer, community, channel, member)
        except Exception:
            log.exception("interaction failed", extra={"interaction": raw.id})
            await self._fail(raw, answer)
        finally:
            await answer.finish()

    def _text(self, raw: discord.Interaction, key: str, **params: object) -> str:
        translator = self.wiring.translator
        language = translator.language(convert.language_of(raw.locale))
        return translator.gettext(language, key, **params)

    async def _fail(self, raw: discord.Interaction, answer: DiscordInteraction) -> None:
        try:
            await answer.reply(Message(text=self._text(raw, "errors.internal")), ephemeral=True)
        except Exception:
            log.exception("could not send the error answer")

    # -- the kinds of interaction ----------------------------------------------------------

    async def _command(
        self, answer: DiscordInteraction, community: Community, channel: Channel, member: Member
    ) -> None:
        raw = answer.raw
        data: Mapping[str, Any] = raw.data or {}
        path, options = command_path(data)
        resolved: Mapping[str, Any] = data.get("resolved") or {}
        values: dict[str, OptionValue] = {}
        for option in options:
            values[str(option["name"])] = await self._value(raw, option, resolved)
        event = CommandInvoked(
            community, channel, member, path[0], answer, path=path, values=values
        )
        await self.wiring.sink.command_invoked(event)

    async def _message_action(
        self, answer: DiscordInteraction, community: Community, channel: Channel, member: Member
    ) -> None:
        raw = answer.raw
        assert raw.guild is not None
        data: Mapping[str, Any] = raw.data or {}
        target_id = str(data.get("target_id", ""))
        resolved: Mapping[str, Any] = data.get("resolved") or {}
        message: Mapping[str, Any] = (resolved.get("messages") or {}).get(target_id) or {}
        user: JSON = dict(message.get("author") or {})
        author = await self._member(
            raw.guild, str(user.get("id", "0")), {"users": {str(user.get("id")): user}}
        )
        where = str(message.get("channel_id") or channel.id)
        ref = MessageRef(convert.PLATFORM, community.id, where, target_id)
        target = PostedMessage(ref, author, str(message.get("content") or ""))
        name = str(data.get("name", ""))
        action = self.wiring.actions.get(name, name)
        event = MessageActionInvoked(community, channel, member, action, target, answer)
        await self.wiring.sink.message_action(event)

    async def _form(
        self, answer: DiscordInteraction, community: Community, channel: Channel, member: Member
    ) -> None:
        data: Mapping[str, Any] = answer.raw.data or {}
        values = form_values(data.get("components") or [])
        custom_id = str(data.get("custom_id", ""))
        event = FormSubmitted(community, channel, member, custom_id, values, answer)
        await self.wiring.sink.form_submitted(event)

    async def _value(
        self, raw: discord.Interaction, option: Mapping[str, Any], resolved: Mapping[str, Any]
    ) -> OptionValue:
        kind, value = option.get("type"), option.get("value")
        guild = raw.guild
        assert guild is not None
        if kind == USER:
            return await self._member(guild, str(value), resolved)
        if kind == ATTACHMENT:
            # The core fetches it through the platform, checking the size first.
            return self.wiring.attachments.announce(str(option["name"]), str(value), resolved)
        if kind == CHANNEL:
            found = guild.get_channel_or_thread(int(str(value)))
            if found is not None:
                return convert.channel(found, guild.id)
            shown = (resolved.get("channels") or {}).get(str(value)) or {}
            return Channel(
                convert.PLATFORM, str(guild.id), str(value), str(shown.get("name", value))
            )
        if isinstance(value, bool | int | str):
            return value
        return str(value)

    async def _member(
        self, guild: discord.Guild, user_id: str, resolved: Mapping[str, Any]
    ) -> Member:
        found = await guild_member(guild, user_id)
        if found is not None:
            return convert.member(found, guild.id, self.wiring.roles)
        # Not in the guild (any more): what the interaction told us about the user.
        user: Mapping[str, Any] = (resolved.get("users") or {}).get(user_id) or {}
        name = str(user.get("username", user_id))
        return Member(
            convert.PLATFORM,
            str(guild.id),
            user_id,
            name,
            str(user.get("global_name") or name),
            is_bot=bool(user.get("bot", False)),
        )
