"""How the calendar looks: the live-session card, the list, the rules in words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from babel.dates import get_day_names

from bot.core.cards import Button, ButtonStyle, Card, Field, Message
from bot.core.rendering import LocalizedRenderer
from bot.core.reports import CalendarEntry
from cogs.calendar.models import LIVE, Announcement

_WEEKDAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}
_NAMED_RULES = {
    "FREQ=DAILY": "daily",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR": "weekdays",
    "FREQ=WEEKLY": "weekly",
    "FREQ=MONTHLY": "monthly",
    "FREQ=YEARLY": "yearly",
    "FREQ=MONTHLY;BYMONTHDAY=1": "first_day",
    "FREQ=MONTHLY;BYMONTHDAY=-1": "last_day",
}
MAX_LISTED = 20


class CalendarRenderer(LocalizedRenderer):
    def repeat(self, rule: str | None) -> str:
        if rule is None:
            return self.t("calendar.repeat.once")
        named = _NAMED_RULES.get(rule)
        if named is not None:
            return self.t(f"calendar.repeat.{named}")
        if rule.startswith("FREQ=WEEKLY;BYDAY="):
            codes = rule.split("BYDAY=", 1)[1].split(",")
            if all(code in _WEEKDAY_INDEX for code in codes):
                names = get_day_names("wide", locale=self.language)
                days = ", ".join(str(names[_WEEKDAY_INDEX[code]]) for code in codes)
                return self.t("calendar.repeat.every", days=days)
        return self.t("calendar.repeat.rule", rule=rule)

    def live_card(
        self, row: Announcement, remind_id: str, registered: int, *, started: bool = False
    ) -> Message:
        fields = (
            [Field(self.t("calendar.field.when"), self.when(row.next_at))] if row.next_at else []
        )
        if row.remind_minutes:
            fields.append(
                Field(
                    self.t("calendar.field.reminder"),
                    self.t("calendar.reminder_note", count=registered, minutes=row.remind_minutes),
                )
            )
        buttons = (
            (Button(self.t("calendar.button.remind"), remind_id, ButtonStyle.PRIMARY),)
            if not started
            else ()
        )
        footer = (
            self.t("calendar.live.started") if started else self.t("calendar.footer", id=row.id)
        )
        card = Card(
            title=self.t("calendar.live.title", title=row.title),
            text=row.text,
            fields=tuple(fields),
            buttons=buttons,
            footer=footer,
        )
        return Message(card=card)

    def post(self, row: Announcement) -> Message:
        if row.kind == LIVE:
            return Message(text=self.t("calendar.live.starting", title=row.title, text=row.text))
        return Message(text=row.text)

    def reminder(self, row: Announcement, channel: str) -> Message:
        assert row.next_at is not None
        return Message(
            text=self.t(
                "calendar.live.reminder",
                title=row.title,
                when=self.when(row.next_at),
                channel=channel,
            )
        )

    def listing(
        self,
        rows: Sequence[Announcement],
        others: Sequence[CalendarEntry],
        channel_name: Callable[[str], str],
    ) -> Message:
        lines: list[tuple[datetime, str]] = []
        for row in rows:
            if row.next_at is None:
                continue
            kind = self.t(f"calendar.kind.{row.kind}")
            what = row.title or _excerpt(row.text)
            lines.append(
                (
                    row.next_at,
                    self.t(
                        "calendar.list.line",
                        id=row.id,
                        when=self.when(row.next_at),
                        channel=channel_name(row.channel_id),
                        kind=kind,
                        what=what,
                        repeat=self.repeat(row.rule),
                    ),
                )
            )
        for entry in others:
            channel = channel_name(entry.channel_id) if entry.channel_id else "—"
            lines.append(
                (
                    entry.starts_at,
                    self.t(
                        "calendar.list.other",
                        when=self.when(entry.starts_at),
                        channel=channel,
                        kind=self.t(f"calendar.kind.{entry.kind}"),
                        what=entry.title,
                    ),
                )
            )
        if not lines:
            return Message(text=self.t("calendar.list.empty"))
        lines.sort(key=lambda item: item[0])
        shown = [text for _, text in lines[:MAX_LISTED]]
        if len(lines) > MAX_LISTED:
            shown.append(self.t("calendar.list.more", count=len(lines) - MAX_LISTED))
        return Message(card=Card(title=self.t("calendar.list.title"), text="\n".join(shown)))

    def preview(self, row: Announcement) -> Message:
        when = self.when(row.next_at) if row.next_at else "—"
        head = self.t("calendar.preview", id=row.id, when=when, repeat=self.repeat(row.rule))
        body = row.text if row.kind != LIVE else f"{row.title}\n{row.text}"
        return Message(text=f"{head}\n{body}".rstrip())


def _excerpt(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
