"""The console's own state: its clock, so a second run carries on where the first stopped."""

from __future__ import annotations

from sqlalchemy import Float, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.storage.base import Base


class ConsoleState(Base):
    __tablename__ = "console_state"
    __table_args__ = (UniqueConstraint("community_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[str] = mapped_column(String(64))
    clock_offset_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    next_message_number: Mapped[int] = mapped_column(Integer, default=1)
