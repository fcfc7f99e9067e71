"""What netiquette shows: the review card, the notices to authors, rule and strike lists."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Literal

from babel.dates import format_timedelta

from bot.core.cards import Button, ButtonStyle, Card, Field
from bot.core.rendering import LocalizedRenderer
from cogs.netiquette.ledger import StrikeView
from cogs.netiquette.models import APPROVED, PENDING, REJECTED, WARNED, NetiquetteReview
from cogs.netiquette.settings import Config

ORANGE = 0xE67E22
GREEN = 0x27AE60
RED = 0xC0392B
GREY = 0x7F8C8D
MAX_SHOWN = 900  # an embed field holds 1,024 characters; the marks and an ellipsis fit
REPORT = "report"
COLORS = {PENDING: ORANGE, APPROVED: GREEN, REJECTED: RED, WARNED: RED}


def mark_span(text: str, span: tuple[int, int] | None) -> str:
    """The text with the matched part between ⟦ ⟧, cut around it when it is long."""
    if span is None:
        return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"
    start = max(0, min(span[0], len(text)))
    end = max(start, min(span[1], len(text)))
    before, match, after = text[:start], text[start:end], text[end:]
    room = max(0, MAX_SHOWN - len(match))
    if len(before) > room // 2:
        before = "…" + before[-(room // 2) :]
    if len(after) > room - len(before):
        after = after[: max(0, room - len(before))] + "…"
    return f"{before}⟦{match}⟧{after}"


Unit = Literal["day", "hour", "minute", "second"]
_UNITS: tuple[tuple[Unit, int], ...] = (("day", 86400), ("hour", 3600), ("minute", 60))


def exact_duration(language: str, delta: timedelta) -> str:
    """`30 giorni`, `24 hours`: in the unit moderators typed, not rounded to `4 weeks`."""
    seconds = int(delta.total_seconds())
    unit: Unit = "second"
    for name, size in _UNITS:
        if not seconds % size:
            unit = name
            break
    return format_timedelta(delta, granularity=unit, threshold=10**9, locale=language)


def rule_key(rule: str) -> str:
    """The catalog key naming an engine rule; a community's own rules share one name."""
    if rule.startswith("custom."):
        return "netiquette.rule.custom"
    return f"netiquette.rule.{rule}"


class Renderer(LocalizedRenderer):
    def span(self, delta: timedelta) -> str:
        return exact_duration(self.language, delta)

    def rule_name(self, rule: str) -> str:
        return self.t(rule_key(rule))

    def rule_for_moderators(self, rule: str, pattern: str | None) -> str:
        name = self.rule_name(rule)
        return (
            self.t("netiquette.card.custom_rule", name=name, pattern=pattern) if pattern else name
        )

    def decision(self, review: NetiquetteReview) -> str:
        when = self.when(review.decided_at) if review.decided_at else ""
        if review.decided_by is None:
            return self.t(f"netiquette.state.{review.state}", when=when)
        return self.t(
            f"netiquette.state.{review.state}", moderator=review.decided_by_name or "", when=when
        )

    # -- the review card ---------------------------------------------------------------

    def card(
        self,
        review: NetiquetteReview,
        *,
        strikes: int,
        channel: str,
        followers: int = 0,
        link: str | None,
        button_id: Callable[[str], str],
    ) -> Card:
        span = (
            (review.span_start, review.span_end)
            if review.span_start is not None and review.span_end is not None
            else None
        )
        shown = (
            mark_span(review.text, span)
            if review.text is not None
            else self.t("netiquette.card.erased")
        )
        fields = [
            Field(
                self.t("netiquette.card.author"),
                self.t("netiquette.card.author_value", member=review.author_name, count=strikes),
                inline=True,
            ),
            Field(
                self.t("netiquette.card.channel"),
                f"{channel} · {link}" if link else channel,
                inline=True,
            ),
            Field(
                self.t("netiquette.card.rule"),
                self.rule_for_moderators(review.rule, review.pattern),
            ),
        ]
        if review.reports:
            fields.append(
                Field(
                    self.t("netiquette.card.reports"),
                    self.t("netiquette.card.reports_value", count=review.reports),
                )
            )
        if followers:
            fields.append(
                Field(
                    self.t("netiquette.card.followers"),
                    self.t("netiquette.card.followers_value", count=followers),
                )
            )
        pending = review.state == PENDING
        if pending:
            fields.append(
                Field(self.t("netiquette.card.status"), self.t(f"netiquette.hold.{review.hold}"))
            )
        else:
            fields.append(Field(self.t("netiquette.card.decision"), self.decision(review)))
        buttons = (
            Button(
                self.t("netiquette.button.approve"),
                button_id("approve"),
                ButtonStyle.SUCCESS,
                not pending,
            ),
            Button(
                self.t("netiquette.button.reject"),
                button_id("reject"),
                ButtonStyle.DANGER,
                not pending,
            ),
            Button(
                self.t("netiquette.button.warn"), button_id("warn"), ButtonStyle.DANGER, not pending
            ),
        )
        title_key = (
            "netiquette.card.title_report" if review.rule == REPORT else "netiquette.card.title"
        )
        return Card(
            title=self.t(title_key, id=review.id),
            text=shown,
            fields=tuple(fields),
            buttons=buttons,
            footer=self.t(
                "netiquette.card.footer", id=review.id, when=self.when(review.created_at)
            ),
            color=COLORS.get(review.state, GREY),
        )

    # -- lists -------------------------------------------------------------------------

    def strikes(self, member: str, strikes: list[StrikeView]) -> Card:
        if not strikes:
            return Card(
                title=self.t("netiquette.strikes.title", member=member),
                text=self.t("netiquette.strikes.none"),
            )
        fields = tuple(
            Field(
                f"#{strike.id} · {self.rule_name(strike.rule)}",
                self.t(
                    "netiquette.strikes.entry",
                    given=self.when(strike.created_at),
                    expires=self.when(strike.expires_at),
                ),
            )
            for strike in strikes[:25]
        )
        return Card(
            title=self.t("netiquette.strikes.title", member=member),
            text=self.t("netiquette.strikes.count", count=len(strikes)),
            fields=fields,
            footer=self.t("netiquette.strikes.pardon_hint"),
            color=ORANGE,
        )

    def settings(
        self,
        config: Config,
        channel: str,
        categories: list[tuple[str, str | None, bool]],
    ) -> Card:
        steps = ", ".join(
            self.t(
                "netiquette.settings.step",
                count=step.strikes,
                duration=self.span(step.timeout),
            )
            for step in config.escalation
        ) or self.t("netiquette.settings.no_escalation")
        changed = [
            f"{self.t(f'netiquette.category.{category}')}: "
            + (
                self.t(f"netiquette.severity.{severity}")
                if enabled and severity
                else self.t("netiquette.rules.off")
                if not enabled
                else self.t("netiquette.rules.default")
            )
            for category, severity, enabled in categories
        ]
        fields = (
            Field(self.t("netiquette.settings.channel"), channel),
            Field(
                self.t("netiquette.settings.exempt"),
                self.t("common.yes" if config.exempt_staff else "common.no"),
                True,
            ),
            Field(
                self.t("netiquette.settings.reports_held"),
                self.t("common.yes" if config.reports_held else "common.no"),
                True,
            ),
            Field(
                self.t("netiquette.settings.reminder"),
                self.span(config.reminder),
                True,
            ),
            Field(
                self.t("netiquette.settings.expiry"),
                self.span(config.strike_expiry),
                True,
            ),
            Field(
                self.t("netiquette.settings.retention"),
                self.span(config.retention),
                True,
            ),
            Field(self.t("netiquette.settings.escalation"), steps),
            Field(
                self.t("netiquette.settings.categories"),
                "\n".join(changed) or self.t("netiquette.rules.default"),
            ),
        )
        return Card(
            title=self.t("netiquette.settings.title"),
            fields=fields,
            footer=self.t("netiquette.settings.hint"),
            color=ORANGE,
        )
