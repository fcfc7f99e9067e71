"""The welcome settings of a community."""

from __future__ import annotations

from sqlalchemy import Boolean, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class WelcomeSettings(Base):
    __tablename__ = "welcome_settings"
    __table_args__ = (UniqueConstraint("platform", "community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(16))
    community_id: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    channel_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # None means the catalog's default text, in the community's language.
    greeting: Mapped[str | None] = mapped_column(Text, default=None)
    rules: Mapped[str | None] = mapped_column(Text, default=None)
    first_steps: Mapped[str | None] = mapped_column(Text, default=None)
    role: Mapped[str | None] = mapped_column(String(100), default=None)
    send_dm: Mapped[bool] = mapped_column(Boolean, default=True)
