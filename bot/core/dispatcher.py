"""The core's side of every adapter: routes events to cogs, checks roles, answers errors."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import partial

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from bot.core.arguments import bind_text, check_form, check_text, coerce, pick_subcommand, quoted
from bot.core.cards import Message
from bot.core.cog import Cog, ComponentId
from bot.core.commands import Arguments, Command, MessageAction, OptionValue
from bot.core.context import Context
from bot.core.errors import ArgumentError, InteractionExpired, PermissionDenied, UserFacingError
from bot.core.events import (
    ButtonPressed,
    CommandInvoked,
    FormSubmitted,
    MemberJoined,
    MemberLeft,
    MessageActionInvoked,
    MessageDeleted,
    MessageEdited,
    MessagePosted,
)
from bot.core.members import remember_join, remember_leave
from bot.core.model import Channel, Community, Member, MessageRef
from bot.core.platform import Interaction
from bot.core.ratelimit import RateLimited, RateLimiter
from bot.core.retry_queue import RetryQueue, Work
from bot.core.services import Services

log = logging.getLogger(__name__)
# Events (joins, messages) handled at once; the next ones wait their turn in order. Under a
# burst past what the process can do, an unbounded number of them in flight left the
# interactions, which Discord and Slack want answered within 3 s, waiting behind them all.
LISTENING_AT_ONCE = 64


class Dispatcher:
    def __init__(self, services: Services, cogs: Sequence[Cog]) -> None:
        self.services = services
        self.cogs = list(cogs)
        settings = services.settings
        self.limits = RateLimiter(
            services.clock, settings.rate_limit_burst, settings.rate_limit_per_minute
        )
        self._cogs_by_name = {cog.name: cog for cog in self.cogs}
        self._commands: dict[str, tuple[Cog, Command]] = {}
        for cog in self.cogs:
            for command in cog.commands():
                if command.name in self._commands:
                    raise ValueError(f"command /{command.name} declared twice")
                self._commands[command.name] = (cog, command)
        self._actions: dict[str, MessageAction] = {}
        for cog in self.cogs:
            for action in cog.message_actions():
                if action.name in self._actions:
                    raise ValueError(f"message action {action.name} declared twice")
                self._actions[action.name] = action
        services.commands.replace(self.commands)
        # Events that arrive while the database is away wait here instead of being lost.
        self.retry = RetryQueue(then=services.counters.flush)
        self._listening = asyncio.Semaphore(LISTENING_AT_ONCE)

    async def close(self) -> None:
        await self.retry.close()

    @property
    def commands(self) -> list[Command]:
        return [command for _, command in self._commands.values()]

    @property
    def message_actions(self) -> list[MessageAction]:
        return list(self._actions.values())

    async def _each_cog(
        self, hook: Callable[[Cog], Awaitable[None]], what: str, *, core: Work | None = None
    ) -> None:
        """The event's own step in the core, if any, then one step per cog: a replay after
        an outage repeats only the steps that failed. One of LISTENING_AT_ONCE turns."""
        async with self._listening:
            if core is not None:
                await self.retry.run(f"{what}:core", core)
            for cog in self.cogs:
                try:
                    await self.retry.run(f"{what}:{cog.name}", partial(hook, cog))
                except Exception:
                    log.exception("cog listener failed", extra={"cog": cog.name, "event": what})

    async def member_joined(self, event: MemberJoined) -> None:
        if event.member.is_bot:
            return
        await self._each_cog(
            lambda cog: cog.on_member_joined(event),
            "member_joined",
            core=partial(remember_join, self.services, event.community, event.member),
        )

    async def member_left(self, event: MemberLeft) -> None:
        await self._each_cog(
            lambda cog: cog.on_member_left(event),
            "member_left",
            core=partial(remember_leave, self.services, event.community, event.member),
        )

    async def message_posted(self, event: MessagePosted) -> None:
        if event.author.is_bot:
            return
        await self._each_cog(lambda cog: cog.on_message_posted(event), "message_posted")

    async def message_edited(self, event: MessageEdited) -> None:
        if event.author.is_bot:
            return
        await self._each_cog(lambda cog: cog.on_message_edited(event), "message_edited")

    async def message_deleted(self, event: MessageDeleted) -> None:
        await self._each_cog(lambda cog: cog.on_message_deleted(event), "message_deleted")

    def _limit(self, member: Member) -> None:
        self.limits.check((member.platform, member.community_id, member.id))

    async def message_action(self, event: MessageActionInvoked) -> None:
        async with self._answering_errors(event.interaction, event.community):
            self._limit(event.member)
            ctx = await self._context(
                event.community, event.channel, event.member, event.interaction
            )
            action = self._actions.get(event.action)
            if action is None:
                raise UserFacingError("errors.unknown_command", command=quoted(event.action))
            ctx.require(action.permission)
            await action.handler(ctx, event.target, check_text(event.argument))

    async def _context(
        self,
        community: Community,
        channel: Channel,
        member: Member,
        interaction: Interaction,
        message: MessageRef | None = None,
    ) -> Context:
        communities = self.services.communities
        return Context(
            self.services,
            community,
            channel,
            member,
            interaction,
            await communities.language(community),
            await communities.timezone(community),
            message,
        )

    async def command_invoked(self, event: CommandInvoked) -> None:
        async with self._answering_errors(event.interaction, event.community):
            self._limit(event.member)
            ctx = await self._context(
                event.community, event.channel, event.member, event.interaction
            )
            found = self._commands.get(event.name.lower())
            if found is None:
                raise UserFacingError("errors.unknown_command", command=quoted(event.name))
            _, command = found
            if event.text is not None and not event.text.strip() and command.form is not None:
                await command.form(ctx, Arguments())
                return
            leaf, arguments = await self._bind(ctx, command, event)
            ctx.require(leaf.permission)
            if leaf.handler is None:
                raise UserFacingError("errors.unknown_command", command=event.name)
            await leaf.handler(ctx, arguments)

    async def _bind(
        self, ctx: Context, command: Command, event: CommandInvoked
    ) -> tuple[Command, Arguments]:
        platform = ctx.platform
        if event.text is not None:
            leaf, rest = pick_subcommand(command, event.text)
            try:
                return leaf, await bind_text(leaf, rest, platform, event.community.id)
            except ArgumentError as error:
                error.usage = leaf.usage or None
                raise
        leaf = command
        for part in event.path[1:]:
            sub = leaf.subcommand(part)
            if sub is None:
                raise UserFacingError("errors.unknown_command", command=" ".join(event.path))
            leaf = sub
        values: dict[str, OptionValue] = {}
        by_name = {option.name: option for option in leaf.options}
        for name, value in event.values.items():
            option = by_name.get(name)
            if option is None:
                raise ArgumentError("errors.unknown_option", option=name)
            values[name] = await coerce(option, value, platform, event.community.id)
        for option in leaf.options:
            if option.required and option.name not in values:
                raise ArgumentError("errors.missing_option", option=option.name)
        return leaf, Arguments(values)

    def _cog_for(self, custom_id: str) -> tuple[Cog, ComponentId]:
        component = ComponentId.parse(custom_id)
        cog = self._cogs_by_name.get(component.cog) if component else None
        if component is None or cog is None:
            raise UserFacingError("errors.unknown_button")
        return cog, component

    async def button_pressed(self, event: ButtonPressed) -> None:
        async with self._answering_errors(event.interaction, event.community):
            self._limit(event.member)
            ctx = await self._context(
                event.community, event.channel, event.member, event.interaction, event.message
            )
            cog, component = self._cog_for(event.custom_id)
            await cog.on_button(ctx, component)

    async def form_submitted(self, event: FormSubmitted) -> None:
        async with self._answering_errors(event.interaction, event.community):
            self._limit(event.member)
            ctx = await self._context(
                event.community, event.channel, event.member, event.interaction
            )
            cog, component = self._cog_for(event.custom_id)
            await cog.on_form(ctx, component, check_form(event.values))

    @asynccontextmanager
    async def _answering_errors(
        self, interaction: Interaction, community: Community
    ) -> AsyncIterator[None]:
        """Turn any failure into a localized ephemeral answer; never let it reach the adapter."""
        try:
            yield
        except InteractionExpired:
            log.warning("interaction expired before its answer")
        except UserFacingError as error:
            if not isinstance(error, ArgumentError | PermissionDenied | RateLimited):
                log.info("refused", extra={"key": error.key})
            await self._answer(interaction, community, error.key, error.params, error.usage)
        except (OperationalError, DBAPIError, PoolTimeout):
            log.exception("database unavailable")
            await self._answer(interaction, community, "errors.database_unavailable")
        except Exception:
            log.exception("handler failed")
            await self._answer(interaction, community, "errors.internal")

    async def _answer(
        self,
        interaction: Interaction,
        community: Community,
        key: str,
        params: Mapping[str, object] | None = None,
        usage: str | None = None,
    ) -> None:
        translator = self.services.translator
        try:
            # Cached once the community was seen: no query in the common case.
            language = await self.services.communities.language(community)
        except (OperationalError, DBAPIError, PoolTimeout):
            language = translator.default_language
        text = translator.gettext(language, key, **(params or {}))
        if usage:
            shown = translator.gettext(
                language, "errors.usage", usage=translator.template(language, usage)
            )
            text = f"{text}\n{shown}"
        try:
            await interaction.reply(Message(text=text), ephemeral=True)
        except InteractionExpired:
            log.warning("interaction expired before its error answer", extra={"key": key})
        except Exception:
            log.exception("could not send the error answer")
