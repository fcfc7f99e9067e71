"""A contest's cards: open for entries, voting, closed with its winners; the draw's results."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.cards import MAX_BUTTONS, Button, ButtonStyle, Card, Field
from bot.core.rendering import LocalizedRenderer
from cogs.contests.models import BY_STAFF, CLOSED, OPEN, VOTING
from cogs.contests.service import ContestView, EntryView
from cogs.contests.winners import WinnerView

GOLD = 0xF1C40F
GREEN = 0x27AE60
GREY = 0x7F8C8D
MAX_SHOWN = 300  # characters of an entry shown on a card
MAX_LISTED = 20  # entries and winners named on a card; the rest are counted


class ContestRenderer(LocalizedRenderer):
    def _footer(self, contest: ContestView) -> str:
        parts = [self.t("contests.by", author=contest.author_name)]
        if contest.state == OPEN and contest.submit_ends_at is not None:
            parts.append(self.t("contests.submit_until", when=self.when(contest.submit_ends_at)))
        if contest.state != CLOSED:
            parts.append(self.t("contests.ends_at", when=self.when(contest.ends_at)))
        elif contest.closed_at is not None:
            parts.append(self.t("contests.ended_at", when=self.when(contest.closed_at)))
        parts.append(f"#{contest.id}")
        return " · ".join(parts)

    def requirements(self, contest: ContestView) -> str:
        needs = contest.requirements
        lines = []
        if needs.role:
            lines.append(self.t("contests.needs.role", role=needs.role))
        if needs.days:
            lines.append(self.t("contests.needs.days", days=needs.days))
        if needs.messages:
            lines.append(self.t("contests.needs.messages", messages=needs.messages))
        return "\n".join(lines)

    def _commitment(self, contest: ContestView) -> Field:
        return Field(self.t("contests.commitment"), f"`{contest.commitment}`")

    def _winner_lines(
        self, winners: Sequence[WinnerView], mention: Callable[[str, str], str]
    ) -> str:
        lines = [
            f"{winner.rank}. {mention(winner.member_id, winner.member_name)}" for winner in winners
        ]
        return "\n".join(lines[:MAX_LISTED]) or self.t("contests.no_winners")

    # -- giveaways -----------------------------------------------------------------

    def giveaway(self, contest: ContestView, enter_id: str) -> Card:
        fields = [
            Field(
                self.t("contests.entries_field"),
                self.t("contests.entries", count=contest.entries),
                inline=True,
            )
        ]
        fields.append(Field(self.t("contests.winners_field"), str(contest.winners), inline=True))
        needs = self.requirements(contest)
        if needs:
            fields.append(Field(self.t("contests.needs_field"), needs))
        fields.append(self._commitment(contest))
        return Card(
            title=f"🎁 {contest.title}",
            text=self.t("contests.giveaway_text"),
            fields=tuple(fields),
            buttons=(Button(self.t("contests.enter_button"), enter_id, ButtonStyle.SUCCESS),),
            footer=self._footer(contest),
            color=GOLD,
        )

    def giveaway_closed(
        self,
        contest: ContestView,
        enter_id: str,
        winners: Sequence[WinnerView],
        mention: Callable[[str, str], str],
    ) -> Card:
        return Card(
            title=f"🎁 {contest.title}",
            text=self.t("contests.giveaway_closed_text", count=contest.entries),
            fields=(
                Field(self.t("contests.winners_field"), self._winner_lines(winners, mention)),
                self._commitment(contest),
                Field(self.t("contests.seed"), f"`{contest.seed}`"),
            ),
            buttons=(Button(self.t("contests.enter_button"), enter_id, disabled=True),),
            footer=self._footer(contest),
            color=GREY,
        )

    def draw_text(
        self,
        contest: ContestView,
        winners: Sequence[str],
        *,
        first: int,
        counter: int,
        reroll: int,
        pool: Sequence[str],
    ) -> str:
        """The published draw: winners, seed, commitment, counters and the entries."""
        head = (
            self.t("contests.drawn", prize=contest.title, winners=", ".join(winners))
            if reroll == 0
            else self.t(
                "contests.rerolled", prize=contest.title, winners=", ".join(winners), round=reroll
            )
        )
        if not winners:
            head = self.t("contests.drawn_nobody", prize=contest.title)
        lines = [head]
        if reroll == 0 and winners and len(winners) < contest.winners:
            lines.append(self.t("contests.fewer_entries", count=len(pool), winners=contest.winners))
        lines.append(self.t("contests.seed_line", seed=contest.seed, commitment=contest.commitment))
        lines.append(
            self.t(
                "contests.counter_line", first=first, last=counter - 1 if counter > first else first
            )
        )
        lines.append(self.t("contests.pool_line", count=len(pool)))
        if len(pool) <= MAX_LISTED:
            lines.append(", ".join(pool))
        lines.append(self.t("contests.verify_line"))
        return "\n".join(lines)

    # -- submission contests -------------------------------------------------------

    def submissions(self, contest: ContestView, submit_id: str) -> Card:
        return Card(
            title=f"🏆 {contest.title}",
            text=self.t("contests.submissions_text", id=contest.id),
            fields=(
                Field(
                    self.t("contests.submissions_field"),
                    self.t("contests.entries", count=contest.entries),
                    inline=True,
                ),
                Field(
                    self.t("contests.judging_field"),
                    self.t(
                        "contests.judging_staff"
                        if contest.judging == BY_STAFF
                        else "contests.judging_members"
                    ),
                    inline=True,
                ),
            ),
            buttons=(Button(self.t("contests.submit_button"), submit_id, ButtonStyle.PRIMARY),),
            footer=self._footer(contest),
            color=GREEN,
        )

    def _entry_field(self, entry: EntryView, votes: bool, won: bool) -> Field:
        value = entry.content[:MAX_SHOWN] or "—"
        if entry.file_name:
            value = f"{value}\n📎 {entry.file_name}"
        if votes:
            value = f"{value}\n{self.t('contests.votes', count=entry.votes)}"
        prefix = "🏆 " if won else ""
        return Field(f"{prefix}#{entry.number} · {entry.member_name}", value)

    def voting(
        self, contest: ContestView, entries: Sequence[EntryView], vote_id: Callable[[int], str]
    ) -> Card:
        key = "contests.judging_text" if contest.judging == BY_STAFF else "contests.voting_text"
        shown = entries[:MAX_BUTTONS]
        text = self.t(key, count=len(entries))
        if len(entries) > len(shown):
            text = f"{text}\n{self.t('contests.more_entries', id=contest.id, shown=len(shown))}"
        return Card(
            title=f"🏆 {contest.title}",
            text=text,
            fields=tuple(self._entry_field(entry, False, False) for entry in shown),
            buttons=tuple(
                Button(
                    f"#{entry.number} {entry.member_name}"[:75],
                    vote_id(entry.number),
                    ButtonStyle.PRIMARY,
                )
                for entry in shown
            ),
            footer=self._footer(contest),
            color=GREEN,
        )

    def submissions_closed(
        self,
        contest: ContestView,
        entries: Sequence[EntryView],
        winners: Sequence[WinnerView],
        mention: Callable[[str, str], str],
    ) -> Card:
        won = {winner.member_id for winner in winners}
        fields = [Field(self.t("contests.winners_field"), self._winner_lines(winners, mention))]
        fields.extend(
            self._entry_field(entry, contest.judging != BY_STAFF, entry.member_id in won)
            for entry in entries[: MAX_BUTTONS - 1]
        )
        return Card(
            title=f"🏆 {contest.title}",
            text=self.t("contests.submissions_closed_text", count=len(entries)),
            fields=tuple(fields),
            footer=self._footer(contest),
            color=GREY,
        )

    # -- listing ---------------------------------------------------------------------

    def listing(self, contests: Sequence[ContestView]) -> Card:
        if not contests:
            return Card(title=self.t("contests.list_title"), text=self.t("contests.list_empty"))
        fields = []
        for contest in contests[:25]:
            phase = {OPEN: "contests.phase_open", VOTING: "contests.phase_voting"}[contest.state]
            icon = "🎁" if contest.is_giveaway else "🏆"
            fields.append(
                Field(
                    f"#{contest.id} · {icon} {contest.title}",
                    self.t(
                        "contests.list_entry",
                        phase=self.t(phase),
                        entries=contest.entries,
                        when=self.when(contest.ends_at),
                    ),
                )
            )
        return Card(title=self.t("contests.list_title"), fields=tuple(fields), color=GOLD)
