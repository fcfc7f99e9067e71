"""The poll's cards: live results while open, final results once closed."""

from __future__ import annotations

from collections.abc import Callable

from bot.core.cards import Button, ButtonStyle, Card, Field, progress_bar
from bot.core.rendering import LocalizedRenderer
from cogs.polls.service import OptionTally, PollView

Translate = Callable[..., str]
BLUE = 0x2E86DE
GREY = 0x7F8C8D
MAX_VOTERS_SHOWN = 15


class PollRenderer(LocalizedRenderer):
    def _tally_line(self, poll: PollView, option: OptionTally) -> str:
        fraction = option.votes / poll.voters if poll.voters else 0.0
        percent = self.translator.percent(self.language, fraction)
        votes = (
            self.t("polls.votes", count=option.votes)
            if option.votes != 1
            else self.t("polls.vote_one")
        )
        return f"{progress_bar(fraction)} {votes} · {percent}"

    def _footer(self, poll: PollView) -> str:
        parts = [
            self.t("polls.anonymous") if poll.anonymous else self.t("polls.public"),
            self.t("polls.multiple") if poll.multiple else self.t("polls.single"),
            self.t("polls.voters", count=poll.voters),
        ]
        if poll.results_hidden and poll.is_open:
            parts.insert(2, self.t("polls.hidden_results"))
        if poll.is_open and poll.closes_at is not None:
            parts.append(
                self.t(
                    "polls.closes_at",
                    when=self.translator.datetime(self.language, poll.closes_at, self.timezone),
                )
            )
        if not poll.is_open and poll.closed_at is not None:
            parts.append(
                self.t(
                    "polls.closed_at",
                    when=self.translator.datetime(self.language, poll.closed_at, self.timezone),
                )
            )
        parts.append(f"#{poll.id}")
        return " · ".join(parts)

    def live(self, poll: PollView, vote_id: Callable[[int], str], close_id: str) -> Card:
        # Hidden results: the options without their counts, until the close.
        hidden = self.t("polls.hidden_value")
        fields = tuple(
            Field(option.label, hidden if poll.results_hidden else self._tally_line(poll, option))
            for option in poll.options
        )
        buttons = (
            *(
                Button(option.label, vote_id(option.position), ButtonStyle.PRIMARY)
                for option in poll.options
            ),
            Button(self.t("polls.close_button"), close_id, ButtonStyle.DANGER),
        )
        return Card(
            title=f"📊 {poll.question}",
            text=self.t("polls.by", author=poll.author_name),
            fields=fields,
            buttons=buttons,
            footer=self._footer(poll),
            color=BLUE,
        )

    def closed(self, poll: PollView, vote_id: Callable[[int], str]) -> Card:
        winners = self._winners(poll)
        fields = tuple(
            Field(
                f"{'🏆 ' if option.position in winners else ''}{option.label}",
                self._tally_line(poll, option),
            )
            for option in poll.options
        )
        return Card(
            title=f"📊 {poll.question}",
            text=self.t("polls.closed_card", author=poll.author_name),
            fields=fields,
            # Disabled, not removed: a member on a stale screen still learns the poll closed.
            buttons=tuple(
                Button(option.label, vote_id(option.position), ButtonStyle.SECONDARY, disabled=True)
                for option in poll.options
            ),
            footer=self._footer(poll),
            color=GREY,
        )

    def _headline(self, poll: PollView) -> str:
        winners = self._winners(poll)
        if not winners:
            return self.t("polls.results_none")
        if len(winners) == 1:
            return self.t("polls.results_winner", option=poll.label(next(iter(winners))))
        names = ", ".join(poll.label(position) for position in sorted(winners))
        return self.t("polls.results_tie", options=names)

    def report_line(self, poll: PollView) -> Field:
        """A closed poll in the weekly digest: its question, the result, how many voted."""
        return Field(
            f"#{poll.id} · {poll.question}",
            self.t("polls.report_entry", result=self._headline(poll), voters=poll.voters),
        )

    def results(self, poll: PollView) -> Card:
        headline = self._headline(poll)
        fields = []
        for option in poll.options:
            value = self._tally_line(poll, option)
            if not poll.anonymous and option.voters:
                shown = ", ".join(option.voters[:MAX_VOTERS_SHOWN])
                more = len(option.voters) - MAX_VOTERS_SHOWN
                if more > 0:
                    shown = f"{shown} {self.t('polls.and_more', count=more)}"
                value = f"{value}\n{shown}"
            fields.append(Field(option.label, value))
        return Card(
            title=self.t("polls.results_title", question=poll.question),
            text=headline,
            fields=tuple(fields),
            footer=self._footer(poll),
            color=GREY,
        )

    def listing(self, polls: list[PollView]) -> Card:
        if not polls:
            return Card(title=self.t("polls.list_title"), text=self.t("polls.list_empty"))
        fields = []
        for poll in polls[:25]:
            when = (
                self.t(
                    "polls.closes_at",
                    when=self.translator.datetime(self.language, poll.closes_at, self.timezone),
                )
                if poll.closes_at
                else self.t("polls.no_deadline")
            )
            fields.append(
                Field(
                    f"#{poll.id} · {poll.question}",
                    self.t(
                        "polls.list_entry", voters=poll.voters, when=when, author=poll.author_name
                    ),
                )
            )
        return Card(title=self.t("polls.list_title"), fields=tuple(fields), color=BLUE)

    @staticmethod
    def _winners(poll: PollView) -> set[int]:
        top = max((option.votes for option in poll.options), default=0)
        if top == 0:
            return set()
        return {option.position for option in poll.options if option.votes == top}
