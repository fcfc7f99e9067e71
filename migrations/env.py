"""Alembic's async environment: one history for the core's and every cog's tables."""

from __future__ import annotations

import asyncio
import logging.config
from pathlib import Path

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_engine_from_config

from bot.core.loader import import_cog_models
from bot.storage import models as _core_models  # noqa: F401 - registers the core tables
from bot.storage.base import Base

config = context.config
if (
    config.config_file_name is not None
    and Path(config.config_file_name).is_file()
    and config.attributes.get("configure_logging", True)
):
    logging.config.fileConfig(config.config_file_name)

import_cog_models()
target_metadata = Base.metadata

if not config.get_main_option("sqlalchemy.url"):
    # The `alembic` command run by hand: the same database the bot would use.
    from bot.config import Settings

    config.set_main_option("sqlalchemy.url", Settings().database_url.replace("%", "%%"))


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def do_run_migrations(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


async def run_async_migrations() -> None:
    connectable = async_engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    async with connectable.connect() as connection:
        await connection.run_sync(do_run_migrations)
    await connectable.dispose()


def run_migrations_online() -> None:
    asyncio.run(run_async_migrations())


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
