"""The async engine and its sessions; SQLite gets WAL and foreign keys on connect."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import ConnectionPoolEntry

from bot.storage.turns import WriterTurns

# A server that does not answer must cost a member a second or two, not the driver's
# minute: a connection waits this long to open, a checkout this long for a free one.
CONNECT_TIMEOUT = 2.0
POOL_TIMEOUT = 3.0
# PostgreSQL: connections a process keeps, and how many more it may open under a burst.
# Two processes take at most 60 of the server's default 100.
POOL_SIZE = 10
POOL_OVERFLOW = 20
# No statement of ours runs for long; one that does is stuck on a dead link.
COMMAND_TIMEOUT = 15.0
# SQLite: how long a writer waits for another one before "database is locked".
SQLITE_BUSY_SECONDS = 5.0


def unavailable(error: BaseException) -> bool:
    """True when `error` means the database did not answer (gone, refused, timed out,
    locked), so the same work can succeed later; False for a bug or a broken rule."""
    if isinstance(error, OperationalError | InterfaceError | DisconnectionError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def busy(error: BaseException) -> bool:
    """True when the database answers but is busy: SQLite's write lock held past the busy
    timeout, or every pooled connection in use past the pool's timeout. Under a burst that
    passes in a moment; it is not an outage."""
    if isinstance(error, PoolTimeout):
        return True
    if isinstance(error, OperationalError):
        reason = str(error.orig).lower()
        return "database is locked" in reason or "database table is locked" in reason
    return False


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # With WAL, NORMAL loses no committed data on a crash of the process, only on power loss
    # of the machine, and it spares an fsync per transaction.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Several processes (or a CLI next to the bot) may write: wait instead of failing.
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
    cursor.close()


def _asyncpg_connect(url: str) -> Callable[[], Awaitable[Any]]:
    """asyncpg's connect with timeouts, where a refused or silent server raises the
    driver's OperationalError: SQLAlchemy wraps only driver errors, not a bare OSError."""
    import asyncpg  # type: ignore[import-untyped]

    parsed = make_url(url)
    dialect = parsed.get_dialect()()
    args, params = dialect.create_connect_args(parsed)
    for adapter_only in ("prepared_statement_cache_size", "prepared_statement_name_func"):
        params.pop(adapter_only, None)
    failure = dialect.import_dbapi().OperationalError

    async def connect() -> Any:
        try:
            return await asyncpg.connect(
                *args, timeout=CONNECT_TIMEOUT, command_timeout=COMMAND_TIMEOUT, **params
            )
        except OSError as error:  # TimeoutError is one
            raise failure(f"cannot reach the database: {error!r}") from error

    return connect


class Database:
    def __init__(self, url: str, *, echo: bool = False, take_turns: bool = True) -> None:
        """`take_turns=False` leaves SQLite's writers to its busy handler alone: the
        baseline benchmarks/writers.py measures turns against."""
        self.url = url
        options: dict[str, Any] = {"echo": echo}
        if not url.startswith("sqlite"):
            options["pool_pre_ping"] = True
            options["pool_timeout"] = POOL_TIMEOUT
            options["pool_size"] = POOL_SIZE
            options["max_overflow"] = POOL_OVERFLOW
        if url.startswith("postgresql+asyncpg"):
            options["async_creator"] = _asyncpg_connect(url)
        self.engine: AsyncEngine = create_async_engine(url, **options)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time: this process's writers take turns (turns.py).
        self._turns = (
            WriterTurns(self.engine, wait=SQLITE_BUSY_SECONDS)
            if self.engine.dialect.name == "sqlite" and take_turns
            else None
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on success, rolled back on error."""
        async with self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[AsyncSession]:
        """A session for a short transaction whose first statement writes (a vote): on
        SQLite its turn among this process's writers is taken before that statement, which
        may then go to the driver directly (prepared.py), past SQLAlchemy's hooks."""
        async with self.session() as session:
            if self._turns is not None:
                connection = await (await session.connection()).get_raw_connection()
                assert connection.record_info is not None
                await self._turns.take(connection.record_info)
            yield session

    async def dispose(self) -> None:
        await self.engine.dispose()
