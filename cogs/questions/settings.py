"""A community's settings for recurring questions, and each channel's own rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.model import Community
from bot.core.per_community import REFRESH_SECONDS, PerCommunity
from bot.storage.database import Database
from cogs.questions.models import QuestionChannel, QuestionSettings


@dataclass(frozen=True, slots=True)
class QuestionsConfig:
    min_askers: int = 3
    window_days: int = 14
    staff_channel_id: str | None = None
    not_helpful_limit: int = 3
    unanswered_after: timedelta = timedelta(hours=24)
    watched: frozenset[str] = frozenset()
    ignored: frozenset[str] = frozenset()
    faq_off: frozenset[str] = frozenset()
    channels: Mapping[str, tuple[bool | None, bool]] = field(default_factory=dict)

    def watches(self, channel_id: str) -> bool:
        if channel_id in self.ignored:
            return False
        return not self.watched or channel_id in self.watched

    def faq_answers_in(self, channel_id: str) -> bool:
        return channel_id not in self.faq_off

    @property
    def window(self) -> timedelta:
        return timedelta(days=self.window_days)


SETTING_COLUMNS = (
    "min_askers",
    "window_days",
    "staff_channel_id",
    "not_helpful_limit",
    "unanswered_after_seconds",
)


class SettingsService:
    def __init__(self, db: Database, refresh_seconds: float = REFRESH_SECONDS) -> None:
        self.db = db
        # Read on every question: kept per community (bot/core/per_community.py).
        self._kept = PerCommunity(self._read, refresh_seconds)

    async def get(self, community: Community) -> QuestionsConfig:
        return await self._kept.get(community)

    async def _read(self, community: Community) -> QuestionsConfig:
        async with self.db.session() as session:
            row = await self._row(session, community, create=False)
            channels = (
                await session.scalars(
                    select(QuestionChannel).where(
                        QuestionChannel.platform == community.platform,
                        QuestionChannel.community_id == community.id,
                    )
                )
            ).all()
        config = QuestionsConfig(
            watched=frozenset(row.channel_id for row in channels if row.watch is True),
            ignored=frozenset(row.channel_id for row in channels if row.watch is False),
            faq_off=frozenset(row.channel_id for row in channels if not row.faq),
            channels={row.channel_id: (row.watch, row.faq) for row in channels},
        )
        if row is not None:
            config = QuestionsConfig(
                min_askers=row.min_askers,
                window_days=row.window_days,
                staff_channel_id=row.staff_channel_id,
                not_helpful_limit=row.not_helpful_limit,
                unanswered_after=timedelta(seconds=row.unanswered_after_seconds),
                watched=config.watched,
                ignored=config.ignored,
                faq_off=config.faq_off,
                channels=config.channels,
            )
        return config

    @staticmethod
    async def _row(
        session: AsyncSession, community: Community, *, create: bool
    ) -> QuestionSettings | None:
        row = await session.scalar(
            select(QuestionSettings).where(
                QuestionSettings.platform == community.platform,
                QuestionSettings.community_id == community.id,
            )
        )
        if row is None and create:
            row = QuestionSettings(
                platform=community.platform,
                community_id=community.id,
                min_askers=3,
                window_days=14,
                not_helpful_limit=3,
                unanswered_after_seconds=24 * 3600,
            )
            session.add(row)
            await session.flush()
        return row

    async def update(
        self,
        community: Community,
        changes: Mapping[str, object],
        channel_id: str | None = None,
        channel_changes: Mapping[str, bool | None] | None = None,
    ) -> QuestionsConfig:
        """Apply `changes` (columns of SETTING_COLUMNS) and one channel's `channel_changes`
        ("watch": True, False or None for the default; "faq": True or False)."""
        for attempt in range(2):
            try:
                async with self.db.session() as session:
                    if changes:
                        row = await self._row(session, community, create=True)
                        assert row is not None
                        for name, value in changes.items():
                            if name not in SETTING_COLUMNS:
                                raise KeyError(name)
                            setattr(row, name, value)
                    if channel_id is not None and channel_changes:
                        await self._channel_rule(session, community, channel_id, channel_changes)
                break
            except IntegrityError:
                # Two first settings at once: the other created the row; apply ours to it.
                if attempt:
                    raise
        self._kept.forget(community)
        return await self.get(community)

    @staticmethod
    async def _channel_rule(
        session: AsyncSession,
        community: Community,
        channel_id: str,
        channel_changes: Mapping[str, bool | None],
    ) -> None:
        row = await session.scalar(
            select(QuestionChannel).where(
                QuestionChannel.platform == community.platform,
                QuestionChannel.community_id == community.id,
                QuestionChannel.channel_id == channel_id,
            )
        )
        if row is None:
            row = QuestionChannel(
                platform=community.platform,
                community_id=community.id,
                channel_id=channel_id,
                watch=None,
                faq=True,
            )
            session.add(row)
        if "watch" in channel_changes:
            row.watch = channel_changes["watch"]
        if channel_changes.get("faq") is not None:
            row.faq = bool(channel_changes["faq"])
