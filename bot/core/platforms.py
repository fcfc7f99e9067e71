"""The running adapters, by platform name."""

from __future__ import annotations

from collections.abc import Iterator

from bot.core.platform import Platform


class Platforms:
    def __init__(self) -> None:
        self._by_name: dict[str, Platform] = {}

    def add(self, platform: Platform) -> None:
        if platform.name in self._by_name:
            raise ValueError(f"platform {platform.name!r} added twice")
        self._by_name[platform.name] = platform

    def get(self, name: str) -> Platform:
        try:
            return self._by_name[name]
        except KeyError:
            raise LookupError(f"platform {name!r} is not running") from None

    def __iter__(self) -> Iterator[Platform]:
        return iter(self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)
