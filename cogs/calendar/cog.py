"""`/announce`: the editorial calendar — scheduled and recurring posts, live sessions."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.cog import Cog, ComponentId
from bot.core.commands import Arguments, Command
from bot.core.context import Context
from bot.core.errors import UserFacingError
from bot.core.model import Channel, Community, MessageRef
from bot.core.moments import local_moment
from bot.core.platform import Platform
from bot.core.privacy import PersonalData
from bot.core.reports import CalendarEntry
from bot.core.services import Services
from cogs.calendar.catchup import post_key, unposted
from cogs.calendar.declare import declare
from cogs.calendar.models import LIVE, POST, Announcement
from cogs.calendar.privacy import CalendarData
from cogs.calendar.recurrence import occurrences_after, parse_repeat
from cogs.calendar.render import CalendarRenderer
from cogs.calendar.service import CalendarService, NewAnnouncement

log = logging.getLogger(__name__)
POST_DUE = "announce"
REMIND_DUE = "announce-remind"
LOST_POST = "announce-lost"
AT_START = datetime(2000, 1, 1, tzinfo=UTC)  # a deadline long past: runs at the start
DEFAULT_REMIND = timedelta(minutes=15)


class CalendarCog(Cog):
    name = "calendar"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.calendar = CalendarService(services.db)
        services.scheduler.on(POST_DUE, self._post_due)
        services.scheduler.on(REMIND_DUE, self._remind_due)
        services.scheduler.on(LOST_POST, self._post_lost)
        self._commands = declare(self)

    def personal_data(self) -> PersonalData:
        return CalendarData(self.services.db)

    def commands(self) -> list[Command]:
        return self._commands

    async def start(self) -> None:
        await self.reschedule()
        # Once the platforms are connected: what a process claimed and died before posting.
        for announcement_id in await unposted(self.services.db):
            self.services.scheduler.schedule(LOST_POST, str(announcement_id), AT_START)

    async def reschedule(self) -> None:
        for row in await self.calendar.pending():
            self._schedule(row)

    def _schedule(self, row: Announcement) -> None:
        if row.next_at is None:
            return
        self.services.scheduler.schedule(POST_DUE, str(row.id), row.next_at)
        if row.kind == LIVE and row.remind_minutes and row.reminded_at is None:
            remind_at = row.next_at - timedelta(minutes=row.remind_minutes)
            self.services.scheduler.schedule(REMIND_DUE, str(row.id), remind_at)

    def _renderer(self, ctx: Context) -> CalendarRenderer:
        return CalendarRenderer(self.services.translator, ctx.language, ctx.timezone)

    async def _renderer_for(self, community: Community) -> CalendarRenderer:
        communities = self.services.communities
        return CalendarRenderer(
            self.services.translator,
            await communities.language(community),
            await communities.timezone(community),
        )

    # -- commands ------------------------------------------------------------------

    def _when(self, ctx: Context, args: Arguments) -> datetime:
        moment = local_moment(args.string("at") or "", ctx.timezone, ctx.language)
        if moment <= self.services.clock.now():
            raise UserFacingError("calendar.in_the_past", value=args.string("at") or "")
        return moment

    async def schedule(self, ctx: Context, args: Arguments) -> None:
        first = self._when(ctx, args)
        repeat = args.string("repeat")
        rule = parse_repeat(repeat) if repeat else None
        ends_at = None
        if until := args.string("until"):
            ends_at = local_moment(
                until if " " in until.strip() else f"{until.strip()} 23:59",
                ctx.timezone,
                ctx.language,
            )
            if ends_at <= first:
                raise UserFacingError("calendar.until_before_start")
        local_start = first.astimezone(ZoneInfo(ctx.timezone)).replace(tzinfo=None)
        if rule is not None:
            # The rule may not fall on the day typed ("every Monday" typed on a Tuesday).
            found = occurrences_after(rule, local_start, ctx.timezone, first, inclusive=True)
            if found is None or (ends_at is not None and found > ends_at):
                raise UserFacingError("calendar.never_happens")
            first = found
        channel = args.channel("channel") or ctx.channel
        new = NewAnnouncement(
            channel.id, ctx.member.id, POST, "", args.string("text") or "", rule,
            ctx.timezone, local_start, first, ends_at,
        )  # fmt: skip
        announcement_id = await self.calendar.create(ctx.community, new, self.services.clock.now())
        row = await self.calendar.get(announcement_id)
        assert row is not None
        self._schedule(row)
        renderer = self._renderer(ctx)
        await ctx.reply(
            ctx.t(
                "calendar.scheduled",
                id=announcement_id,
                when=renderer.when(first),
                channel=ctx.platform.channel_mention(channel),
                repeat=renderer.repeat(rule),
            ),
            ephemeral=True,
        )

    async def live(self, ctx: Context, args: Arguments) -> None:
        starts = self._when(ctx, args)
        remind = args.duration("remind") or DEFAULT_REMIND
        channel = args.channel("channel") or ctx.channel
        local_start = starts.astimezone(ZoneInfo(ctx.timezone)).replace(tzinfo=None)
        new = NewAnnouncement(
            channel.id, ctx.member.id, LIVE, args.string("title") or "", args.string("text") or "",
            None, ctx.timezone, local_start, starts, None, int(remind.total_seconds() // 60),
        )  # fmt: skip
        now = self.services.clock.now()
        announcement_id = await self.calendar.create(ctx.community, new, now)
        row = await self.calendar.get(announcement_id)
        assert row is not None
        renderer = self._renderer(ctx)
        card = renderer.live_card(row, self.component("remind", announcement_id), 0)
        try:
            ref = await self.services.outbox.send(
                ctx.community, channel.id, card, key=f"calendar-live:{announcement_id}"
            )
        except Exception:
            await self.calendar.cancel(announcement_id)  # nobody could press its button
            raise
        await self.calendar.attach_message(announcement_id, ref.message_id)
        self._schedule(row)
        await ctx.reply(
            ctx.t("calendar.live_scheduled", id=announcement_id, when=renderer.when(starts)),
            ephemeral=True,
        )

    async def list_upcoming(self, ctx: Context, args: Arguments) -> None:
        now = self.services.clock.now()
        others: list[CalendarEntry] = []
        for cog in self.services.cogs:
            if cog is self:
                continue
            try:
                others.extend(
                    await cog.calendar_entries(ctx.community, now, now + timedelta(days=366))
                )
            except Exception:
                log.exception("calendar entries failed", extra={"cog": cog.name})
        rows = await self.calendar.upcoming(ctx.community)
        listing = self._renderer(ctx).listing(
            rows, others, lambda channel_id: _mention(ctx.platform, ctx.community.id, channel_id)
        )
        await ctx.reply(listing, ephemeral=True)

    async def _own(self, ctx: Context, args: Arguments) -> Announcement:
        announcement_id = args.integer("id") or 0
        row = await self.calendar.in_community(ctx.community, announcement_id)
        if row is None:
            raise UserFacingError("calendar.not_found", id=announcement_id)
        return row

    async def cancel(self, ctx: Context, args: Arguments) -> None:
        row = await self._own(ctx, args)
        if not await self.calendar.cancel(row.id):
            raise UserFacingError("calendar.not_scheduled", id=row.id)
        self.services.scheduler.cancel(POST_DUE, str(row.id))
        self.services.scheduler.cancel(REMIND_DUE, str(row.id))
        await ctx.reply(ctx.t("calendar.cancelled", id=row.id), ephemeral=True)

    async def preview(self, ctx: Context, args: Arguments) -> None:
        row = await self._own(ctx, args)
        await ctx.reply(self._renderer(ctx).preview(row), ephemeral=True)

    async def settings(self, ctx: Context, args: Arguments) -> None:
        late = args.duration("late")
        if late is not None:
            await self.calendar.set_late_minutes(ctx.community, int(late.total_seconds() // 60))
        minutes = await self.calendar.late_minutes(ctx.community)
        shown = self.services.translator.duration(ctx.language, timedelta(minutes=minutes))
        await ctx.reply(ctx.t("calendar.settings", late=shown), ephemeral=True)

    # -- buttons ---------------------------------------------------------------------

    async def on_button(self, ctx: Context, component: ComponentId) -> None:
        if component.action != "remind" or not component.args:
            raise UserFacingError("errors.unknown_button")
        announcement_id = component.number(0)
        row = await self.calendar.in_community(ctx.community, announcement_id)
        if row is None or row.kind != LIVE:
            raise UserFacingError("calendar.not_found", id=announcement_id)
        if row.next_at is None:
            raise UserFacingError("calendar.live_over", title=row.title)
        now = self.services.clock.now()
        registered = await self.calendar.toggle_reminder(row.id, ctx.member.id, now)
        renderer = self._renderer(ctx)
        count = await self.calendar.reminder_count(row.id)
        if ctx.message is not None:
            await ctx.update(renderer.live_card(row, self.component("remind", row.id), count))
        if not registered:
            await ctx.reply(ctx.t("calendar.remind_off", title=row.title), ephemeral=True)
        elif row.reminded_at is not None:
            await ctx.reply(
                ctx.t("calendar.remind_soon", title=row.title, when=renderer.when(row.next_at)),
                ephemeral=True,
            )
        else:
            await ctx.reply(
                ctx.t("calendar.remind_on", title=row.title, minutes=row.remind_minutes),
                ephemeral=True,
            )

    # -- deadlines -------------------------------------------------------------------

    async def _post_due(self, key: str) -> None:
        row = await self.calendar.get(int(key))
        if row is None or row.next_at is None:
            return
        due = row.next_at
        now = self.services.clock.now()
        community = Community(row.platform, row.community_id, "")
        next_at = None
        if row.rule is not None:
            local_start = datetime.fromisoformat(row.local_start)
            # After downtime the series goes on from now: one late post, never a burst.
            next_at = occurrences_after(row.rule, local_start, row.timezone, max(now, due))
            if next_at is not None and row.ends_at is not None and next_at > row.ends_at:
                next_at = None
        late = now - due > timedelta(minutes=await self.calendar.late_minutes(community))
        if not await self.calendar.claim(row.id, due, next_at, posted=not late):
            return  # another process, or an earlier run, has it
        if late:
            log.info("announcement skipped: too late", extra={"announcement": row.id})
        else:
            renderer = await self._renderer_for(community)
            await self.services.outbox.send(
                community, row.channel_id, renderer.post(row), key=post_key(row.id)
            )
            if row.kind == LIVE and row.message_id is not None:
                await self._close_live_card(row, renderer)
        if next_at is not None:
            self.services.scheduler.schedule(POST_DUE, str(row.id), next_at)

    async def _post_lost(self, key: str) -> None:
        row = await self.calendar.get(int(key))
        if row is None or not await unposted(self.services.db, row.id):
            return  # posted after all, by another process
        community = Community(row.platform, row.community_id, "")
        renderer = await self._renderer_for(community)
        await self.services.outbox.send(
            community, row.channel_id, renderer.post(row), key=post_key(row.id)
        )

    async def _close_live_card(self, row: Announcement, renderer: CalendarRenderer) -> None:
        assert row.message_id is not None
        ref = MessageRef(row.platform, row.community_id, row.channel_id, row.message_id)
        count = await self.calendar.reminder_count(row.id)
        try:
            await self.services.outbox.edit(ref, renderer.live_card(row, "", count, started=True))
        except Exception:
            log.exception("could not update the live session's card", extra={"id": row.id})

    async def _remind_due(self, key: str) -> None:
        row = await self.calendar.get(int(key))
        if row is None or row.next_at is None or row.kind != LIVE:
            return
        now = self.services.clock.now()
        if now >= row.next_at or not await self.calendar.mark_reminded(row.id, now):
            return  # started already (its announcement says so), or reminded by another run
        community = Community(row.platform, row.community_id, "")
        renderer = await self._renderer_for(community)
        platform = self.services.platforms.get(row.platform)
        where = _mention(platform, row.community_id, row.channel_id)
        for reminder in await self.calendar.unsent_reminders(row.id):
            if await self.calendar.claim_reminder(reminder.id, now):
                try:
                    await self.services.outbox.dm(
                        community, reminder.member_id, renderer.reminder(row, where)
                    )
                except Exception:
                    log.exception("could not send a reminder", extra={"id": row.id})


def _mention(platform: Platform, community_id: str, channel_id: str) -> str:
    """A channel named by its id, as the platform links it: no lookup is needed for that."""
    return platform.channel_mention(Channel(platform.name, community_id, channel_id, channel_id))
