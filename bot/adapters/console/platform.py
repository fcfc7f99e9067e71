"""The console as a platform: its members, channels and messages live in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.adapters.console.moderation import ConsoleModeration
from bot.adapters.console.posts import ConsolePosts
from bot.adapters.console.render import render
from bot.core.cards import Form, Message
from bot.core.clock import AdjustableClock
from bot.core.i18n import Translator
from bot.core.model import Channel, Community, Member, MessageRef, Role
from bot.core.platform import EventSink, Interaction, Platform
from bot.core.serialize import message_from_json, message_to_json
from bot.storage.database import Database
from bot.storage.models import ConsoleState, KnownChannel, KnownMember, SentMessage

PLATFORM = "console"
COMMUNITY_ID = "console"
BOT_NAME = "Ponte"
# `click` looks at the newest messages first, a page at a time, up to this many pages.
SEARCH_PAGE = 25
SEARCH_PAGES = 40


class ConsolePlatform(ConsoleModeration, Platform):
    name = PLATFORM

    def __init__(
        self,
        db: Database,
        clock: AdjustableClock,
        translator: Translator,
        write: Callable[[str], None],
        language: str,
        community_name: str = BOT_NAME,
        files_dir: Path = Path("ponte-files"),
    ) -> None:
        self.db = db
        self.clock = clock
        self.translator = translator
        self.write = write
        self.language = language
        self.community = Community(PLATFORM, COMMUNITY_ID, community_name)
        self.sink: EventSink | None = None
        # The form each member was last shown: forms are answered at once or not at all.
        self.open_forms: dict[str, Form] = {}
        self.posts = ConsolePosts(db, COMMUNITY_ID)
        self.files_dir = files_dir
        # Platform roles given by name (the welcome's starting role), for `member_roles`.
        self.given_roles: dict[str, set[str]] = {}

    @property
    def default_channel_name(self) -> str:
        return self.t("console.default_channel")

    # -- lifecycle ---------------------------------------------------------------

    async def start(self, sink: EventSink) -> None:
        self.sink = sink
        async with self.db.session() as session:
            state = await self._state(session)
            self.clock.offset = timedelta(seconds=state.clock_offset_seconds)
        await self.ensure_channel(self.default_channel_name)

    async def stop(self) -> None:
        self.sink = None

    async def save_clock(self) -> None:
        async with self.db.session() as session:
            state = await self._state(session)
            state.clock_offset_seconds = self.clock.offset.total_seconds()

    async def _state(self, session: AsyncSession) -> ConsoleState:
        state = await session.scalar(
            select(ConsoleState).where(ConsoleState.community_id == COMMUNITY_ID)
        )
        if state is None:
            state = ConsoleState(
                community_id=COMMUNITY_ID, clock_offset_seconds=0.0, next_message_number=1
            )
            session.add(state)
            await session.flush()
        return state

    async def next_message_id(self) -> str:
        async with self.db.session() as session:
            state = await self._state(session)
            number = state.next_message_number
            state.next_message_number = number + 1
        return str(number)

    # -- members and channels ----------------------------------------------------

    async def ensure_channel(self, name: str) -> Channel:
        channel_id = name.lower().lstrip("#")
        async with self.db.session() as session:
            row = await session.scalar(
                select(KnownChannel.id).where(
                    KnownChannel.platform == PLATFORM,
                    KnownChannel.community_id == COMMUNITY_ID,
                    KnownChannel.channel_id == channel_id,
                )
            )
        if row is None:
            # A transaction that only writes: SQLite waits for its lock, and a channel made
            # at the same moment by another message is the one wanted.
            try:
                async with self.db.writing() as session:
                    session.add(
                        KnownChannel(
                            platform=PLATFORM,
                            community_id=COMMUNITY_ID,
                            channel_id=channel_id,
                            name=channel_id,
                        )
                    )
            except IntegrityError:
                pass
        return Channel(PLATFORM, COMMUNITY_ID, channel_id, channel_id)

    async def add_member(self, name: str, roles: frozenset[Role]) -> Member:
        async with self.db.session() as session:
            row = await self._member_row(session, name)
            text = ",".join(sorted(role.value for role in roles))
            if row is None:
                session.add(
                    KnownMember(
                        platform=PLATFORM,
                        community_id=COMMUNITY_ID,
                        member_id=name,
                        name=name,
                        roles=text,
                        joined_at=self.clock.now(),
                    )
                )
            else:
                row.roles = text
                row.left_at = None
        return self._member(name, text)

    async def _member_row(self, session: AsyncSession, member_id: str) -> KnownMember | None:
        row: KnownMember | None = await session.scalar(
            select(KnownMember).where(
                KnownMember.platform == PLATFORM,
                KnownMember.community_id == COMMUNITY_ID,
                KnownMember.member_id == member_id.lower().lstrip("@"),
            )
        )
        return row

    async def remove_member(self, name: str) -> None:
        async with self.db.session() as session:
            row = await self._member_row(session, name)
            if row is not None:
                row.left_at = self.clock.now()

    def _member(self, name: str, roles: str) -> Member:
        return Member(
            PLATFORM,
            COMMUNITY_ID,
            name,
            name,
            name,
            frozenset(Role(role) for role in roles.split(",") if role),
        )

    def former_member(self, name: str) -> Member:
        """Someone who wrote a message and has left since: still named, with no roles."""
        return self._member(name, "member")

    async def get_member(self, name: str) -> Member | None:
        async with self.db.session() as session:
            row = await self._member_row(session, name)
            if row is None or row.left_at is not None:
                return None
            return self._member(row.member_id, row.roles)

    # -- Platform ------------------------------------------------------------------

    async def send(
        self, community_id: str, channel_id: str, message: Message, *, thread_of: str | None = None
    ) -> MessageRef:
        message_id = await self.next_message_id()
        where = f"#{channel_id}" if not thread_of else f"#{channel_id} ↳ {thread_of}"
        self._write_with_files(render(where, message), message, message_id)
        return MessageRef(PLATFORM, community_id, channel_id, message_id)

    def _write_with_files(self, text: str, message: Message, message_id: str) -> None:
        self.write("\n".join([text, *self.save_files(message, message_id)]))

    async def send_dm(
        self, community_id: str, member_id: str, message: Message
    ) -> MessageRef | None:
        message_id = await self.next_message_id()
        self._write_with_files(render(f"DM @{member_id}", message), message, message_id)
        return MessageRef(PLATFORM, community_id, f"dm-{member_id}", message_id)

    async def send_ephemeral(
        self, community_id: str, channel_id: str, member_id: str, message: Message
    ) -> None:
        where = f"{self.t('console.ephemeral')} @{member_id}"
        message_id = "ephemeral"
        if message.card is not None and message.card.buttons:
            # Its buttons are pressed like any other's: `@x click …` finds them, for x alone.
            message_id = await self.next_message_id()
            async with self.db.session() as session:
                session.add(
                    SentMessage(
                        platform=PLATFORM,
                        community_id=community_id,
                        channel_id=channel_id,
                        message_id=message_id,
                        recipient_id=member_id,
                        visibility="ephemeral",
                        content=message_to_json(message),
                        text=message.fallback_text,
                        created_at=self.clock.now(),
                    )
                )
        self._write_with_files(render(where, message), message, message_id)

    async def edit(self, ref: MessageRef, message: Message) -> None:
        where = (
            f"#{ref.channel_id}"
            if not ref.channel_id.startswith("dm-")
            else f"DM @{ref.channel_id[3:]}"
        )
        self.write(render(where, message, marker=self.t("console.edited", id=ref.message_id)))

    async def delete(self, ref: MessageRef) -> None:
        self.write(f"[#{ref.channel_id}] {self.t('console.deleted', id=ref.message_id)}")

    async def add_role(self, community_id: str, member_id: str, role: str) -> bool:
        self.given_roles.setdefault(member_id, set()).add(role.casefold())
        self.write(f"[{self.t('console.role_given', member=member_id, role=role)}]")
        return True

    async def default_channel(self, community_id: str) -> Channel | None:
        return await self.ensure_channel(self.default_channel_name)

    async def member_count(self, community_id: str) -> int | None:
        async with self.db.session() as session:
            count = await session.scalar(
                select(func.count())
                .select_from(KnownMember)
                .where(
                    KnownMember.platform == PLATFORM,
                    KnownMember.community_id == community_id,
                    KnownMember.left_at.is_(None),
                )
            )
        return int(count or 0)

    async def resolve_member(self, community_id: str, reference: str) -> Member | None:
        return await self.get_member(reference.strip().lstrip("@"))

    async def resolve_channel(self, community_id: str, reference: str) -> Channel | None:
        name = reference.strip().lstrip("#").lower()
        if not name or not all(char.isalnum() or char in "-_" for char in name):
            return None
        return await self.ensure_channel(name)

    # -- buttons -------------------------------------------------------------------

    async def find_button(self, member_id: str, label: str) -> tuple[MessageRef, str] | None:
        """The newest message this member can see with a button labelled `label`."""
        wanted = label.strip().casefold()
        before: int | None = None
        for _ in range(SEARCH_PAGES):
            query = (
                select(SentMessage)
                .where(SentMessage.platform == PLATFORM, SentMessage.community_id == COMMUNITY_ID)
                .order_by(SentMessage.id.desc())
                .limit(SEARCH_PAGE)
            )
            if before is not None:
                query = query.where(SentMessage.id < before)
            async with self.db.session() as session:
                rows = (await session.scalars(query)).all()
            for row in rows:
                if row.recipient_id not in (None, member_id):
                    continue
                for button in message_from_json(row.content).buttons:
                    if button.label.casefold() == wanted:
                        ref = MessageRef(PLATFORM, row.community_id, row.channel_id, row.message_id)
                        return ref, button.custom_id
            if len(rows) < SEARCH_PAGE:
                return None
            before = rows[-1].id
        return None


class ConsoleInteraction(Interaction):
    def __init__(
        self,
        platform: ConsolePlatform,
        channel: Channel,
        member: Member,
        message: MessageRef | None = None,
    ) -> None:
        self.platform = platform
        self.channel = channel
        self.member = member
        self.message = message

    async def reply(self, message: Message, *, ephemeral: bool = False) -> MessageRef | None:
        if ephemeral:
            await self.platform.send_ephemeral(
                COMMUNITY_ID, self.channel.id, self.member.id, message
            )
            return None
        return await self.platform.send(COMMUNITY_ID, self.channel.id, message)

    async def update(self, message: Message) -> None:
        if self.message is not None:
            await self.platform.edit(self.message, message)

    async def open_form(self, form: Form) -> None:
        self.platform.open_forms[self.member.id] = form
        fields = " ".join(f'{item.name}:"…"' for item in form.fields)
        lines = [
            self.platform.t("console.form", title=form.title, member=self.member.id, fields=fields)
        ]
        lines.extend(
            f"  {item.name}: {item.label}"
            + (f" ({item.placeholder.replace(chr(10), ' / ')})" if item.placeholder else "")
            for item in form.fields
        )
        self.platform.write(
            f"[{self.platform.t('console.ephemeral')} @{self.member.id}] " + "\n".join(lines)
        )
