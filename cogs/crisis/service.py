"""The crisis alert's state: counts kept as messages arrive, the window and baseline read
back, and the alert's rows changed once each (a claimed insert, conditional updates)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.model import Community
from bot.storage.counters import CounterBuffer
from bot.storage.database import Database
from bot.storage.upsert import compiled_once, dialect_insert
from cogs.crisis.detector import AlertState, HourCount, Minute, Thresholds, Window, windows
from cogs.crisis.models import (
    OPEN,
    OVER,
    CrisisAlert,
    CrisisComplaint,
    CrisisHour,
    CrisisMinute,
    CrisisSettings,
)
from cogs.crisis.signals import ASKED, ASKERS, REVIEWS, others_signals

MINUTES_KEPT = timedelta(hours=3)
COMPLAINTS_KEPT = timedelta(days=1)
EXCERPT = 120
MESSAGE, QUESTION = "message", "question"


def excerpt(text_: str) -> str:
    flat = " ".join(text_.split())
    return flat if len(flat) <= EXCERPT else flat[: EXCERPT - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class OpenAlert:
    id: int
    started_at: datetime
    last_spike_at: datetime
    peak: int
    channel_id: str | None
    message_id: str | None

    @property
    def state(self) -> AlertState:
        return AlertState(self.started_at, self.last_spike_at)


def _where(model: Any, community: Community) -> tuple[Any, Any]:
    return (model.platform == community.platform, model.community_id == community.id)


def _counted(community: Community, since: datetime) -> tuple[Any, ...]:
    """The complaints in the window (not the questions kept for their groups)."""
    return (
        *_where(CrisisComplaint, community),
        CrisisComplaint.at > since,
        CrisisComplaint.source == MESSAGE,
    )


class CrisisService:
    def __init__(self, db: Database, counters: CounterBuffer | None = None) -> None:
        self.db = db
        # Without the app's buffer (a tool, a test of two processes): written at once.
        self.counters = CounterBuffer(db, 0) if counters is None else counters
        dialect = db.dialect
        place = ("platform", "community_id")
        hour = dialect_insert(dialect, CrisisHour).values(messages=1)
        self._hour = compiled_once(
            hour.on_conflict_do_update(
                index_elements=["platform", "community_id", "hour"],
                set_={
                    "messages": CrisisHour.messages + hour.excluded.messages,
                    "complaints": CrisisHour.complaints + hour.excluded.complaints,
                },
            ),
            dialect,
            (*place, "hour", "complaints"),
        )
        minute = dialect_insert(dialect, CrisisMinute).values(messages=1)
        self._minute = compiled_once(
            minute.on_conflict_do_update(
                index_elements=["platform", "community_id", "minute"],
                set_={"messages": CrisisMinute.messages + minute.excluded.messages},
            ),
            dialect,
            (*place, "minute"),
        )
        self._complaint = compiled_once(
            dialect_insert(dialect, CrisisComplaint).on_conflict_do_nothing(
                index_elements=["platform", "community_id", "message_id"]
            ),
            dialect,
            (*place, "channel_id", "message_id", "member_id", "at", "excerpt", "source"),
        )

    # -- counting ---------------------------------------------------------------------

    async def record(
        self,
        community: Community,
        now: datetime,
        *,
        complaint: tuple[str, str, str, str] | None,  # channel, message, member, text
        source: str = MESSAGE,
    ) -> None:
        """Count a message; keep a complaint (or a question hinting at a problem, `source`
        QUESTION, which counts only with many others like it) for the window."""
        where = {"platform": community.platform, "community_id": community.id}
        if complaint is not None:
            channel_id, message_id, member_id, said = complaint
            row = {
                **where,
                "channel_id": channel_id,
                "message_id": message_id,
                "member_id": member_id,
                "at": now,
                "excerpt": excerpt(said),
                "source": source,
            }
            async with self.db.session() as session:
                await session.execute(self._complaint, [row])
        # Counted once the complaint is written: a step replayed after an outage must not
        # count the message twice. The counts are written behind (bot.storage.counters).
        hour = now.replace(minute=0, second=0, microsecond=0)
        await self.counters.add(
            self._hour, {**where, "hour": hour}, messages=1, complaints=int(bool(complaint))
        )
        await self.counters.add(
            self._minute, {**where, "minute": now.replace(second=0, microsecond=0)}, messages=1
        )

    async def prune(self, now: datetime, weeks: int) -> None:
        async with self.db.session() as session:
            await session.execute(
                delete(CrisisMinute).where(CrisisMinute.minute < now - MINUTES_KEPT)
            )
            await session.execute(
                delete(CrisisComplaint).where(CrisisComplaint.at < now - COMPLAINTS_KEPT)
            )
            await session.execute(
                delete(CrisisHour).where(CrisisHour.hour < now - timedelta(weeks=weeks + 1))
            )

    # -- reading ----------------------------------------------------------------------

    # Every reader of the counts writes this process's pending ones first.

    async def window(self, community: Community, now: datetime, minutes: int) -> Window:
        return windows(await self.minutes(community, now, minutes))[-1]

    async def minutes(self, community: Community, now: datetime, span: int) -> list[Minute]:
        """The last `span` minutes, newest first: messages, complaints (members' reports
        and many members asking about one problem among them) and who complained."""
        since = now - timedelta(minutes=span)
        messages = [0] * span
        complaints = [0] * span
        members: list[set[str]] = [set() for _ in range(span)]
        await self.counters.flush()

        def slot(moment: datetime) -> int | None:
            # By the minute it began, as the messages are counted: a complaint and the
            # message it is fall in the same minute.
            age = int((now - moment.replace(second=0, microsecond=0)) / timedelta(minutes=1))
            return age if 0 <= age < span else None

        async with self.db.session() as session:
            rows = await session.execute(
                select(CrisisMinute.minute, CrisisMinute.messages).where(
                    *_where(CrisisMinute, community), CrisisMinute.minute > since
                )
            )
            for moment, count in rows:
                if (index := slot(moment)) is not None:
                    messages[index] += count
            said: list[tuple[datetime, str | None]] = [
                (moment, member)
                for moment, member in await session.execute(
                    select(CrisisComplaint.at, CrisisComplaint.member_id).where(
                        *_counted(community, since)
                    )
                )
            ]
        # After the session above: holding a connection while asking for another could
        # drain the pool when many messages arrive at once.
        said += await others_signals(self.db, REVIEWS, community, since)
        said += await others_signals(self.db, ASKED, community, since, members=ASKERS)
        for moment, member in said:
            if (index := slot(moment)) is not None:
                complaints[index] += 1
                if member is not None:  # a report names no complaining member
                    members[index].add(member)
        return [Minute(messages[i], complaints[i], frozenset(members[i])) for i in range(span)]

    async def hours(self, community: Community, since: datetime) -> list[HourCount]:
        await self.counters.flush()
        async with self.db.session() as session:
            rows = await session.execute(
                select(CrisisHour.hour, CrisisHour.messages, CrisisHour.complaints).where(
                    *_where(CrisisHour, community), CrisisHour.hour >= since
                )
            )
            return [HourCount(hour, messages, complaints) for hour, messages, complaints in rows]

    async def examples(
        self, community: Community, since: datetime, limit: int = 3
    ) -> list[tuple[str, str]]:
        """The latest complaints, from as many members as possible: (channel, excerpt)."""
        async with self.db.session() as session:
            rows = await session.execute(
                select(
                    CrisisComplaint.member_id, CrisisComplaint.channel_id, CrisisComplaint.excerpt
                )
                .where(*_counted(community, since))
                .order_by(CrisisComplaint.at.desc(), CrisisComplaint.id.desc())
                .limit(50)
            )
            picked: list[tuple[str, str]] = []
            members: set[str] = set()
            for member_id, channel_id, said in rows:
                if member_id not in members and len(picked) < limit:
                    members.add(member_id)
                    picked.append((channel_id, said))
            return picked

    async def channels(self, community: Community, since: datetime) -> list[tuple[str, int]]:
        async with self.db.session() as session:
            count = func.count(CrisisComplaint.id)
            rows = await session.execute(
                select(CrisisComplaint.channel_id, count)
                .where(*_counted(community, since))
                .group_by(CrisisComplaint.channel_id)
                .order_by(count.desc())
                .limit(5)
            )
            return [(channel_id, int(n)) for channel_id, n in rows]

    async def slices(
        self, community: Community, now: datetime, minutes: int, parts: int
    ) -> list[int]:
        """Complaints per slice of the last `minutes`, oldest first: the alert's trend."""
        step = timedelta(minutes=minutes) / parts
        since = now - step * parts
        async with self.db.session() as session:
            moments = await session.scalars(
                select(CrisisComplaint.at).where(*_counted(community, since))
            )
            counts = [0] * parts
            for moment in moments:
                counts[min(parts - 1, int((moment - since) / step))] += 1
            return counts

    # -- the alert --------------------------------------------------------------------

    async def open_alert(self, community: Community) -> OpenAlert | None:
        async with self.db.session() as session:
            row = await session.scalar(
                select(CrisisAlert).where(
                    *_where(CrisisAlert, community), CrisisAlert.state == OPEN
                )
            )
            return None if row is None else self._view(row)

    async def open_alerts(self) -> list[tuple[Community, OpenAlert]]:
        async with self.db.session() as session:
            rows = await session.scalars(select(CrisisAlert).where(CrisisAlert.state == OPEN))
            return [(Community(r.platform, r.community_id, ""), self._view(r)) for r in rows]

    async def alert(self, alert_id: int) -> tuple[Community, OpenAlert, str] | None:
        async with self.db.session() as session:
            row = await session.get(CrisisAlert, alert_id)
            if row is None:
                return None
            return Community(row.platform, row.community_id, ""), self._view(row), row.state

    @staticmethod
    def _view(row: CrisisAlert) -> OpenAlert:
        return OpenAlert(
            row.id, row.started_at, row.last_spike_at, row.peak, row.channel_id, row.message_id
        )

    async def claim(self, community: Community, now: datetime, peak: int) -> int | None:
        """Open the community's alert; None when one is already open (another process)."""
        try:
            async with self.db.session() as session:
                row = CrisisAlert(
                    platform=community.platform,
                    community_id=community.id,
                    open_key=f"{community.platform}:{community.id}",
                    state=OPEN,
                    started_at=now,
                    last_spike_at=now,
                    peak=peak,
                )
                session.add(row)
                await session.flush()
                return row.id
        except IntegrityError:
            return None

    async def attach(self, alert_id: int, channel_id: str, message_id: str) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(CrisisAlert)
                .where(CrisisAlert.id == alert_id)
                .values(channel_id=channel_id, message_id=message_id)
            )

    async def spiking(self, alert_id: int, now: datetime, complaints: int) -> None:
        async with self.db.session() as session:
            await session.execute(
                update(CrisisAlert)
                .where(CrisisAlert.id == alert_id, CrisisAlert.state == OPEN)
                .values(
                    last_spike_at=func.max(CrisisAlert.last_spike_at, now)
                    if self.db.dialect == "sqlite"
                    else func.greatest(CrisisAlert.last_spike_at, now),
                    peak=func.max(CrisisAlert.peak, complaints)
                    if self.db.dialect == "sqlite"
                    else func.greatest(CrisisAlert.peak, complaints),
                )
            )

    async def finish(self, alert_id: int, now: datetime) -> bool:
        """Over, once: the process whose update changed the row posts the last edit."""
        async with self.db.session() as session:
            result = await session.execute(
                update(CrisisAlert)
                .where(CrisisAlert.id == alert_id, CrisisAlert.state == OPEN)
                .values(state=OVER, open_key=None, ended_at=now)
            )
            return bool(result.rowcount)  # type: ignore[attr-defined]

    async def alerts_between(
        self, community: Community, since: datetime, until: datetime
    ) -> list[tuple[datetime, datetime | None, int]]:
        async with self.db.session() as session:
            rows = await session.execute(
                select(CrisisAlert.started_at, CrisisAlert.ended_at, CrisisAlert.peak)
                .where(
                    *_where(CrisisAlert, community),
                    CrisisAlert.started_at >= since,
                    CrisisAlert.started_at < until,
                )
                .order_by(CrisisAlert.started_at)
            )
            return [(start, end, peak) for start, end, peak in rows]

    # -- settings ---------------------------------------------------------------------

    async def thresholds(self, community: Community) -> tuple[bool, Thresholds]:
        async with self.db.session() as session:
            row = await session.scalar(
                select(CrisisSettings).where(*_where(CrisisSettings, community))
            )
        if row is None:
            return True, Thresholds()
        return row.enabled, Thresholds(
            window_minutes=row.window_minutes,
            min_complaints=row.min_complaints,
            min_members=row.min_members,
            ratio=row.ratio,
            z=row.z,
            cooldown_minutes=row.cooldown_minutes,
        )

    async def save(self, community: Community, enabled: bool, limits: Thresholds) -> None:
        values = {
            "enabled": enabled,
            "window_minutes": limits.window_minutes,
            "min_complaints": limits.min_complaints,
            "min_members": limits.min_members,
            "ratio": limits.ratio,
            "z": limits.z,
            "cooldown_minutes": limits.cooldown_minutes,
        }
        stmt = dialect_insert(self.db.dialect, CrisisSettings).values(
            platform=community.platform, community_id=community.id, **values
        )
        async with self.db.session() as session:
            await session.execute(
                stmt.on_conflict_do_update(index_elements=["platform", "community_id"], set_=values)
            )
