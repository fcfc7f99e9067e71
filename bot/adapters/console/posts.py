"""The console's record of what its members wrote, so lines can point at a message."""

from __future__ import annotations

from sqlalchemy import select

from bot.storage.database import Database
from bot.storage.models import ConsolePost


class ConsolePosts:
    def __init__(self, db: Database, community_id: str) -> None:
        self.db = db
        self.community_id = community_id

    async def remember(
        self,
        message_id: str,
        channel_id: str,
        author_id: str,
        text: str,
        thread_of: str | None = None,
    ) -> None:
        async with self.db.session() as session:
            session.add(
                ConsolePost(
                    community_id=self.community_id,
                    message_id=message_id,
                    channel_id=channel_id,
                    author_id=author_id,
                    text=text,
                    thread_of=thread_of,
                )
            )

    async def find(self, reference: str) -> ConsolePost | None:
        """A message by its number (`12`), or the newest one by a member (`@alice`)."""
        query = select(ConsolePost).where(
            ConsolePost.community_id == self.community_id, ConsolePost.deleted.is_(False)
        )
        if reference.startswith("@"):
            query = query.where(ConsolePost.author_id == reference[1:].lower())
        else:
            query = query.where(ConsolePost.message_id == reference)
        async with self.db.session() as session:
            row: ConsolePost | None = await session.scalar(
                query.order_by(ConsolePost.id.desc()).limit(1)
            )
        return row

    async def change(
        self, message_id: str, *, text: str | None = None, deleted: bool = False
    ) -> None:
        async with self.db.session() as session:
            row = await session.scalar(
                select(ConsolePost).where(
                    ConsolePost.community_id == self.community_id,
                    ConsolePost.message_id == message_id,
                )
            )
            if row is None:
                return
            if text is not None:
                row.text = text
            if deleted:
                row.deleted = True
