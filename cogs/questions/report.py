"""Staff's views in text: response-time figures and the community's settings."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from bot.core.cards import Card, Field
from bot.core.i18n import Translator
from cogs.questions.settings import QuestionsConfig
from cogs.questions.stats import QuestionStats, Timing

MAX_CHANNELS = 10


class Report:
    def __init__(
        self,
        translator: Translator,
        language: str,
        timezone: str,
        where: Callable[[str], str] = lambda channel_id: f"#{channel_id}",
    ) -> None:
        self.translator = translator
        self.language = language
        self.timezone = timezone
        self.where = where  # a channel id as the platform names it (#generale, <#C123>)

    def _channels(self, ids: Iterable[str]) -> str:
        return ", ".join(self.where(channel_id) for channel_id in sorted(ids))

    def t(self, key: str, **params: object) -> str:
        return self.translator.gettext(self.language, key, **params)

    def _wait(self, value: timedelta | None) -> str:
        if value is None:
            return "—"
        if value < timedelta(minutes=1):
            return self.t("questions.stats.under_a_minute")
        return self.translator.duration(self.language, value)

    def timing(self, figures: Timing) -> str:
        return self.t(
            "questions.stats.timing",
            asked=figures.asked,
            answered=figures.answered,
            median=self._wait(figures.median),
            p90=self._wait(figures.p90),
        )

    def stats(self, stats: QuestionStats) -> Card:
        since = self.translator.datetime(self.language, stats.since, self.timezone)
        until = self.translator.datetime(self.language, stats.until, self.timezone)
        fields = [Field(self.t("questions.stats.overall"), self.timing(stats.overall))]
        if stats.by_week:
            lines = [
                self.t("questions.stats.week", week=week.strftime("%d/%m/%Y"))
                + " · "
                + self.timing(figures)
                for week, figures in stats.by_week
            ]
            fields.append(Field(self.t("questions.stats.by_week"), "\n".join(lines)))
        if stats.by_channel:
            lines = [
                f"{self.where(channel)} · {self.timing(figures)}"
                for channel, figures in stats.by_channel[:MAX_CHANNELS]
            ]
            fields.append(Field(self.t("questions.stats.by_channel"), "\n".join(lines)))
        if stats.by_kind:
            lines = [self.t(f"questions.kind.{kind}", count=count) for kind, count in stats.by_kind]
            fields.append(Field(self.t("questions.stats.by_kind"), "\n".join(lines)))
        fields.append(
            Field(
                self.t("questions.stats.waiting"),
                self.t(
                    "questions.stats.unanswered",
                    count=stats.unanswered,
                    groups=stats.recurring_groups,
                ),
            )
        )
        return Card(
            title=self.t("questions.stats.title"),
            text=self.t("questions.stats.period", since=since, until=until),
            fields=tuple(fields),
            footer=self.t("questions.stats.footer"),
        )

    def settings(self, config: QuestionsConfig, staff_channel: str | None) -> Card:
        if config.watched:
            watched = self._channels(config.watched)
        elif config.ignored:
            watched = self.t(
                "questions.settings.all_but",
                channels=self._channels(config.ignored),
            )
        else:
            watched = self.t("questions.settings.all")
        faq_off = self._channels(config.faq_off) or "—"
        rows = (
            ("questions.settings.askers", self.translator.number(self.language, config.min_askers)),
            (
                "questions.settings.window",
                self.translator.duration(self.language, config.window),
            ),
            (
                "questions.settings.staff_channel",
                self.where(staff_channel) if staff_channel else "—",
            ),
            ("questions.settings.watched", watched),
            ("questions.settings.faq_off", faq_off),
            (
                "questions.settings.not_helpful",
                self.translator.number(self.language, config.not_helpful_limit),
            ),
            (
                "questions.settings.unanswered_after",
                self.translator.duration(self.language, config.unanswered_after),
            ),
        )
        return Card(
            title=self.t("questions.settings.title"),
            fields=tuple(Field(self.t(key), value, inline=True) for key, value in rows),
            footer=self.t("questions.settings.footer"),
        )
