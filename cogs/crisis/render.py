"""The urgent alert, its updates, its last word, `/crisis status` and the settings card."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.core.cards import Card, Field, Message
from bot.core.i18n import Translator
from cogs.crisis.detector import Assessment, Thresholds, trend

URGENT = 0xE74C3C
CALM = 0x27AE60


@dataclass(frozen=True, slots=True)
class Picture:
    """Everything an alert shows, read from the rows at the moment it is drawn."""

    assessment: Assessment
    started_at: datetime
    last_spike_at: datetime
    peak: int
    examples: list[tuple[str, str]]  # (channel shown, excerpt)
    channels: list[tuple[str, int]]  # (channel shown, complaints)
    slices: list[int]
    now: datetime


class CrisisRenderer:
    def __init__(self, translator: Translator, language: str, timezone: str) -> None:
        self.translator = translator
        self.language = language
        self.timezone = timezone

    def t(self, key: str, **params: Any) -> str:
        return self.translator.gettext(self.language, key, **params)

    def time(self, moment: datetime) -> str:
        return self.translator.datetime(self.language, moment, self.timezone)

    def number(self, value: float) -> str:
        return self.translator.number(self.language, round(value, 1))

    def _figures(self, picture: Picture, limits: Thresholds) -> tuple[Field, ...]:
        window = picture.assessment.window
        fields = [
            Field(
                self.t("crisis.alert.trend", minutes=limits.window_minutes),
                f"`{trend(picture.slices)}`",
            ),
        ]
        if picture.channels:
            fields.append(
                Field(
                    self.t("crisis.alert.channels"),
                    ", ".join(
                        self.t("crisis.alert.channel", channel=name, count=count)
                        for name, count in picture.channels
                    ),
                )
            )
        if picture.examples:
            fields.append(
                Field(
                    self.t("crisis.alert.examples"),
                    "\n".join(
                        self.t("crisis.alert.example", channel=name, text=said)
                        for name, said in picture.examples
                    ),
                )
            )
        fields.append(
            Field(
                self.t("crisis.alert.members"),
                self.t("crisis.alert.members_value", members=window.members),
                inline=True,
            )
        )
        return tuple(fields)

    def alert(self, mention: str | None, picture: Picture, limits: Thresholds) -> Message:
        window = picture.assessment.window
        summary = self.t(
            "crisis.alert.text",
            complaints=window.complaints,
            minutes=limits.window_minutes,
            expected=self.number(picture.assessment.expected),
            ratio=self.number(picture.assessment.ratio),
        )
        card = Card(
            title=self.t("crisis.alert.title"),
            text=summary,
            fields=self._figures(picture, limits),
            footer=self.t(
                "crisis.alert.footer",
                started=self.time(picture.started_at),
                updated=self.time(picture.now),
            ),
            color=URGENT,
        )
        ping = self.t("crisis.alert.ping")
        return Message(text=f"{mention} {ping}" if mention else ping, card=card)

    def over(self, mention: str | None, picture: Picture, limits: Thresholds) -> Message:
        lasted = max(picture.last_spike_at - picture.started_at, timedelta(minutes=1))
        duration = self.translator.duration(self.language, lasted)
        card = Card(
            title=self.t("crisis.over.title"),
            text=self.t(
                "crisis.over.text",
                ended=self.time(picture.now),
                duration=duration,
                peak=picture.peak,
                minutes=limits.window_minutes,
            ),
            fields=self._figures(picture, limits)[1:-1],  # no trend, no members: it is calm
            color=CALM,
        )
        return Message(text=self.t("crisis.over.ping"), card=card)

    def status(
        self, assessment: Assessment, limits: Thresholds, open_since: datetime | None
    ) -> Card:
        window = assessment.window
        state = (
            self.t("crisis.status.alert_open", since=self.time(open_since))
            if open_since is not None
            else self.t("crisis.status.calm")
        )
        return Card(
            title=self.t("crisis.status.title"),
            text=state,
            fields=(
                Field(
                    self.t("crisis.status.now", minutes=limits.window_minutes),
                    self.t(
                        "crisis.status.now_value",
                        complaints=window.complaints,
                        messages=window.messages,
                        members=window.members,
                    ),
                ),
                Field(
                    self.t("crisis.status.baseline"),
                    self.t(
                        "crisis.status.baseline_value", expected=self.number(assessment.expected)
                    ),
                ),
                Field(self.t("crisis.status.rule"), self.rule(limits)),
            ),
            color=URGENT if open_since is not None else CALM,
        )

    def rule(self, limits: Thresholds) -> str:
        return self.t(
            "crisis.settings.rule",
            minimum=limits.min_complaints,
            members=limits.min_members,
            ratio=self.number(limits.ratio),
            z=self.number(limits.z),
            minutes=limits.window_minutes,
            cooldown=limits.cooldown_minutes,
        )

    def settings(self, enabled: bool, limits: Thresholds) -> str:
        key = "crisis.settings.enabled" if enabled else "crisis.settings.disabled"
        return f"{self.t(key)}\n{self.rule(limits)}"

    def report_lines(
        self, alerts: list[tuple[datetime, datetime | None, int]], name: Callable[[datetime], str]
    ) -> tuple[Field, ...]:
        return tuple(
            Field(
                name(started),
                self.t("crisis.report.line", peak=peak)
                if ended is None
                else self.t(
                    "crisis.report.line_over",
                    peak=peak,
                    duration=self.translator.duration(self.language, ended - started),
                ),
            )
            for started, ended, peak in alerts
        )
