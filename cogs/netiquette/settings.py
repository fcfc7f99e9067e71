"""A community's netiquette settings: review channel, exemptions, timings, escalation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.core.durations import DurationError, parse_duration
from bot.core.errors import UserFacingError
from bot.core.model import Community
from bot.core.per_community import REFRESH_SECONDS, PerCommunity
from bot.storage.database import Database
from cogs.netiquette.models import NetiquetteSettings

# At most this many steps: a policy is read by people, not a table of every count.
MAX_STEPS = 5
MAX_STRIKES = 50
MAX_TIMEOUT = timedelta(days=28)  # Discord's longest communication timeout


@dataclass(frozen=True, slots=True)
class Step:
    strikes: int
    timeout: timedelta


@dataclass(frozen=True, slots=True)
class Config:
    review_channel_id: str | None = None
    exempt_staff: bool = True
    reminder: timedelta = timedelta(hours=1)
    strike_expiry: timedelta = timedelta(days=30)
    retention: timedelta = timedelta(days=30)
    escalation: tuple[Step, ...] = (
        Step(2, timedelta(hours=1)),
        Step(3, timedelta(hours=24)),
    )
    reports_held: bool = False

    def timeout_for(self, strikes: int) -> Step | None:
        """The step a member with `strikes` active strikes has reached, if any."""
        reached = [step for step in self.escalation if step.strikes <= strikes]
        return max(reached, key=lambda step: step.strikes) if reached else None


DEFAULT = Config()


def parse_escalation(text: str) -> tuple[Step, ...]:
    """`2:1h, 3:24h` (or `-` for none): at N active strikes, a timeout that long."""
    cleaned = text.strip()
    if cleaned in ("", "-", "no", "off", "nessuna"):
        return ()
    steps: dict[int, timedelta] = {}
    for part in cleaned.replace(";", ",").split(","):
        count, sep, duration = part.strip().partition(":")
        if not sep or not count.strip().isdigit():
            raise UserFacingError("netiquette.settings.bad_escalation", value=part.strip())
        strikes = int(count)
        if not 1 <= strikes <= MAX_STRIKES:
            raise UserFacingError("netiquette.settings.bad_escalation", value=part.strip())
        try:
            timeout = parse_duration(duration)
        except DurationError:
            raise UserFacingError(
                "netiquette.settings.bad_escalation", value=part.strip()
            ) from None
        if not timedelta(minutes=1) <= timeout <= MAX_TIMEOUT:
            raise UserFacingError("netiquette.settings.timeout_range", value=part.strip())
        steps[strikes] = timeout
    if len(steps) > MAX_STEPS:
        raise UserFacingError("netiquette.settings.too_many_steps", limit=MAX_STEPS)
    return tuple(Step(count, steps[count]) for count in sorted(steps))


def _stored(steps: tuple[Step, ...]) -> str:
    return ",".join(f"{step.strikes}:{int(step.timeout.total_seconds())}" for step in steps)


def _loaded(text: str) -> tuple[Step, ...]:
    steps = []
    for part in text.split(","):
        count, _, seconds = part.partition(":")
        if count.isdigit() and seconds.isdigit():
            steps.append(Step(int(count), timedelta(seconds=int(seconds))))
    return tuple(steps)


def _config(row: NetiquetteSettings | None) -> Config:
    if row is None:
        return DEFAULT
    return Config(
        review_channel_id=row.review_channel_id,
        exempt_staff=row.exempt_staff,
        reminder=timedelta(seconds=row.reminder_seconds),
        strike_expiry=timedelta(seconds=row.strike_expiry_seconds),
        retention=timedelta(seconds=row.retention_seconds),
        escalation=_loaded(row.escalation),
        reports_held=row.reports_held,
    )


class SettingsStore:
    """Read on every message: kept per community (bot/core/per_community.py)."""

    def __init__(self, db: Database, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.db = db
        self._kept = PerCommunity(self._read, refresh_seconds)

    async def get(self, community: Community) -> Config:
        return await self._kept.get(community)

    async def _read(self, community: Community) -> Config:
        async with self.db.session() as session:
            return _config(await session.scalar(self._query(community)))

    @staticmethod
    def _query(community: Community) -> Any:
        return select(NetiquetteSettings).where(
            NetiquetteSettings.platform == community.platform,
            NetiquetteSettings.community_id == community.id,
        )

    async def update(self, community: Community, **changes: Any) -> Config:
        for attempt in range(2):
            try:
                async with self.db.session() as session:
                    row = await session.scalar(self._query(community))
                    config = replace(_config(row), **changes)
                    if row is None:
                        row = NetiquetteSettings(
                            platform=community.platform, community_id=community.id
                        )
                        session.add(row)
                    row.review_channel_id = config.review_channel_id
                    row.exempt_staff = config.exempt_staff
                    row.reminder_seconds = int(config.reminder.total_seconds())
                    row.strike_expiry_seconds = int(config.strike_expiry.total_seconds())
                    row.retention_seconds = int(config.retention.total_seconds())
                    row.escalation = _stored(config.escalation)
                    row.reports_held = config.reports_held
                break
            except IntegrityError:
                if attempt:  # another process created the row first: change it instead
                    raise
        self._kept.forget(community)
        return config

    def forget(self, community: Community) -> None:
        self._kept.forget(community)
