"""Upserts compiled once.

SQLAlchemy 2.0 never caches the compiled form of SQLite's and PostgreSQL's own INSERT
(the constructs that carry ON CONFLICT set `inherit_cache = False`), so an upsert built
once at start is still compiled again on every execution: about 0.3 ms each, and the
message path runs several per message. Here such a statement is compiled once for its
dialect, for the parameters it will be given, into a text statement SQLAlchemy does
cache; every bound value keeps its column's type, so dates and times are stored exactly
as the ORM would store them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Insert, TextClause, bindparam, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Dialect


def dialect_insert(dialect: str, table: Any) -> Any:
    """The INSERT of `dialect` (SQLite's or PostgreSQL's), the one that has ON CONFLICT."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def _dialect(name: str) -> Dialect:
    if name == "postgresql":
        return postgresql.dialect(paramstyle="named")  # type: ignore[no-untyped-call]
    return sqlite.dialect(paramstyle="named")


def compiled_once(statement: Insert, dialect: str, params: Iterable[str]) -> TextClause:
    """`statement` as it runs with exactly the parameters `params`, compiled now."""
    given = list(params)
    # Inline: no RETURNING of the new row's key, which nothing here reads.
    compiled = statement.inline().compile(dialect=_dialect(dialect), column_keys=given)
    binds = [
        bindparam(name, type_=bind.type)
        if name in given
        else bindparam(name, value=bind.effective_value, type_=bind.type)
        for bind, name in compiled.bind_names.items()
    ]
    return text(compiled.string).bindparams(*binds)
