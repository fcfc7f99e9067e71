"""What the console does for moderation: hiding, reposting, timeouts, files, links."""

from __future__ import annotations

import asyncio
import mimetypes
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.adapters.console.posts import ConsolePosts
from bot.adapters.console.render import render
from bot.core.cards import Message
from bot.core.errors import ArgumentError
from bot.core.i18n import Translator
from bot.core.model import (
    MAX_ATTACHMENT_BYTES,
    Attachment,
    Channel,
    HoldOutcome,
    Member,
    MessageRef,
    Role,
)


class ConsoleModeration:
    """Mixed into ConsolePlatform: the moderation half of the Platform interface."""

    name: str
    translator: Translator
    language: str
    write: Callable[[str], None]
    posts: ConsolePosts
    files_dir: Path
    given_roles: dict[str, set[str]]

    def t(self, key: str, **params: object) -> str:
        return self.translator.gettext(self.language, key, **params)

    if TYPE_CHECKING:  # ConsolePlatform's own, which the moderation half calls

        async def next_message_id(self) -> str: ...

        async def ensure_channel(self, name: str) -> Channel: ...

        async def get_member(self, name: str) -> Member | None: ...

    async def hold(self, ref: MessageRef, notice: Message) -> HoldOutcome:
        post = await self.posts.find(ref.message_id)
        if post is None:
            return HoldOutcome.FAILED
        await self.posts.change(ref.message_id, deleted=True)
        self.write(
            f"[#{ref.channel_id}] "
            + self.t("console.held", id=ref.message_id, member=post.author_id)
        )
        return HoldOutcome.HIDDEN

    async def repost(
        self,
        community_id: str,
        channel_id: str,
        author: Member,
        text: str,
        *,
        attribution: str,
        thread_of: str | None = None,
    ) -> MessageRef:
        message_id = await self.next_message_id()
        await self.posts.remember(message_id, channel_id, author.id, text, thread_of)
        where = f"#{channel_id}" if not thread_of else f"#{channel_id} ↳ {thread_of}"
        marker = self.t("console.reposted", member=author.id, id=message_id)
        self.write(render(where, Message(text=text), marker=marker))
        return MessageRef(self.name, community_id, channel_id, message_id)

    async def timeout(
        self, community_id: str, member_id: str, until: datetime, reason: str
    ) -> bool:
        when = self.translator.datetime(self.language, until)
        self.write(f"[{self.t('console.timed_out', member=member_id, until=when)}]")
        return True

    async def message_link(self, ref: MessageRef) -> str | None:
        return f"#{ref.channel_id}/{ref.message_id}"

    async def role_channel(self, community_id: str, role: Role) -> Channel | None:
        if role is Role.MODERATOR:
            return await self.ensure_channel(self.t("console.moderator_channel"))
        if role is Role.STAFF:
            return await self.ensure_channel(self.t("console.staff_channel"))
        return None

    async def role_mention(self, community_id: str, role: Role) -> str | None:
        if role is Role.MEMBER:
            return None
        return f"@{self.t(f'roles.{role.value}')}"

    async def member_roles(self, community_id: str, member_id: str) -> frozenset[str] | None:
        member = await self.get_member(member_id)
        if member is None:
            return None
        given = self.given_roles.get(member.id, set())
        return frozenset({role.value for role in member.roles} | given)

    async def fetch_file(self, community_id: str, reference: str) -> Attachment | None:
        """On the console a file is a path on this computer, as the operator typed it."""
        return await asyncio.to_thread(_read_file, reference)

    def save_files(self, message: Message, message_id: str) -> list[str]:
        """Files sent with a message, and a card's picture (the digest's chart), are saved
        where the operator can open them."""
        saved = [
            ("📎", f"{message_id}-{number}-{Path(item.filename).name or 'file'}", item.data)
            for number, item in enumerate(message.files, start=1)
        ]
        image = message.card.image if message.card else None
        if image is not None:
            saved.append(
                ("🖼", f"{message_id}-{Path(image.filename).name or 'image.png'}", image.data)
            )
        lines: list[str] = []
        for icon, name, data in saved:
            self.files_dir.mkdir(parents=True, exist_ok=True)
            target = self.files_dir / name
            target.write_bytes(data)
            lines.append(f"  {icon} {self.t('console.file_saved', path=str(target))}")
        return lines


def _read_file(reference: str) -> Attachment | None:
    try:
        return _read_path(reference)
    except (OSError, ValueError):
        # A name too long, a NUL byte, a file one may not read: as good as no such file.
        return None


def _read_path(reference: str) -> Attachment | None:
    path = Path(reference).expanduser()
    if not reference or not path.is_file():
        return None
    if path.stat().st_size > MAX_ATTACHMENT_BYTES:
        raise ArgumentError(
            "errors.file_too_large", option="file", limit=MAX_ATTACHMENT_BYTES // 1024
        )
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Attachment(path.name, path.read_bytes(), content_type)
