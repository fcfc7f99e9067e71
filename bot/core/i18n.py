"""Italian and English message catalogs (gettext .po read through Babel), dates and numbers."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from string import Formatter
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, format_timedelta, get_datetime_format
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

LANGUAGES = ("it", "en")
log = logging.getLogger(__name__)


class _FlatFormatter(Formatter):
    """`{name}` only: catalog strings never reach attributes or items of their values."""

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        if not field_name.isidentifier():
            raise KeyError(field_name)
        return kwargs[field_name], field_name


_FORMATTER = _FlatFormatter()


class Translator:
    def __init__(self, catalog_dirs: Iterable[Path], default_language: str = "it") -> None:
        if default_language not in LANGUAGES:
            raise ValueError(f"unsupported language {default_language!r}")
        self.default_language = default_language
        self._catalogs: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        for directory in catalog_dirs:
            self._load(directory)

    def _load(self, directory: Path) -> None:
        for lang in LANGUAGES:
            for path in sorted((directory / lang / "LC_MESSAGES").glob("*.po")):
                with path.open("rb") as handle:
                    catalog = read_po(handle, locale=lang)
                for message in catalog:
                    if message.id and message.string and isinstance(message.id, str):
                        self._catalogs[lang][message.id] = str(message.string)

    def keys(self, lang: str) -> set[str]:
        return set(self._catalogs[lang])

    def language(self, lang: str | None) -> str:
        return lang if lang in LANGUAGES else self.default_language

    def gettext(self, lang: str | None, key: str, **params: Any) -> str:
        language = self.language(lang)
        template = self._catalogs[language].get(key) or self._catalogs["en"].get(key)
        if template is None:
            log.warning("missing catalog key", extra={"key": key, "lang": language})
            return key
        if not params:
            # Shown as written: usage lines and help texts name `{member}` placeholders.
            return template
        shown = {name: self._show(language, value) for name, value in params.items()}
        try:
            return _FORMATTER.vformat(template, (), shown)
        except (KeyError, IndexError, ValueError):
            log.warning("catalog entry does not fit its parameters", extra={"key": key})
            return template

    def template(self, lang: str | None, key: str) -> str:
        """A catalog entry as written, for texts that are templates themselves (greetings)."""
        language = self.language(lang)
        return self._catalogs[language].get(key) or self._catalogs["en"].get(key) or key

    def _show(self, lang: str, value: Any) -> Any:
        if isinstance(value, bool):
            return self.gettext(lang, "common.yes" if value else "common.no")
        if isinstance(value, int | float):
            return format_decimal(value, locale=lang)
        if isinstance(value, timedelta):
            return self.duration(lang, value)
        return value

    def datetime(self, lang: str | None, moment: datetime, timezone: str = "Europe/Rome") -> str:
        language = self.language(lang)
        local = moment.astimezone(ZoneInfo(timezone))
        # The locale's own way of joining a medium date with a short (minutes) time.
        pattern = str(get_datetime_format("medium", locale=language))
        date = format_date(local, "medium", locale=language)
        time = format_time(local, "short", locale=language)
        return pattern.replace("{1}", date).replace("{0}", time)

    def duration(self, lang: str | None, duration: timedelta) -> str:
        return format_timedelta(duration, locale=self.language(lang), threshold=1.1)

    def number(self, lang: str | None, value: float) -> str:
        return format_decimal(value, locale=self.language(lang))

    def percent(self, lang: str | None, fraction: float) -> str:
        return format_percent(fraction, locale=self.language(lang))

    def in_every_language(self, key: str) -> Mapping[str, str]:
        """One key in each language: for platforms that localize declarations (Discord)."""
        return {lang: self.gettext(lang, key) for lang in LANGUAGES}
