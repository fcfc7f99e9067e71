"""The composition root: builds settings, database, clock, scheduler, translator and
adapters once, and hands each cog what it needs."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings
from bot.core.clock import Clock, SystemClock
from bot.core.communities import Communities
from bot.core.dispatcher import Dispatcher
from bot.core.i18n import Translator
from bot.core.loader import LoadReport, cog_catalog_dirs, load_cogs
from bot.core.outbox import Outbox
from bot.core.platform import Platform
from bot.core.platforms import Platforms
from bot.core.rearm import Rearm
from bot.core.scheduler import Scheduler
from bot.core.services import Services
from bot.logs import protect_settings
from bot.storage.counters import CounterBuffer
from bot.storage.database import Database
from bot.storage.schema import SchemaMismatch, is_current

if TYPE_CHECKING:
    from aiohttp import web

log = logging.getLogger(__name__)
CORE_CATALOGS = Path(__file__).resolve().parent / "locale"


def build_translator(default_language: str) -> Translator:
    return Translator([CORE_CATALOGS, *cog_catalog_dirs()], default_language)


@dataclass
class App:
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    platforms: Platforms = field(default_factory=Platforms)
    # None: as AUTO_MIGRATE says. Not migrating, a process checks the schema instead.
    migrate: bool | None = None
    # None: serve the web dashboard when DASHBOARD_PORT or DASHBOARD_URL is set.
    dashboard: bool | None = None

    def __post_init__(self) -> None:
        # Before anything can log: a library's debug line must not carry a token either.
        protect_settings(self.settings)
        self.db = Database(self.settings.database_url)
        self.scheduler = Scheduler(self.clock)
        self.translator = build_translator(self.settings.default_language)
        self.services = Services(
            settings=self.settings,
            db=self.db,
            clock=self.clock,
            scheduler=self.scheduler,
            translator=self.translator,
            platforms=self.platforms,
            communities=Communities(
                self.db, self.clock, self.settings.default_language, self.settings.timezone
            ),
            outbox=Outbox(
                self.db,
                self.platforms,
                self.clock,
                remember_every=self.settings.counter_flush_seconds,
            ),
            counters=CounterBuffer(self.db, self.settings.counter_flush_seconds),
        )
        self.report = LoadReport()
        self.dispatcher: Dispatcher | None = None
        # What start() got to, so that stop() after a failed start undoes only that.
        self._started: list[Platform] = []
        self._web: web.AppRunner | None = None
        self._rearm: Rearm | None = None

    def add_platform(self, platform: Platform) -> None:
        self.platforms.add(platform)

    async def start(self) -> Dispatcher:
        await self._schema()
        self.report = load_cogs(self.services, self.settings.disabled)
        for name, reason in self.report.failed.items():
            log.error("cog not loaded", extra={"cog": name, "reason": reason})
        self.dispatcher = Dispatcher(self.services, self.report.loaded)
        self.services.cogs.replace(self.report.loaded)
        for cog in self.report.loaded:
            await cog.start()
        self.services.counters.start()
        self.services.outbox.memory.start()
        for platform in self.platforms:
            # Listed first: a start that fails half way still has something to close.
            self._started.append(platform)
            await platform.start(self.dispatcher)
        # Deadlines start last: what fell due while the bot was down is sent through the
        # platforms, which must be connected by now.
        await self.scheduler.start()
        # From now on, deadlines other processes make (or leave behind) are armed here too.
        self._rearm = Rearm(self.report.loaded, self.settings.reschedule_every)
        self._rearm.start()
        if self.settings.wants_dashboard if self.dashboard is None else self.dashboard:
            from bot.web.serve import start_dashboard

            self._web = await start_dashboard(self)
        log.info(
            "ponte started",
            extra={
                "cogs": ",".join(cog.name for cog in self.report.loaded),
                "platforms": ",".join(platform.name for platform in self.platforms),
            },
        )
        return self.dispatcher

    async def _schema(self) -> None:
        """Run only on the schema this code was written for: bring an older one up when
        this process may migrate, else stop with the command that would."""
        if await is_current(self.db.engine):
            return  # the usual start: one row read, Alembic never loaded
        from bot.storage.migrate import schema_state, upgrade

        migrate = self.settings.auto_migrate if self.migrate is None else self.migrate
        state = await schema_state(self.db.engine)
        if not state.current and migrate and state.older:
            await asyncio.to_thread(upgrade, self.settings.database_url)
            state = await schema_state(self.db.engine)
        if not state.current:
            log.error(
                state.problem(),
                extra={
                    "database_revision": ",".join(state.database) or "none",
                    "code_revision": ",".join(state.code),
                },
            )
            raise SchemaMismatch(state.problem())

    async def stop(self) -> None:
        if self._rearm is not None:
            await self._rearm.stop()
            self._rearm = None
        if self._web is not None:
            await self._web.cleanup()
            self._web = None
        await self.scheduler.stop()
        for platform in self._started:
            try:
                await platform.stop()
            except Exception:
                log.exception("platform did not stop cleanly", extra={"platform": platform.name})
        if self.dispatcher is not None:
            await self.dispatcher.close()
        for cog in self.report.loaded:
            try:
                await cog.stop()
            except Exception:
                log.exception("cog did not stop cleanly", extra={"cog": cog.name})
        # After every listener and cog has stopped, so no count comes after the last write.
        await self.services.counters.stop()
        await self.services.outbox.memory.stop()
        await self.db.dispose()
