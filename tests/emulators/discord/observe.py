"""What tests observe and control: recorded calls, messages, dispatches, waits, drops."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Callable
from typing import Any, TypeVar

from .commands import CommandStore
from .gateway import Dispatch, Gateway
from .interactions import InteractionRecord
from .responses import Interactions
from .rest import RateLimitRule, RecordedCall, RestApi
from .state import ChannelMessages, EmulatorState

JSON = dict[str, Any]
T = TypeVar("T")
ChannelRef = str | int


class Observation:
    """The inspection / waiting / fault-injection half of :class:`DiscordEmulator`."""

    def __init__(
        self,
        state: EmulatorState,
        commands: CommandStore,
        gateway: Gateway,
        interactions: Interactions,
        rest: RestApi,
    ) -> None:
        self._state = state
        self._commands = commands
        self._gateway = gateway
        self._interactions = interactions
        self._rest = rest
        self._changed = asyncio.Event()
        state.on_change = self._notify

    @property
    def bot_user_id(self) -> str:
        return self._state.bot_user_id

    async def wait_for_callback(
        self,
        interaction: InteractionRecord,
        timeout: float = 5,  # noqa: ASYNC109
    ) -> JSON:
        """The body the bot POSTed to the interaction callback (``{"type": N, "data": ...}``)."""
        try:
            await asyncio.wait_for(interaction.answered.wait(), timeout)
        except TimeoutError:
            raise TimeoutError(
                f"the bot did not answer interaction {interaction.id} "
                f"({interaction.name or interaction.custom_id}) within {timeout}s; "
                f"recent calls: {self._recent_calls()}"
            ) from None
        assert interaction.callback is not None
        return interaction.callback

    @property
    def interactions(self) -> dict[str, InteractionRecord]:
        return self._interactions.records

    def registered_commands(self, guild_id: str | int | None = None) -> list[JSON]:
        """Commands the bot registered globally (``None``) or for ``guild_id``."""
        return self._commands.get_all(None if guild_id is None else str(guild_id))

    # ------------------------------------------------------------------ observation

    @property
    def calls(self) -> list[RecordedCall]:
        return self._rest.calls

    @property
    def messages(self) -> ChannelMessages:
        """``messages[channel_id]``: current messages (edits applied) in creation order,
        ephemeral ones included (``flags & 64``)."""
        return self._state.messages

    @property
    def deleted_messages(self) -> list[JSON]:
        return self._state.deleted_messages

    def get_message(self, message_id: str | int) -> JSON:
        return self._state.message(message_id)

    def dm_channel_id(self, user_id: str | int) -> str:
        return self._state.dm_channel(self._state.user(user_id).id).id

    def dm_messages_for(self, user_id: str | int) -> list[JSON]:
        """Messages in the bot's DM channel with ``user_id`` (both directions)."""
        channel = self._state.dm_channels.get(str(user_id))
        return [] if channel is None else list(self._state.messages[channel.id])

    @property
    def downloads(self) -> list[str]:
        """The attachment ids the CDN served, in order."""
        return list(self._state.downloads)

    def file_bytes(self, attachment_id: str) -> bytes:
        return self._state.files[attachment_id].data

    @property
    def dispatch_log(self) -> list[Dispatch]:
        """Every dispatch sequenced for a session: ``(seq, event, payload)``; a dispatch
        queued while disconnected appears once (its replay is in :attr:`replayed_seqs`)."""
        return self._gateway.dispatch_log

    def dispatches_by_shard(self) -> dict[tuple[int, int], list[Dispatch]]:
        """What the gateway sent each shard, by ``(shard_id, shard_count)`` as it identified
        (every session of that shard, oldest first)."""
        sent: dict[tuple[int, int], list[Dispatch]] = {}
        for session in self._gateway.sessions.values():
            sent.setdefault(session.shard, []).extend(session.buffer)
        return sent

    @property
    def replayed_seqs(self) -> list[int]:
        return self._gateway.replayed

    @property
    def gateway_received(self) -> list[JSON]:
        """Every gateway payload the client sent (``{"op": ..., "d": ...}``)."""
        return self._gateway.received

    @property
    def presence(self) -> JSON | None:
        """The last op 3 PRESENCE_UPDATE ``d`` the client sent."""
        return self._state.presence

    @property
    def identify_count(self) -> int:
        return self._gateway.identify_count

    @property
    def resume_count(self) -> int:
        return self._gateway.resume_count

    @property
    def gateway_connection_count(self) -> int:
        return len(self._gateway.connections)

    def rate_limit_next(
        self,
        method: str,
        path_regex: str,
        count: int = 1,
        retry_after: float = 0.05,
        *,
        is_global: bool = False,
    ) -> None:
        """Answer the next ``count`` matching requests with 429 (path: ``re.fullmatch`` on the
        path after ``/api/v10``, e.g. ``r"/channels/\\d+/messages"``; method ``"*"`` = any)."""
        self._rest.rate_limits.append(
            RateLimitRule(method.upper(), re.compile(path_regex), count, retry_after, is_global)
        )

    def mark(self) -> int:
        """The current length of :attr:`calls`, to pass as ``start=`` to :meth:`wait_for_call`."""
        return len(self.calls)

    def calls_matching(
        self,
        method: str,
        path_regex: str,
        predicate: Callable[[RecordedCall], bool] | None = None,
        *,
        start: int = 0,
    ) -> list[RecordedCall]:
        """Recorded calls (from index ``start``) with ``method`` (``"*"``: any) whose path
        ``re.fullmatch``-es ``path_regex`` and that satisfy ``predicate``."""
        pattern = re.compile(path_regex)
        return [
            c
            for c in self.calls[start:]
            if (method == "*" or c.method == method.upper())
            and pattern.fullmatch(c.path)
            and (predicate is None or predicate(c))
        ]

    async def wait_for_call(
        self,
        method: str,
        path_regex: str,
        predicate: Callable[[RecordedCall], bool] | None = None,
        timeout: float = 5,  # noqa: ASYNC109
        *,
        start: int = 0,
    ) -> RecordedCall:
        """The first recorded call (from index ``start`` of :attr:`calls`) matching, waiting
        for it if needed.  ``path_regex`` is ``re.fullmatch``-ed against
        :attr:`RecordedCall.path`."""

        def found() -> RecordedCall | None:
            matching = self.calls_matching(method, path_regex, predicate, start=start)
            return matching[0] if matching else None

        return await self.wait_until(found, timeout, what=f"a {method} {path_regex} call")

    async def wait_for_message(
        self,
        channel_id: ChannelRef | None = None,
        predicate: Callable[[JSON], bool] | None = None,
        timeout: float = 5,  # noqa: ASYNC109
        *,
        author_id: str | int | None = None,
    ) -> JSON:
        """The first stored message (in ``channel_id``, by ``author_id``) matching ``predicate``."""
        channel = None if channel_id is None else self._state.resolve_channel(channel_id).id

        def found() -> JSON | None:
            pools = [self.messages[channel]] if channel else list(self.messages.values())
            for pool in pools:
                for msg in pool:
                    if author_id is not None and msg["author"]["id"] != str(author_id):
                        continue
                    if predicate is None or predicate(msg):
                        return msg
            return None

        return await self.wait_until(found, timeout, what=f"a message in {channel_id}")

    async def wait_for_dm(
        self,
        user_id: str | int,
        predicate: Callable[[JSON], bool] | None = None,
        timeout: float = 5,  # noqa: ASYNC109
    ) -> JSON:
        """The first message the bot sent to ``user_id`` in DMs matching ``predicate``."""

        def found() -> JSON | None:
            for msg in self.dm_messages_for(user_id):
                if msg["author"]["id"] == self.bot_user_id and (
                    predicate is None or predicate(msg)
                ):
                    return msg
            return None

        return await self.wait_until(found, timeout, what=f"a DM to {user_id}")

    # ------------------------------------------------------------------ gateway control

    async def wait_ready(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Until a client identified and its READY/GUILD_CREATEs went out."""

        def ready() -> bool:
            return any(s.delivered_initial for s in self._gateway.live_sessions())

        await self.wait_until(ready, timeout, what="a client to IDENTIFY and receive GUILD_CREATE")

    async def wait_connected(self, timeout: float = 10) -> None:  # noqa: ASYNC109
        """Until a session is connected again (after a drop: resumed or re-identified)."""

        def connected() -> bool:
            return any(
                s.delivered_initial and s.sent >= s.seq for s in self._gateway.live_sessions()
            )

        await self.wait_until(connected, timeout, what="a live gateway session")

    async def drop_gateway(self, resumable: bool = True, code: int | None = 4000) -> None:
        """Close the client's websocket (``code=None``: drop the TCP connection abruptly).

        ``resumable=True``: events dispatched meanwhile are replayed on RESUME, then RESUMED.
        ``resumable=False``: the RESUME is refused with op 9 and the client must IDENTIFY again.
        """
        await self._gateway.drop(resumable=resumable, code=code)

    async def send_reconnect(self) -> None:
        """Gateway op 7 RECONNECT (the client should reconnect and RESUME)."""
        await self._gateway.send_reconnect()

    async def invalidate_session(self, resumable: bool = False) -> None:
        """Gateway op 9 INVALID_SESSION."""
        await self._gateway.invalidate(resumable=resumable)

    async def dispatch(self, event: str, payload: JSON, guild_id: str | None = None) -> None:
        """Send any raw dispatch (for events the emulator has no helper for)."""
        self._state.emit(event, payload, guild_id)
        await self._settle()

    # ------------------------------------------------------------------ waiting

    def _notify(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    async def _settle(self) -> None:
        await asyncio.sleep(0)

    async def wait_until(
        self,
        condition: Callable[[], T | None],
        timeout: float = 5,  # noqa: ASYNC109
        *,
        what: str = "condition",
    ) -> T:
        """Poll ``condition`` on every state change until it returns something truthy."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = condition()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"timed out after {timeout}s waiting for {what}; "
                    f"recent calls: {self._recent_calls()}"
                )
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), min(remaining, 0.05))

    def _recent_calls(self) -> list[str]:
        return [f"{c.method} {c.path} -> {c.status}" for c in self.calls[-8:]]
