"""`/crisis settings`: the thresholds a community tunes, each within sane bounds."""

from __future__ import annotations

from dataclasses import replace

from bot.core.commands import Arguments, Command, Handler, Option, OptionKind
from bot.core.model import Role
from cogs.crisis.detector import Thresholds

# option name -> (Thresholds field, lowest, highest)
_BOUNDS: dict[str, tuple[str, int, int]] = {
    "window": ("window_minutes", 5, 120),
    "minimum": ("min_complaints", 2, 500),
    "members": ("min_members", 1, 100),
    "ratio": ("ratio", 2, 50),
    "z": ("z", 1, 20),
    "cooldown": ("cooldown_minutes", 5, 360),
}


def settings_command(handler: Handler) -> Command:
    options = tuple(
        Option(name, OptionKind.INTEGER, f"crisis.opt.{name}", min_value=low, max_value=high)
        for name, (_field, low, high) in _BOUNDS.items()
    )
    return Command(
        "settings",
        "crisis.cmd.settings",
        (*options, Option("enabled", OptionKind.BOOLEAN, "crisis.opt.enabled")),
        handler,
        permission=Role.ADMIN,
        usage="crisis.usage.settings",
    )


def updated_thresholds(
    args: Arguments, enabled: bool, limits: Thresholds
) -> tuple[bool, Thresholds, bool]:
    """The settings with what was typed applied, and whether anything was typed."""
    changes: dict[str, float] = {}
    for name, (field, _low, _high) in _BOUNDS.items():
        value = args.integer(name)
        if value is not None:
            changes[field] = float(value) if field in ("ratio", "z") else value
    if "enabled" in args:
        enabled = args.boolean("enabled")
    changed = bool(changes) or "enabled" in args
    return enabled, replace(limits, **changes), changed  # type: ignore[arg-type]
