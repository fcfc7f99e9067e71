"""Hot statements in one trip to SQLite's thread.

aiosqlite runs SQLite on a thread of its own, and SQLAlchemy's cursor over it makes three
or four trips there for every statement (open a cursor, execute, fetch, close), each a
wake-up of both threads: for a vote, whose work in SQLite itself is tiny, those trips were
most of its cost. A `Prepared` statement is compiled once, and on SQLite runs through
aiosqlite's own execute-and-fetch, one trip, on the session's connection and so inside its
transaction; each parameter and each returned column goes through its column type as
SQLAlchemy would, and a driver error is raised as SQLAlchemy's (IntegrityError,
OperationalError…), so callers handle one set of errors. Elsewhere (PostgreSQL) it runs
through the session as usual.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import TextClause
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.selectable import Select

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]
    defaults: Mapping[str, Any]
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]
    # Rows read by column name as SQLAlchemy's are (`row.id`).
    row: Callable[..., Any]


class Prepared:
    def __init__(
        self,
        statement: UpdateBase | Select[Any] | TextClause,
        *,
        keys: Sequence[str] | None = None,
    ) -> None:
        """`statement` with no expanding parameter; `keys`: the columns an INSERT is given.
        A text statement (an upsert compiled once) returns no rows here."""
        self.statement = statement
        # The columns it returns: a SELECT's, or an INSERT's, UPDATE's or DELETE's RETURNING.
        self._returned = (
            [] if isinstance(statement, TextClause) else list(statement.exported_columns)
        )
        self._keys = list(keys) if keys is not None else None
        self._compiled: _Compiled | None = None

    async def rows(self, session: AsyncSession, parameters: Mapping[str, Any]) -> list[Any]:
        """Run in `session`'s transaction; the rows it returns, as tuples (none for a
        statement that returns none)."""
        direct = self._direct(session)
        if direct is None:
            result = await session.execute(self.statement, dict(parameters))
            return list(result.tuples()) if self._returned else []
        values = _values(direct, parameters)
        fetched = await _on_driver(session, direct.sql, values, "execute_fetchall")
        if not direct.results:
            return list(fetched)
        return [
            direct.row(
                *(
                    value if process is None else process(value)
                    for value, process in zip(row, direct.results, strict=True)
                )
            )
            for row in fetched
        ]

    async def many(self, session: AsyncSession, batch: Sequence[Mapping[str, Any]]) -> None:
        """Run once for each parameters of `batch`, in `session`'s transaction: on SQLite
        all of them in one trip (and one more to close the cursor)."""
        if not batch:
            return
        direct = self._direct(session)
        if direct is None:
            await session.execute(self.statement, [dict(parameters) for parameters in batch])
            return
        values = [_values(direct, parameters) for parameters in batch]
        cursor = await _on_driver(session, direct.sql, values, "executemany")
        await cursor.close()

    def _direct(self, session: AsyncSession) -> _Compiled | None:
        """The statement compiled for `session`'s SQLite through aiosqlite; None elsewhere."""
        dialect = session.get_bind().dialect
        if dialect.name != "sqlite" or dialect.driver != "aiosqlite":
            return None
        return self._compiled or self.compile_for(dialect)

    def compile_for(self, dialect: Dialect) -> _Compiled:
        """Compile for `dialect` once; refused for a statement with an expanding parameter."""
        compiled = self.statement.compile(dialect=dialect, column_keys=self._keys)
        assert isinstance(compiled, SQLCompiler)
        names = tuple(compiled.positiontup or ())
        if any(compiled.binds[name].expanding for name in names):
            raise ValueError("a prepared statement takes no expanding parameter")
        returned = self._returned
        self._compiled = _Compiled(
            sql=compiled.string,
            names=names,
            defaults={name: compiled.binds[name].effective_value for name in names},
            binds=tuple(
                compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
                for name in names
            ),
            results=tuple(
                column.type.dialect_impl(dialect).result_processor(dialect, None)
                for column in returned
            ),
            row=namedtuple("Row", [str(column.key) for column in returned], rename=True),
        )
        return self._compiled


def _values(compiled: _Compiled, parameters: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(
        value if process is None else process(value)
        for name, process in zip(compiled.names, compiled.binds, strict=True)
        for value in (parameters[name] if name in parameters else compiled.defaults[name],)
    )


async def _on_driver(session: AsyncSession, sql: str, values: Any, method: str) -> Any:
    """aiosqlite's `method` on the connection under `session`'s own, its transaction begun;
    a driver error raised as SQLAlchemy's (IntegrityError, OperationalError…)."""
    connection = await (await session.connection()).get_raw_connection()
    driver = connection.driver_connection
    assert driver is not None
    dialect = session.get_bind().dialect
    try:
        return await getattr(driver, method)(sql, values)
    except dialect.loaded_dbapi.Error as error:
        raise DBAPIError.instance(
            sql, values, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error
