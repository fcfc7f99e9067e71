"""Crisis alert: complaints counted as they arrive; a spike against the community's own
baseline posts one urgent alert to staff, updated each minute until calm returns."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.core.cards import Message
from bot.core.cog import Cog
from bot.core.commands import Arguments, Command
from bot.core.context import Context
from bot.core.events import MessagePosted
from bot.core.model import Community, MessageRef, Role
from bot.core.privacy import PersonalData
from bot.core.reports import ReportPeriod, ReportSection
from bot.core.services import Services
from cogs.crisis.complaints import classify
from cogs.crisis.detector import (
    Assessment,
    Baseline,
    Step,
    Thresholds,
    next_step,
    scan,
)
from cogs.crisis.privacy import CrisisData
from cogs.crisis.render import CrisisRenderer, Picture
from cogs.crisis.service import MESSAGE, QUESTION, CrisisService, OpenAlert
from cogs.crisis.settings import settings_command, updated_thresholds

log = logging.getLogger(__name__)
TICK = "crisis-tick"
TREND_SLICES = 5


class CrisisCog(Cog):
    name = "crisis"

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self.crisis = CrisisService(services.db, services.counters)
        services.scheduler.on(TICK, self._tick)
        self._baselines: dict[tuple[str, str], tuple[datetime, Baseline]] = {}
        self._staff_channels: dict[tuple[str, str], str | None] = {}
        self._pruned_at: datetime | None = None
        self._drawn: dict[int, tuple[int, int]] = {}  # alert -> the window it last showed

    def personal_data(self) -> PersonalData:
        return CrisisData(self.services.db)

    def commands(self) -> list[Command]:
        return [
            Command(
                "crisis",
                "crisis.cmd",
                default_subcommand="status",
                subcommands=(
                    Command("status", "crisis.cmd.status", (), self.status, permission=Role.STAFF),
                    settings_command(self.settings),
                ),
            )
        ]

    async def start(self) -> None:
        await self.reschedule()

    async def reschedule(self) -> None:
        now = self.services.clock.now()
        scheduler = self.services.scheduler
        for _community, alert in await self.crisis.open_alerts():
            # A tick already known here keeps its time: armed again at every round, it
            # would move a minute on each time and never come.
            if not scheduler.knows(TICK, str(alert.id)):
                scheduler.schedule(TICK, str(alert.id), now + timedelta(minutes=1))

    # -- listening --------------------------------------------------------------------

    async def on_message_posted(self, event: MessagePosted) -> None:
        if event.author.is_bot or event.channel.is_dm or event.channel.is_private:
            return
        community = event.community
        if event.channel.id == await self._staff_channel(community):
            return  # staff talking about the crisis is not the crisis
        now = self.services.clock.now()
        verdict = classify(event.text)
        # A question with a hint of trouble ("dove sono finiti i miei ordini?") is kept too:
        # many members asking it is a problem, even if none of them complains.
        asking = not verdict.is_complaint and verdict.score > 0 and "?" in event.text
        kept = (event.channel.id, event.ref.message_id, event.author.id, event.text)
        complaint = kept if verdict.is_complaint or asking else None
        source = QUESTION if asking else MESSAGE
        await self.crisis.record(community, now, complaint=complaint, source=source)
        await self._prune(now)
        if complaint is not None:
            await self._evaluate(community, tick=False)

    async def _staff_channel(self, community: Community) -> str | None:
        key = (community.platform, community.id)
        if key not in self._staff_channels:
            platform = self.services.platforms.get(community.platform)
            channel = await platform.role_channel(community.id, Role.STAFF)
            self._staff_channels[key] = channel.id if channel is not None else None
        return self._staff_channels[key]

    async def _prune(self, now: datetime) -> None:
        if self._pruned_at is None or now - self._pruned_at >= timedelta(hours=1):
            self._pruned_at = now
            await self.crisis.prune(now, Thresholds().baseline_weeks)

    # -- the rule ---------------------------------------------------------------------

    async def _baseline(self, community: Community, now: datetime, weeks: int) -> Baseline:
        key = (community.platform, community.id)
        hour = now.replace(minute=0, second=0, microsecond=0)
        cached = self._baselines.get(key)
        if cached is not None and cached[0] == hour:
            return cached[1]
        timezone = await self.services.communities.timezone(community)
        hours = await self.crisis.hours(community, now - timedelta(weeks=weeks))
        baseline = Baseline.learn(hours, timezone, now, weeks)
        self._baselines[key] = (hour, baseline)
        return baseline

    async def _assess(self, community: Community, limits: Thresholds) -> Assessment:
        now = self.services.clock.now()
        baseline = await self._baseline(community, now, limits.baseline_weeks)
        timezone = await self.services.communities.timezone(community)
        minutes = await self.crisis.minutes(community, now, limits.window_minutes)
        return scan(minutes, baseline, now, timezone, limits)

    async def _evaluate(self, community: Community, *, tick: bool) -> None:
        enabled, limits = await self.crisis.thresholds(community)
        assessment = await self._assess(community, limits)
        alert = await self.crisis.open_alert(community)
        now = self.services.clock.now()
        step = next_step(alert.state if alert else None, assessment, now, limits)
        if alert is not None and assessment.spike:
            await self.crisis.spiking(alert.id, now, assessment.window.complaints)
        if step is Step.OPEN and enabled:
            await self._open(community, assessment, limits)
        elif alert is not None and tick and step is Step.UPDATE:
            shown = (assessment.window.complaints, assessment.window.members)
            if self._drawn.get(alert.id) != shown:  # an unchanged alert is not edited again
                self._drawn[alert.id] = shown
                await self._draw(community, alert, assessment, limits, over=False)
            self.services.scheduler.schedule(TICK, str(alert.id), now + timedelta(minutes=1))
        elif (
            alert is not None
            and tick
            and step is Step.OVER
            and await self.crisis.finish(alert.id, now)
        ):
            self._drawn.pop(alert.id, None)
            await self._draw(community, alert, assessment, limits, over=True)

    async def _open(self, community: Community, assessment: Assessment, limits: Thresholds) -> None:
        now = self.services.clock.now()
        alert_id = await self.crisis.claim(community, now, assessment.window.complaints)
        if alert_id is None:
            return  # another process, or an earlier message, has opened it
        platform = self.services.platforms.get(community.platform)
        channel = await platform.role_channel(community.id, Role.STAFF)
        if channel is None:
            log.warning("complaints are spiking and there is no staff channel")
        else:
            alert = OpenAlert(alert_id, now, now, assessment.window.complaints, None, None)
            message = await self._message(community, alert, assessment, limits, over=False)
            ref = await self.services.outbox.send(
                community, channel.id, message, key=f"crisis:{alert_id}"
            )
            await self.crisis.attach(alert_id, ref.channel_id, ref.message_id)
            self._drawn[alert_id] = (assessment.window.complaints, assessment.window.members)
        self.services.scheduler.schedule(TICK, str(alert_id), now + timedelta(minutes=1))

    async def _tick(self, key: str) -> None:
        found = await self.crisis.alert(int(key))
        if found is None or found[2] != "open":
            return
        await self._evaluate(found[0], tick=True)

    async def _draw(
        self,
        community: Community,
        alert: OpenAlert,
        assessment: Assessment,
        limits: Thresholds,
        *,
        over: bool,
    ) -> None:
        if alert.channel_id is None or alert.message_id is None:
            return
        ref = MessageRef(community.platform, community.id, alert.channel_id, alert.message_id)
        fresh = await self.crisis.alert(alert.id)
        shown = fresh[1] if fresh is not None else alert
        message = await self._message(community, shown, assessment, limits, over=over)
        try:
            await self.services.outbox.edit(ref, message)
        except Exception:
            log.exception("could not update the crisis alert", extra={"alert": alert.id})

    async def _message(
        self,
        community: Community,
        alert: OpenAlert,
        assessment: Assessment,
        limits: Thresholds,
        *,
        over: bool,
    ) -> Message:
        now = self.services.clock.now()
        since = now - timedelta(minutes=limits.window_minutes)
        if over:  # the last word quotes the crisis, not the calm that ended it
            since = alert.started_at - timedelta(minutes=limits.window_minutes)
        platform = self.services.platforms.get(community.platform)
        names: dict[str, str] = {}

        async def shown(channel_id: str) -> str:
            if channel_id not in names:
                channel = await platform.resolve_channel(community.id, channel_id)
                names[channel_id] = (
                    platform.channel_mention(channel) if channel else f"#{channel_id}"
                )
            return names[channel_id]

        examples = [
            (await shown(c), said) for c, said in await self.crisis.examples(community, since)
        ]
        channels = [(await shown(c), n) for c, n in await self.crisis.channels(community, since)]
        picture = Picture(
            assessment,
            alert.started_at,
            alert.last_spike_at,
            max(alert.peak, assessment.window.complaints if not over else 0),
            examples,
            channels,
            await self.crisis.slices(community, now, limits.window_minutes, TREND_SLICES),
            now,
        )
        renderer = await self._renderer(community)
        mention = await platform.role_mention(community.id, Role.STAFF)
        if over:
            return renderer.over(mention, picture, limits)
        return renderer.alert(mention, picture, limits)

    async def _renderer(self, community: Community) -> CrisisRenderer:
        communities = self.services.communities
        return CrisisRenderer(
            self.services.translator,
            await communities.language(community),
            await communities.timezone(community),
        )

    # -- commands ---------------------------------------------------------------------

    async def status(self, ctx: Context, args: Arguments) -> None:
        _enabled, limits = await self.crisis.thresholds(ctx.community)
        assessment = await self._assess(ctx.community, limits)
        alert = await self.crisis.open_alert(ctx.community)
        renderer = CrisisRenderer(self.services.translator, ctx.language, ctx.timezone)
        card = renderer.status(assessment, limits, alert.started_at if alert else None)
        await ctx.reply(card, ephemeral=True)

    async def settings(self, ctx: Context, args: Arguments) -> None:
        enabled, limits = await self.crisis.thresholds(ctx.community)
        enabled, limits, changed = updated_thresholds(args, enabled, limits)
        if changed:
            await self.crisis.save(ctx.community, enabled, limits)
        renderer = CrisisRenderer(self.services.translator, ctx.language, ctx.timezone)
        key = "crisis.settings.saved" if changed else "crisis.settings.current"
        await ctx.reply(f"{ctx.t(key)}\n{renderer.settings(enabled, limits)}", ephemeral=True)

    # -- the digest -------------------------------------------------------------------

    async def report_section(self, period: ReportPeriod) -> ReportSection | None:
        alerts = await self.crisis.alerts_between(period.community, period.since, period.until)
        if not alerts:
            return None
        renderer = CrisisRenderer(self.services.translator, period.language, period.timezone)
        lines = renderer.report_lines(alerts, renderer.time)
        return ReportSection(renderer.t("crisis.report.title", count=len(alerts)), lines, order=20)
