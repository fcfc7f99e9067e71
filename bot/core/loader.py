"""Discover the cog packages under `cogs/` and set each up; one that fails is reported."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from bot.core.cog import Cog
from bot.core.services import Services

log = logging.getLogger(__name__)


@dataclass
class LoadReport:
    loaded: list[Cog] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    disabled: list[str] = field(default_factory=list)


def cog_package_names(package: str = "cogs") -> list[str]:
    module = importlib.import_module(package)
    return sorted(
        f"{package}.{info.name}" for info in pkgutil.iter_modules(module.__path__) if info.ispkg
    )


def cog_catalog_dirs(package: str = "cogs") -> list[Path]:
    module = importlib.import_module(package)
    roots = [Path(path) for path in module.__path__]
    return sorted(
        path / "locale" for root in roots for path in root.iterdir() if (path / "locale").is_dir()
    )


def import_cog_models(package: str = "cogs") -> None:
    """Import every cog's `models` so that the metadata (and Alembic) sees all tables."""
    for name in cog_package_names(package):
        try:
            importlib.import_module(f"{name}.models")
        except ModuleNotFoundError as error:
            if error.name != f"{name}.models":
                raise


def load_cogs(
    services: Services, disabled: tuple[str, ...] = (), package: str = "cogs"
) -> LoadReport:
    report = LoadReport()
    for name in cog_package_names(package):
        short = name.rsplit(".", 1)[-1]
        if short in disabled:
            report.disabled.append(short)
            continue
        try:
            module: ModuleType = importlib.import_module(name)
            cog = module.setup(services)
            if not isinstance(cog, Cog):
                raise TypeError(f"setup() returned {type(cog).__name__}, not a Cog")
        except Exception as error:
            log.exception("cog failed to load", extra={"cog": short})
            report.failed[short] = f"{type(error).__name__}: {error}"
            continue
        report.loaded.append(cog)
    return report
