"""Greets new members and lets admins configure how."""

from __future__ import annotations

import logging
from collections.abc import Awaitable
from functools import partial
from typing import TypeVar

from bot.core.cards import Message
from bot.core.cog import Cog
from bot.core.commands import Arguments, Choice, Command, Option, OptionKind
from bot.core.context import Context
from bot.core.events import MemberJoined
from bot.core.model import Community, Member, Role
from bot.core.services import Services
from cogs.welcome.render import dm_card, greeting, settings_card
from cogs.welcome.service import WelcomeConfig, WelcomeService

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_GREETING = 1500
MAX_RULES = 3000


class WelcomeCog(Cog):
    name = "welcome"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.settings = WelcomeService(services.db)

    def commands(self) -> list[Command]:
        text = OptionKind.STRING
        set_options = (
            Option("channel", OptionKind.CHANNEL, "welcome.opt.channel"),
            Option("message", text, "welcome.opt.message", max_length=MAX_GREETING),
            Option("rules", text, "welcome.opt.rules", max_length=MAX_RULES),
            Option("steps", text, "welcome.opt.steps", max_length=MAX_GREETING),
            Option("role", text, "welcome.opt.role", max_length=100),
            Option(
                "language",
                OptionKind.CHOICE,
                "welcome.opt.language",
                choices=(Choice("it", "languages.it"), Choice("en", "languages.en")),
            ),
            Option("dm", OptionKind.BOOLEAN, "welcome.opt.dm"),
            Option("enabled", OptionKind.BOOLEAN, "welcome.opt.enabled"),
        )
        return [
            Command(
                "welcome",
                "welcome.cmd",
                permission=Role.ADMIN,
                default_subcommand="set",
                subcommands=(
                    Command(
                        "set",
                        "welcome.cmd.set",
                        set_options,
                        self.configure,
                        Role.ADMIN,
                        usage="welcome.usage.set",
                    ),
                    Command("preview", "welcome.cmd.preview", (), self.preview, Role.ADMIN),
                    Command("reset", "welcome.cmd.reset", (), self.reset, Role.ADMIN),
                ),
            )
        ]

    # -- members -------------------------------------------------------------------

    async def _values(self, community: Community, member: Member, language: str) -> dict[str, str]:
        platform = self.services.platforms.get(community.platform)
        count = await platform.member_count(community.id)
        shown_count = self.services.translator.number(language, count) if count is not None else "?"
        return {
            "member": platform.mention(member),
            "name": member.shown_name,
            "community": community.name,
            "count": shown_count,
        }

    async def on_member_joined(self, event: MemberJoined) -> None:
        community, member = event.community, event.member
        config = await self.settings.get(community)
        if not config.enabled:
            return
        language = await self.services.communities.language(community)
        t = partial(self.services.translator.gettext, language)
        values = await self._values(community, member, language)
        platform = self.services.platforms.get(community.platform)
        channel_id = config.channel_id
        if channel_id is None:
            default = await platform.default_channel(community.id)
            channel_id = default.id if default else None
        if channel_id is not None:
            await self._step(
                "greeting",
                self.services.outbox.send(
                    community,
                    channel_id,
                    Message(text=greeting(t, config, values)),
                    key=f"welcome:{member.id}",
                ),
            )
        if config.send_dm:
            await self._step(
                "dm",
                self.services.outbox.dm(
                    community,
                    member.id,
                    Message(card=dm_card(t, config, values)),
                    key=f"welcome-dm:{member.id}",
                ),
            )
        if config.role:
            given = await self._step(
                "role", platform.add_role(community.id, member.id, config.role)
            )
            if given is False:
                log.warning(
                    "starting role not given", extra={"role": config.role, "member": member.id}
                )

    @staticmethod
    async def _step(what: str, work: Awaitable[T]) -> T | None:
        """One welcome step failing (closed DMs, a missing role) must not stop the others."""
        try:
            return await work
        except Exception:
            log.exception("welcome step failed", extra={"step": what})
            return None

    # -- commands ------------------------------------------------------------------

    async def configure(self, ctx: Context, args: Arguments) -> None:
        changes: dict[str, object] = {}
        channel = args.channel("channel")
        if channel is not None:
            changes["channel_id"] = channel.id
        for option, column in (
            ("message", "greeting"),
            ("rules", "rules"),
            ("steps", "first_steps"),
            ("role", "role"),
        ):
            value = args.string(option)
            if value is not None:
                # `-` puts a text back to the catalog's default.
                changes[column] = None if value == "-" else value
        for option, column in (("dm", "send_dm"), ("enabled", "enabled")):
            if option in args:
                changes[column] = args.boolean(option)
        language = args.string("language")
        if language is not None:
            await self.services.communities.set_language(ctx.community, language)
            ctx.language = language
        config = (
            await self.settings.update(ctx.community, **changes)
            if changes
            else await self.settings.get(ctx.community)
        )
        headline = ctx.t("welcome.saved") if (changes or language) else ""
        await ctx.reply(
            Message(
                text=headline,
                card=settings_card(
                    ctx.t, config, await self._channel_name(ctx, config), language=ctx.language
                ),
            ),
            ephemeral=True,
        )

    async def _channel_name(self, ctx: Context, config: WelcomeConfig) -> str:
        if config.channel_id is None:
            default = await ctx.platform.default_channel(ctx.community.id)
            name = ctx.platform.channel_mention(default) if default else "—"
            return ctx.t("welcome.settings.default_channel", channel=name)
        channel = await ctx.platform.resolve_channel(ctx.community.id, config.channel_id)
        return ctx.platform.channel_mention(channel) if channel else config.channel_id

    async def preview(self, ctx: Context, args: Arguments) -> None:
        config = await self.settings.get(ctx.community)
        values = await self._values(ctx.community, ctx.member, ctx.language)
        await ctx.reply(
            Message(
                text=ctx.t("welcome.preview", greeting=greeting(ctx.t, config, values)),
                card=dm_card(ctx.t, config, values),
            ),
            ephemeral=True,
        )

    async def reset(self, ctx: Context, args: Arguments) -> None:
        config = await self.settings.update(
            ctx.community,
            enabled=True,
            channel_id=None,
            greeting=None,
            rules=None,
            first_steps=None,
            role=None,
            send_dm=True,
        )
        await ctx.reply(
            Message(
                text=ctx.t("welcome.reset_done"),
                card=settings_card(
                    ctx.t, config, await self._channel_name(ctx, config), language=ctx.language
                ),
            ),
            ephemeral=True,
        )
