"""What every cog's renderer starts from: its community's language and time zone."""

from __future__ import annotations

from datetime import datetime

from bot.core.i18n import Translator


class LocalizedRenderer:
    """Texts from the catalogs and moments in the community's own language and zone."""

    def __init__(self, translator: Translator, language: str, timezone: str) -> None:
        self.translator = translator
        self.language = language
        self.timezone = timezone

    def t(self, key: str, **params: object) -> str:
        return self.translator.gettext(self.language, key, **params)

    def when(self, moment: datetime) -> str:
        return self.translator.datetime(self.language, moment, self.timezone)
