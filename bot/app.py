"""The composition root: builds settings, database, clock, scheduler, translator and
adapters once, and hands each cog what it needs."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from pathlib import Path

from bot.config import Settings
from bot.core.clock import Clock, SystemClock
from bot.core.communities import Communities
from bot.core.dispatcher import Dispatcher
from bot.core.i18n import Translator
from bot.core.loader import LoadReport, cog_catalog_dirs, load_cogs
from bot.core.outbox import Outbox
from bot.core.platform import Platform
from bot.core.platforms import Platforms
from bot.core.scheduler import Scheduler
from bot.core.services import Services
from bot.storage.database import Database
from bot.storage.migrate import upgrade

log = logging.getLogger(__name__)
CORE_CATALOGS = Path(__file__).resolve().parent / "locale"


def build_translator(default_language: str) -> Translator:
    return Translator([CORE_CATALOGS, *cog_catalog_dirs()], default_language)


@dataclass
class App:
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    platforms: Platforms = field(default_factory=Platforms)
    migrate: bool = True

    def __post_init__(self) -> None:
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
            outbox=Outbox(self.db, self.platforms, self.clock),
        )
        self.report = LoadReport()
        self.dispatcher: Dispatcher | None = None

    def add_platform(self, platform: Platform) -> None:
        self.platforms.add(platform)

    async def start(self) -> Dispatcher:
        if self.migrate:
            await asyncio.to_thread(upgrade, self.settings.database_url)
        self.report = load_cogs(self.services, self.settings.disabled)
        for name, reason in self.report.failed.items():
            log.error("cog not loaded", extra={"cog": name, "reason": reason})
        self.dispatcher = Dispatcher(self.services, self.report.loaded)
        self.services.cogs.replace(self.report.loaded)
        for cog in self.report.loaded:
            await cog.start()
        for platform in self.platforms:
            await platform.start(self.dispatcher)
        # Deadlines start last: what fell due while the bot was down is sent through the
        # platforms, which must be connected by now.
        await self.scheduler.start()
        log.info(
            "ponte started",
            extra={
                "cogs": ",".join(cog.name for cog in self.report.loaded),
                "platforms": ",".join(platform.name for platform in self.platforms),
            },
        )
        return self.dispatcher

    async def stop(self) -> None:
        await self.scheduler.stop()
        for platform in self.platforms:
            try:
                await platform.stop()
            except Exception:
                log.exception("platform did not stop cleanly", extra={"platform": platform.name})
        for cog in self.report.loaded:
            try:
                await cog.stop()
            except Exception:
                log.exception("cog did not stop cleanly", extra={"cog": cog.name})
        await self.db.dispose()
