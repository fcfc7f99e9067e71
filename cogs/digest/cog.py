"""The weekly staff digest: rollups kept from every message, join and leave; the digest
posted once a week in the staff channel; `/digest` and `/tags`; the "tag" message action."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

from babel.dates import get_day_names

from bot.core.cards import Form, FormField, Message
from bot.core.cog import Cog, ComponentId
from bot.core.commands import Arguments, Command, MessageAction, Option, OptionKind
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.events import MemberJoined, MemberLeft, MessagePosted
from bot.core.i18n import LANGUAGES
from bot.core.model import Channel, Community, Member, MessageRef, PostedMessage, Role
from bot.core.privacy import PersonalData
from bot.core.services import Services
from cogs.digest.activity import Rollups
from cogs.digest.privacy import DigestData
from cogs.digest.sections import OWN_SECTIONS, DigestBuilder
from cogs.digest.service import DigestService, Settings
from cogs.digest.tags import MAX_TAG, TagService, normalize
from cogs.digest.week import Week, latest_due, next_due, preview_week

log = logging.getLogger(__name__)
DUE = "digest-due"
CATCH_UP = "digest-catch-up"
TEAM = frozenset({Role.MODERATOR, Role.STAFF, Role.ADMIN})


def _key(community: Community, week: Week) -> str:
    return f"{community.platform}|{community.id}|{week.end.isoformat()}|{week.timezone}"


def _weekday(text: str) -> int:
    """`lunedì`, `lun`, `monday`, `mon` or 1–7 (Monday first)."""
    typed = text.strip().casefold().replace("ì", "i")
    if typed.isdigit() and 1 <= int(typed) <= 7:
        return int(typed) - 1
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=language).items():
                if str(name).casefold().replace("ì", "i") == typed:
                    return int(number)
    raise UserFacingError("digest.bad_day", value=text)


class DigestCog(Cog):
    name = "digest"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.digests = DigestService(services.db)
        self.tags = TagService(services.db)
        self.builder = DigestBuilder(services, self.tags, self.name)
        self.rollups = Rollups(services.db.dialect)
        self._scheduled: dict[tuple[str, str], set[str]] = {}
        services.scheduler.on(DUE, self._due)
        services.scheduler.on(CATCH_UP, self._catch_up)

    # -- declarations ----------------------------------------------------------------

    def personal_data(self) -> PersonalData:
        return DigestData(self.services.db, self.services.counters)

    def commands(self) -> Sequence[Command]:
        settings = (
            Option("day", OptionKind.STRING, "digest.opt.day", max_length=20),
            Option("hour", OptionKind.INTEGER, "digest.opt.hour", min_value=0, max_value=23),
            Option("channel", OptionKind.CHANNEL, "digest.opt.channel"),
            Option("include", OptionKind.STRING, "digest.opt.include", max_length=200),
            Option("names", OptionKind.BOOLEAN, "digest.opt.names"),
        )
        rename = (
            Option(
                "from",
                OptionKind.STRING,
                "digest.opt.tag_from",
                required=True,
                max_length=MAX_TAG + 1,
            ),
            Option(
                "to", OptionKind.STRING, "digest.opt.tag_to", required=True, max_length=MAX_TAG + 1
            ),
        )
        return (
            Command(
                "digest",
                "digest.cmd",
                subcommands=(
                    Command("now", "digest.cmd.now", (), self.now, permission=Role.STAFF),
                    Command(
                        "settings",
                        "digest.cmd.settings",
                        settings,
                        self.settings,
                        permission=Role.ADMIN,
                        usage="digest.usage.settings",
                    ),
                ),
            ),
            Command(
                "tags",
                "digest.cmd.tags",
                default_subcommand="list",
                subcommands=(
                    Command(
                        "list", "digest.cmd.tags_list", (), self.list_tags, permission=Role.STAFF
                    ),
                    Command(
                        "rename",
                        "digest.cmd.tags_rename",
                        rename,
                        self.rename_tag,
                        permission=Role.STAFF,
                        usage="digest.usage.rename",
                    ),
                ),
            ),
        )

    def message_actions(self) -> Sequence[MessageAction]:
        return (MessageAction("tag", "digest.action.tag", self.tag_action, permission=Role.STAFF),)

    # -- rollups ---------------------------------------------------------------------

    async def on_message_posted(self, event: MessagePosted) -> None:
        community = event.community
        timezone = await self.services.communities.timezone(community)
        answers = event.reply_to or event.thread_of
        team = bool(event.author.roles & TEAM)
        now = self.services.clock.now()
        where = (community.platform, community.id)
        if answers is None and not team:
            await self.rollups.awaits(self.services.counters, *where, event.ref.message_id, now)
        elif answers is not None and team:
            await self.services.counters.flush()  # the post it answers may still wait there
            async with self.services.db.session() as session:
                await self.rollups.answered(session, *where, answers, now)
        # Counted only once the rows above are written: a step replayed after an outage
        # must not count the message twice.
        await self.rollups.message(
            self.services.counters,
            platform=community.platform,
            community_id=community.id,
            channel_id=event.channel.id,
            member_id=event.author.id,
            at=now,
            timezone=timezone,
        )
        await self._ensure_scheduled(community)

    async def on_member_joined(self, event: MemberJoined) -> None:
        await self._flow(event.community, joined=True)

    async def on_member_left(self, event: MemberLeft) -> None:
        await self._flow(event.community, joined=False)

    async def _flow(self, community: Community, *, joined: bool) -> None:
        await self.rollups.member(
            self.services.counters,
            community.platform,
            community.id,
            self.services.clock.now(),
            joined=joined,
        )
        await self._ensure_scheduled(community)

    # -- the weekly schedule -----------------------------------------------------------

    async def start(self) -> None:
        # Run once the platforms are connected and the clock is theirs (the console's
        # stored clock): a deadline already past runs at the scheduler's start.
        self.services.scheduler.schedule(CATCH_UP, "start", datetime(2000, 1, 1, tzinfo=UTC))

    async def reschedule(self) -> None:
        # Not called by start(): there the catch-up arms them, on the console's clock. On
        # every re-arm round: the next digest of each community this process serves, also
        # of one no event here has shown yet.
        running = {platform.name for platform in self.services.platforms}
        for community, _first_seen in await self.digests.communities():
            if community.platform in running:
                settings = await self.digests.settings(community)
                timezone = await self.services.communities.timezone(community)
                self._schedule_next(community, settings, timezone)

    async def _catch_up(self, _key: str) -> None:
        now = self.services.clock.now()
        running = {platform.name for platform in self.services.platforms}
        for community, first_seen in await self.digests.communities():
            if community.platform not in running:
                continue  # another process serves that platform's communities
            settings = await self.digests.settings(community)
            timezone = await self.services.communities.timezone(community)
            week, due = latest_due(now, settings.weekday, settings.hour, timezone)
            self._schedule_next(community, settings, timezone)
            # Missed while the bot was down: posted now, once (the claim sees to it).
            if first_seen < due and not await self.digests.posted(community, week.end):
                try:
                    await self.post_week(community, week)
                except Exception:
                    log.exception("missed digest not posted", extra={"community": community.id})

    async def _ensure_scheduled(self, community: Community) -> None:
        if (community.platform, community.id) in self._scheduled:
            return
        settings = await self.digests.settings(community)
        self._schedule_next(
            community, settings, await self.services.communities.timezone(community)
        )

    def _schedule(self, community: Community, week: Week, when: datetime) -> None:
        key = _key(community, week)
        self._scheduled.setdefault((community.platform, community.id), set()).add(key)
        self.services.scheduler.schedule(DUE, key, when)

    def _schedule_next(self, community: Community, settings: Settings, timezone: str) -> None:
        now = self.services.clock.now()
        when = next_due(now, settings.weekday, settings.hour, timezone)
        week, _ = latest_due(when, settings.weekday, settings.hour, timezone)
        self._schedule(community, week, when)

    def _unschedule(self, community: Community) -> None:
        for key in self._scheduled.pop((community.platform, community.id), set()):
            self.services.scheduler.cancel(DUE, key)

    async def _due(self, key: str) -> None:
        platform, community_id, end, timezone = key.split("|")
        community = Community(platform, community_id, "")
        self._scheduled.get((platform, community_id), set()).discard(key)
        week = Week(date.fromisoformat(end), timezone)
        try:
            await self.post_week(community, week)
        finally:
            settings = await self.digests.settings(community)
            self._schedule_next(
                community, settings, await self.services.communities.timezone(community)
            )

    async def _staff_channel(self, community: Community, settings: Settings) -> Channel | None:
        platform = self.services.platforms.get(community.platform)
        if settings.channel_id:
            found = await platform.resolve_channel(community.id, settings.channel_id)
            if found is not None:
                return found
        return await platform.role_channel(community.id, Role.STAFF)

    async def post_week(self, community: Community, week: Week) -> bool:
        """Post this week's digest unless another process (or an earlier run) did."""
        settings = await self.digests.settings(community)
        channel = await self._staff_channel(community, settings)
        if channel is None:
            log.warning("no staff channel for the digest", extra={"community": community.id})
            return False
        if not await self.digests.claim(community, week.end, self.services.clock.now()):
            return False
        try:
            digest = await self.builder.build(community, week, settings, preview=False)
            ref = await self.services.outbox.send(
                community, channel.id, Message(card=digest.card), key=f"digest:{week.end}"
            )
        except Exception:
            await self.digests.release(community, week.end)
            raise
        await self.digests.done(community, week.end, ref.message_id)
        return True

    # -- commands --------------------------------------------------------------------

    async def now(self, ctx: Context, args: Arguments) -> None:
        settings = await self.digests.settings(ctx.community)
        channel = await self._staff_channel(ctx.community, settings)
        if channel is None:
            raise UserFacingError("digest.no_staff_channel")
        week = preview_week(self.services.clock.now(), ctx.timezone)
        digest = await self.builder.build(ctx.community, week, settings, preview=True)
        await self.services.outbox.send(ctx.community, channel.id, Message(card=digest.card))
        where = ctx.platform.channel_mention(channel)
        await ctx.reply(ctx.t("digest.previewed", channel=where), ephemeral=True)

    async def settings(self, ctx: Context, args: Arguments) -> None:
        changes: dict[str, object] = {}
        if (day := args.string("day")) is not None:
            changes["weekday"] = _weekday(day)
        if (hour := args.integer("hour")) is not None:
            changes["hour"] = hour
        if (channel := args.channel("channel")) is not None:
            changes["channel_id"] = channel.id
        if (include := args.string("include")) is not None:
            changes["include"] = self._include(include)
        if "names" in args:
            changes["names"] = args.boolean("names")
        current = (
            await self.digests.change(ctx.community, **changes)
            if changes
            else await self.digests.settings(ctx.community)
        )
        if changes:
            self._unschedule(ctx.community)
            self._schedule_next(ctx.community, current, ctx.timezone)
        await ctx.reply(await self._describe(ctx, current), ephemeral=True)

    def _sections(self) -> list[str]:
        return [*OWN_SECTIONS, *(cog.name for cog in self.services.cogs if cog.name != self.name)]

    def _include(self, text: str) -> tuple[str, ...]:
        parts = [
            part.strip().casefold() for part in text.replace(" ", ",").split(",") if part.strip()
        ]
        if parts in ([], ["all"], ["tutto"]):
            return ()
        known = self._sections()
        unknown = [part for part in parts if part not in known]
        if unknown:
            raise UserFacingError(
                "digest.bad_include", value=", ".join(unknown), allowed=", ".join(known)
            )
        return tuple(dict.fromkeys(parts))

    async def _describe(self, ctx: Context, settings: Settings) -> str:
        day = get_day_names("wide", locale=ctx.language)[settings.weekday]
        channel = await self._staff_channel(ctx.community, settings)
        return ctx.t(
            "digest.settings",
            day=day,
            hour=f"{settings.hour:02d}:00",
            timezone=ctx.timezone,
            channel=ctx.platform.channel_mention(channel) if channel else ctx.t("digest.none"),
            include=", ".join(settings.include) if settings.include else ctx.t("digest.everything"),
            names=settings.names,
        )

    # -- tags ------------------------------------------------------------------------

    async def tag_action(self, ctx: Context, target: PostedMessage, argument: str) -> None:
        if not argument.strip():
            form = Form(
                self.component("tag", target.ref.channel_id, target.ref.message_id),
                ctx.t("digest.tag_form"),
                (
                    FormField(
                        "tag", ctx.t("digest.tag_field"), max_length=MAX_TAG, placeholder="bug"
                    ),
                ),
            )
            await ctx.open_form(form)
            return
        await self._tag(ctx, target.ref.channel_id, target.ref.message_id, argument)

    async def on_form(
        self, ctx: Context, component: ComponentId, values: Mapping[str, str]
    ) -> None:
        if component.action != "tag" or len(component.args) != 2:
            raise UserFacingError("errors.unknown_button")
        await self._tag(ctx, component.args[0], component.args[1], values.get("tag", ""))

    async def _tag(self, ctx: Context, channel_id: str, message_id: str, raw: str) -> None:
        tag = normalize(raw)
        ref = MessageRef(ctx.community.platform, ctx.community.id, channel_id, message_id)
        target = PostedMessage(ref, Member(ref.platform, ref.community_id, "", ""), "")
        added = await self.tags.tag(
            ctx.community, target, tag, ctx.member.id, self.services.clock.now()
        )
        await ctx.reply(
            ctx.t("digest.tagged" if added else "digest.already_tagged", tag=tag), ephemeral=True
        )

    async def list_tags(self, ctx: Context, args: Arguments) -> None:
        counts = await self.tags.counts(ctx.community)
        if not counts:
            await ctx.reply(ctx.t("digest.no_tags"), ephemeral=True)
            return
        lines = [ctx.t("digest.tags_title")]
        lines.extend(ctx.t("digest.tag_count", tag=tag, count=count) for tag, count in counts)
        await ctx.reply("\n".join(lines), ephemeral=True)

    async def rename_tag(self, ctx: Context, args: Arguments) -> None:
        old = normalize(args.string("from") or "")
        new = normalize(args.string("to") or "")
        if old == new:
            raise UserFacingError("digest.tag_same", tag=old)
        count = await self.tags.rename(ctx.community, old, new)
        await ctx.reply(ctx.t("digest.renamed", old=old, new=new, count=count), ephemeral=True)
