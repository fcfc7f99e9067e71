"""Alembic, driven from code: `python -m bot migrate` and the bot's own start."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.schema import SchemaMismatch

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    # `%` would be read as interpolation by configparser.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["configure_logging"] = False
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Blocking: run it in a thread from async code (Alembic's async env owns a loop)."""
    command.upgrade(alembic_config(database_url), revision)


def new_revision(database_url: str, message: str) -> None:
    """Write a migration for what the models add to the database's newest schema."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)


def current_head() -> str | None:
    return _scripts().get_current_head()


def code_heads() -> frozenset[str]:
    """The heads this code's migrations end at, as Alembic reads the scripts."""
    return frozenset(_scripts().get_heads())


def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


MIGRATE_COMMAND = "python -m bot migrate"
__all__ = ["MIGRATE_COMMAND", "SchemaMismatch", "SchemaState", "schema_state", "upgrade"]


@dataclass(frozen=True)
class SchemaState:
    database: tuple[str, ...]  # the revisions the database is at; empty: never migrated
    code: tuple[str, ...]  # the heads this code's migrations end at

    @property
    def current(self) -> bool:
        return set(self.database) == set(self.code)

    @property
    def older(self) -> bool:
        """Behind the code on its own history: `python -m bot migrate` brings it up."""
        if self.current:
            return False
        if not self.database:
            return True
        scripts = _scripts()
        try:
            behind = {
                revision.revision
                for revision in scripts.iterate_revisions(self.code, "base")
                if revision is not None
            }
        except CommandError:
            return False
        return set(self.database) <= behind

    def problem(self) -> str:
        found = ",".join(sorted(self.database)) or "none (never migrated)"
        wanted = ",".join(sorted(self.code))
        if self.older:
            return (
                f"the database schema is older than this code (database: {found}; code: "
                f"{wanted}): run `{MIGRATE_COMMAND}` once, then start Ponte again"
            )
        return (
            f"the database schema is newer than this code or unknown to it (database: "
            f"{found}; code: {wanted}): run the Ponte version that migrated it, or upgrade "
            f"this one and run `{MIGRATE_COMMAND}`"
        )


async def schema_state(engine: AsyncEngine) -> SchemaState:
    async with engine.connect() as connection:
        database = await connection.run_sync(
            lambda sync: MigrationContext.configure(sync).get_current_heads()
        )
    return SchemaState(tuple(database), tuple(_scripts().get_heads()))
