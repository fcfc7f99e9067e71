"""The digest drawn: its own sections from the figures, every cog's section, the chart."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from babel.dates import format_date

from bot.core.cards import Card, Field, Image
from bot.core.i18n import Translator
from bot.core.reports import ReportSection
from cogs.digest.chart import ChartText
from cogs.digest.figures import Figures, Pair
from cogs.digest.tags import TagLine

MAX_FIELD_VALUE = 1024  # Discord's limit for an embed field
MAX_CHANNELS = 8


class DigestRenderer:
    def __init__(self, translator: Translator, language: str) -> None:
        self.translator = translator
        self.language = language

    def t(self, key: str, **params: Any) -> str:
        return self.translator.gettext(self.language, key, **params)

    def change(self, pair: Pair) -> str:
        delta = pair.now - pair.before
        if delta > 0:
            return self.t("digest.delta_up", value=pair.now, delta=delta)
        if delta < 0:
            return self.t("digest.delta_down", value=pair.now, delta=-delta)
        return self.t("digest.delta_same", value=pair.now)

    def day(self, day: Any, pattern: str = "EEE d MMM") -> str:
        return str(format_date(day, pattern, locale=self.language))

    def duration(self, value: timedelta | None) -> str:
        if value is None:
            return self.t("digest.none")
        if value < timedelta(minutes=1):
            return self.t("digest.under_a_minute")
        return self.translator.duration(self.language, value)

    def own_sections(
        self,
        figures: Figures,
        channel_name: Callable[[str], str],
        member_name: Mapping[str, str],
        include: Callable[[str], bool],
    ) -> list[ReportSection]:
        sections: list[ReportSection] = []
        if include("members"):
            growth = (
                figures.joined.now - figures.left.now,
                figures.joined.before - figures.left.before,
            )
            sections.append(
                ReportSection(
                    self.t("digest.section.members"),
                    (
                        Field(self.t("digest.joined"), self.change(figures.joined)),
                        Field(self.t("digest.left"), self.change(figures.left)),
                        Field(self.t("digest.growth"), self.change(Pair(*growth))),
                        Field(self.t("digest.active"), self.change(figures.active)),
                    ),
                    order=10,
                )
            )
        if include("activity"):
            sections.append(self._activity(figures, channel_name, member_name))
        if include("responses"):
            responses = figures.responses
            sections.append(
                ReportSection(
                    self.t("digest.section.responses"),
                    (
                        Field(
                            self.t("digest.answered"),
                            self.t(
                                "digest.answered_of",
                                answered=responses.answered,
                                posts=responses.posts,
                            ),
                        ),
                        Field(
                            self.t("digest.median"),
                            self.t(
                                "digest.was",
                                now=self.duration(responses.median),
                                before=self.duration(figures.previous_median),
                            ),
                        ),
                        Field(self.t("digest.p90"), self.duration(responses.p90)),
                    ),
                    order=30,
                )
            )
        return sections

    def _activity(
        self, figures: Figures, channel_name: Callable[[str], str], member_name: Mapping[str, str]
    ) -> ReportSection:
        channels = [
            f"{channel_name(channel)}: {self.change(pair)}"
            for channel, pair in figures.per_channel[:MAX_CHANNELS]
        ]
        days = [
            f"{self.day(day)}: {self.change(Pair(now, before))}"
            for day, now, before in figures.per_day
        ]
        hours = [
            self.t(
                "digest.hour_line",
                start=f"{hour:02d}:00",
                end=f"{(hour + 1) % 24:02d}:00",
                count=count,
            )
            for hour, count in figures.busiest_hours
        ]
        fields = [
            Field(self.t("digest.messages"), self.change(figures.messages)),
            Field(self.t("digest.per_channel"), "\n".join(channels) or self.t("digest.none")),
            Field(self.t("digest.per_day"), "\n".join(days)),
            Field(self.t("digest.busiest_hours"), "\n".join(hours) or self.t("digest.none")),
        ]
        if figures.top_members:
            top = ", ".join(
                self.t("digest.member_count", member=member_name.get(member, member), count=count)
                for member, count in figures.top_members
            )
            fields.append(Field(self.t("digest.top_members"), top))
        return ReportSection(self.t("digest.section.activity"), tuple(fields), order=20)

    def tag_section(self, lines: Sequence[TagLine]) -> ReportSection | None:
        if not lines:
            return None
        fields = tuple(
            Field(
                f"#{line.tag}",
                self.t(
                    "digest.tag_line",
                    messages=line.messages,
                    answered=line.answered,
                    median=self.duration(line.median),
                ),
            )
            for line in lines
        )
        return ReportSection(self.t("digest.section.tags"), fields[:20], order=80)

    def chart_text(self, figures: Figures) -> ChartText:
        return ChartText(
            title=self.t("digest.chart.title"),
            day_labels=tuple(self.day(day, "EEE d") for day, _, _ in figures.per_day),
            this_week=self.t("digest.chart.this_week"),
            week_before=self.t("digest.chart.week_before"),
            y_label=self.t("digest.chart.messages"),
            x_label=self.t("digest.chart.day"),
        )

    def card(
        self, figures: Figures, sections: Sequence[ReportSection], chart: bytes, *, preview: bool
    ) -> Card:
        days = figures.week.days
        title = self.t(
            "digest.preview_title" if preview else "digest.title",
            start=self.day(days[0], "d MMM"),
            end=self.day(days[-1], "d MMM"),
        )
        fields = []
        for section in sorted(sections, key=lambda item: (item.order, item.title)):
            value = "\n".join(_line(item) for item in section.fields)
            if len(value) > MAX_FIELD_VALUE:
                value = value[: MAX_FIELD_VALUE - 1] + "…"
            fields.append(Field(section.title, value or self.t("digest.none")))
        image = Image(
            f"digest-{figures.week.end.isoformat()}.png", chart, self.t("digest.chart.title")
        )
        return Card(
            title=title,
            fields=tuple(fields[:25]),
            footer=self.t("digest.footer"),
            image=image,
            color=0x5DADE2,
        )


def _line(item: Field) -> str:
    """`name: value`, or the name over one bullet per line for a list."""
    lines = item.value.splitlines()
    if len(lines) <= 1:
        return f"{item.name}: {item.value}"
    return "\n".join([f"{item.name}:", *(f"• {line}" for line in lines)])
