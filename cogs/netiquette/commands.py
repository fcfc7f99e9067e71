"""`/netiquette`: try the rules, list, add, remove and allow them, settings, strikes."""

from __future__ import annotations

from bot.core.cards import Card, Field
from bot.core.commands import Arguments, Command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Channel, Role
from bot.core.services import Services
from cogs.netiquette.declare import declare
from cogs.netiquette.engine import CATEGORIES, DEFAULT_SEVERITIES, RuleKind, Severity
from cogs.netiquette.render import Renderer, mark_span
from cogs.netiquette.rules import RuleStore
from cogs.netiquette.service import ReviewService
from cogs.netiquette.settings import SettingsStore, parse_escalation

KINDS = {"word": RuleKind.WORD, "regex": RuleKind.REGEX, "domain": RuleKind.DENY_DOMAIN}


class NetiquetteCommands:
    def __init__(
        self,
        services: Services,
        rules: RuleStore,
        settings: SettingsStore,
        reviews: ReviewService,
    ) -> None:
        self.services = services
        self.rules = rules
        self.settings = settings
        self.reviews = reviews

    def declare(self) -> list[Command]:
        return declare(self)

    @staticmethod
    def _renderer(ctx: Context, services: Services) -> Renderer:
        return Renderer(services.translator, ctx.language, ctx.timezone)

    # -- trying and listing ------------------------------------------------------------

    async def test(self, ctx: Context, args: Arguments) -> None:
        text = args.string("text") or ""
        renderer = self._renderer(ctx, self.services)
        checker = await self.rules.checker(ctx.community)
        # No context: a test never counts towards anyone's flood or repeats.
        verdict = checker.check(text)
        if verdict is None:
            await ctx.reply(ctx.t("netiquette.test.clean"), ephemeral=True)
            return
        pattern = None
        if verdict.rule.startswith("custom."):
            wanted = verdict.rule.removeprefix("custom.")
            pattern = next(
                (r.pattern for r in await self.rules.own(ctx.community) if str(r.id) == wanted),
                None,
            )
        card = Card(
            title=ctx.t("netiquette.test.title"),
            text=mark_span(text, verdict.span),
            fields=(
                Field(
                    ctx.t("netiquette.card.rule"),
                    renderer.rule_for_moderators(verdict.rule, pattern),
                ),
                Field(
                    ctx.t("netiquette.test.category"),
                    ctx.t(f"netiquette.category.{verdict.category}"),
                    True,
                ),
                Field(
                    ctx.t("netiquette.test.severity"),
                    ctx.t(f"netiquette.severity.{verdict.severity.value}"),
                    True,
                ),
            ),
            footer=ctx.t("netiquette.test.nothing_done"),
        )
        await ctx.reply(card, ephemeral=True)

    async def list_rules(self, ctx: Context, args: Arguments) -> None:
        overrides = {
            category: (severity, enabled)
            for category, severity, enabled in await self.rules.categories(ctx.community)
        }
        lines = []
        for category in CATEGORIES:
            severity, enabled = overrides.get(category, (None, True))
            shown = (
                ctx.t("netiquette.rules.off")
                if not enabled
                else ctx.t(f"netiquette.severity.{severity or DEFAULT_SEVERITIES[category].value}")
            )
            lines.append(f"• {ctx.t(f'netiquette.category.{category}')}: {shown}")
        own = await self.rules.own(ctx.community)
        custom = [
            ctx.t(
                "netiquette.rules.entry",
                id=rule.id,
                kind=ctx.t(f"netiquette.rulekind.{rule.kind}"),
                pattern=rule.pattern,
                severity=ctx.t(
                    "netiquette.rules.allowed_entry"
                    if rule.kind.startswith("allow_")
                    else f"netiquette.severity.{rule.severity}"
                ),
            )
            for rule in own
        ]
        card = Card(
            title=ctx.t("netiquette.rules.title"),
            fields=(
                Field(ctx.t("netiquette.rules.builtin"), "\n".join(lines)),
                Field(
                    ctx.t("netiquette.rules.custom"),
                    "\n".join(custom[:40]) if custom else ctx.t("netiquette.rules.none"),
                ),
            ),
            footer=ctx.t("netiquette.rules.hint"),
        )
        await ctx.reply(card, ephemeral=True)

    # -- changing the rules ------------------------------------------------------------

    async def add(self, ctx: Context, args: Arguments) -> None:
        kind = KINDS[args.string("kind") or "word"]
        severity = Severity(args.string("severity") or Severity.HOLD.value)
        rule_id = await self.rules.add(
            ctx.community,
            kind,
            args.string("pattern") or "",
            severity,
            ctx.member.id,
            self.services.clock.now(),
        )
        await ctx.reply(
            ctx.t(
                "netiquette.rules.added",
                id=rule_id,
                severity=ctx.t(f"netiquette.severity.{severity.value}"),
            ),
            ephemeral=True,
        )

    async def remove(self, ctx: Context, args: Arguments) -> None:
        rule_id = args.integer("rule") or 0
        removed = await self.rules.remove(ctx.community, rule_id)
        if removed is None:
            raise UserFacingError("netiquette.rules.not_found", id=rule_id)
        await ctx.reply(
            ctx.t("netiquette.rules.removed", id=rule_id, pattern=removed.pattern), ephemeral=True
        )

    async def allow(self, ctx: Context, args: Arguments) -> None:
        word, domain = args.string("word"), args.string("domain")
        if bool(word) == bool(domain):
            raise UserFacingError("netiquette.rules.allow_one")
        kind = RuleKind.ALLOW_WORD if word else RuleKind.ALLOW_DOMAIN
        rule_id = await self.rules.add(
            ctx.community,
            kind,
            word or domain or "",
            Severity.LOG,
            ctx.member.id,
            self.services.clock.now(),
        )
        await ctx.reply(ctx.t("netiquette.rules.allowed", id=rule_id), ephemeral=True)

    # -- settings and strikes ----------------------------------------------------------

    async def change_settings(self, ctx: Context, args: Arguments) -> None:
        changes: dict[str, object] = {}
        channel = args.channel("channel")
        if channel is not None:
            changes["review_channel_id"] = channel.id
        if "exempt" in args:
            changes["exempt_staff"] = args.boolean("exempt")
        if "reports_held" in args:
            changes["reports_held"] = args.boolean("reports_held")
        for option, field in (
            ("reminder", "reminder"),
            ("expiry", "strike_expiry"),
            ("retention", "retention"),
        ):
            duration = args.duration(option)
            if duration is not None:
                changes[field] = duration
        escalation = args.string("escalation")
        if escalation is not None:
            changes["escalation"] = parse_escalation(escalation)
        category = args.string("category")
        enabled = args.boolean("enabled") if "enabled" in args else None
        severity = Severity(value) if (value := args.string("severity")) else None
        if category is None and (enabled is not None or severity is not None):
            raise UserFacingError("netiquette.settings.category_needed")
        if category is not None:
            if enabled is None and severity is None:
                raise UserFacingError("netiquette.settings.category_what")
            await self.rules.set_category(
                ctx.community, category, enabled=enabled, severity=severity
            )
        config = (
            await self.settings.update(ctx.community, **changes)
            if changes
            else await self.settings.get(ctx.community)
        )
        channel_name = (
            ctx.platform.channel_mention(
                Channel(
                    ctx.community.platform,
                    ctx.community.id,
                    config.review_channel_id,
                    config.review_channel_id,
                )
            )
            if config.review_channel_id
            else ctx.t(
                "netiquette.settings.default_channel", channel=await self._default_channel(ctx)
            )
        )
        overrides = await self.rules.categories(ctx.community)
        card = self._renderer(ctx, self.services).settings(config, channel_name, overrides)
        await ctx.reply(card, ephemeral=True)

    @staticmethod
    async def _default_channel(ctx: Context) -> str:
        channel = await ctx.platform.role_channel(ctx.community.id, Role.MODERATOR)
        return ctx.platform.channel_mention(channel) if channel else "—"

    async def strikes(self, ctx: Context, args: Arguments) -> None:
        member = args.member("member")
        assert member is not None
        strikes = await self.reviews.active_strikes(
            ctx.community, member.id, self.services.clock.now()
        )
        await ctx.reply(
            self._renderer(ctx, self.services).strikes(member.shown_name, strikes), ephemeral=True
        )

    async def pardon(self, ctx: Context, args: Arguments) -> None:
        strike_id = args.integer("strike") or 0
        member = await self.reviews.pardon(
            ctx.community, strike_id, ctx.member, self.services.clock.now()
        )
        if member is None:
            raise UserFacingError("netiquette.strikes.not_found", id=strike_id)
        await ctx.reply(
            ctx.t("netiquette.strikes.pardoned", id=strike_id, member=member), ephemeral=True
        )
