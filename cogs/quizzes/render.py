"""The quiz's cards and answers, in the community's language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_time

from bot.core.cards import Button, ButtonStyle, Card, Field, progress_bar
from bot.core.rendering import LocalizedRenderer
from cogs.quizzes.bank import FALSE, MAX_PROBLEMS_SHOWN, TRUE, TRUE_FALSE, Problem
from cogs.quizzes.banks import BankSummary
from cogs.quizzes.leaderboard import MemberScores
from cogs.quizzes.schedule import ScheduledQuiz
from cogs.quizzes.scoring import Standing
from cogs.quizzes.service import QuestionView

BLUE = 0x8E44AD
GREEN = 0x27AE60
GREY = 0x7F8C8D
SHORT_BOARD = 5
LONG_BOARD = 10
MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


class QuizRenderer(LocalizedRenderer):
    def clock_time(self, moment: datetime) -> str:
        """To the second: a question lasts seconds, not minutes."""
        local = moment.astimezone(ZoneInfo(self.timezone))
        return format_time(local, "medium", locale=self.translator.language(self.language))

    def label(self, kind: str, answer: str) -> str:
        """What a button says: true/false in the community's language."""
        if kind == TRUE_FALSE and answer in (TRUE, FALSE):
            return self.t(f"quizzes.answer.{answer}")
        return answer

    def opening(self, bank: str, count: int, seconds: int) -> str:
        key = "quizzes.round.starting_one" if count == 1 else "quizzes.round.starting"
        return self.t(key, bank=bank, count=count, seconds=seconds)

    def _title(self, question: QuestionView) -> str:
        return self.t("quizzes.card.title", number=question.position + 1, count=question.count)

    def question(
        self, question: QuestionView, answer_id: Callable[[int], str], stop_id: str
    ) -> Card:
        buttons = [
            Button(self.label(question.kind, answer), answer_id(index), ButtonStyle.PRIMARY)
            for index, answer in enumerate(question.answers)
        ]
        buttons.append(Button(self.t("quizzes.card.stop"), stop_id, ButtonStyle.DANGER))
        footer = self.t("quizzes.card.time", seconds=question.seconds)
        if question.deadline is not None:
            until = self.t("quizzes.card.until", when=self.clock_time(question.deadline))
            footer = f"{footer} · {until}"
        return Card(
            title=self._title(question),
            text=question.text,
            buttons=tuple(buttons),
            footer=footer,
            color=BLUE,
        )

    def revealed(self, question: QuestionView, answer_id: Callable[[int], str]) -> Card:
        total = question.answered
        fields = []
        for index, answer in enumerate(question.answers):
            count = question.tallies[index]
            fraction = count / total if total else 0.0
            mark = "✅ " if index == question.right else "▫️ "
            fields.append(
                Field(
                    f"{mark}{self.label(question.kind, answer)}",
                    f"{progress_bar(fraction)} {self.t('quizzes.card.chosen', count=count)}"
                    f" · {self.translator.percent(self.language, fraction)}",
                )
            )
        if question.explanation:
            fields.append(Field(self.t("quizzes.card.explanation"), question.explanation))
        right = self.label(question.kind, question.answers[question.right])
        return Card(
            title=self._title(question),
            text=f"{question.text}\n{self.t('quizzes.card.right', answer=right)}",
            fields=tuple(fields),
            buttons=tuple(
                Button(self.label(question.kind, answer), answer_id(index), disabled=True)
                for index, answer in enumerate(question.answers)
            ),
            footer=self.t("quizzes.card.answers", count=total),
            color=GREEN,
        )

    def _lines(self, standings: Sequence[Standing], limit: int, *, detail: bool) -> str:
        lines = []
        for standing in standings[:limit]:
            medal = MEDALS.get(standing.rank, f"{standing.rank}.")
            line = self.t(
                "quizzes.board.line", rank=medal, name=standing.name, points=standing.points
            )
            if detail:
                seconds = round(standing.time_ms / 1000, 1)
                line += " " + self.t(
                    "quizzes.board.detail",
                    right=standing.right,
                    answered=standing.answered,
                    seconds=seconds,
                )
            lines.append(line)
        if len(standings) > limit:
            lines.append(self.t("quizzes.board.more", count=len(standings) - limit))
        return "\n".join(lines) if lines else self.t("quizzes.board.empty")

    def after_question(self, question: QuestionView, standings: Sequence[Standing]) -> Card:
        return Card(
            title=self.t("quizzes.board.after", number=question.position + 1, count=question.count),
            text=self._lines(standings, SHORT_BOARD, detail=False),
            color=BLUE,
        )

    def final(self, bank: str, standings: Sequence[Standing], *, stopped: bool) -> Card:
        title = self.t("quizzes.board.stopped" if stopped else "quizzes.board.final", bank=bank)
        text = self._lines(standings, LONG_BOARD, detail=True)
        if standings:
            text = f"{self.t('quizzes.board.winner', name=standings[0].name)}\n{text}"
        return Card(title=title, text=text, footer=self.t("quizzes.board.ties"), color=GREEN)

    def board(self, title: str, standings: Sequence[Standing]) -> Card:
        return Card(
            title=title,
            text=self._lines(standings, LONG_BOARD, detail=True),
            footer=self.t("quizzes.board.ties"),
            color=BLUE,
        )

    def me(self, scores: MemberScores) -> Card:
        if scores.season is None:
            return Card(title=self.t("quizzes.me.title"), text=self.t("quizzes.me.none"))
        fields = []
        if scores.last_round is not None:
            last = scores.last_round
            fields.append(
                Field(
                    self.t("quizzes.me.last", round=scores.last_round_id or 0),
                    self.t("quizzes.me.standing", points=last.points, rank=last.rank,
                           right=last.right, answered=last.answered),
                )
            )  # fmt: skip
        season = scores.season
        fields.append(
            Field(
                self.t("quizzes.me.season", rounds=scores.rounds),
                self.t("quizzes.me.standing", points=season.points, rank=season.rank,
                       right=season.right, answered=season.answered),
            )
        )  # fmt: skip
        return Card(title=self.t("quizzes.me.title"), fields=tuple(fields), color=BLUE)

    def banks(self, banks: Sequence[BankSummary]) -> Card:
        if not banks:
            return Card(title=self.t("quizzes.banks.title"), text=self.t("quizzes.banks.empty"))
        fields = tuple(
            Field(
                bank.name,
                self.t(
                    "quizzes.banks.entry",
                    count=bank.questions,
                    categories=bank.categories,
                    source=bank.source.upper(),
                    when=self.when(bank.created_at),
                ),
            )
            for bank in banks[:25]
        )
        return Card(title=self.t("quizzes.banks.title"), fields=fields, color=BLUE)

    def problems(self, filename: str, problems: Sequence[Problem]) -> str:
        lines = [self.t("quizzes.import.refused", file=filename, count=len(problems))]
        for problem in problems[:MAX_PROBLEMS_SHOWN]:
            text = self.t(problem.key, **problem.params)
            if problem.line:
                text = self.t("quizzes.import.at_line", line=problem.line, problem=text)
            lines.append(f"• {text}")
        if len(problems) > MAX_PROBLEMS_SHOWN:
            more = len(problems) - MAX_PROBLEMS_SHOWN
            lines.append(self.t("quizzes.import.more", count=more))
        return "\n".join(lines)

    def announcement(self, quiz: ScheduledQuiz, *, reminder: bool) -> Card:
        key = "quizzes.schedule.reminder" if reminder else "quizzes.schedule.announce"
        return Card(
            title=self.t(key, when=self.when(quiz.starts_at)),
            text=self.t(
                "quizzes.schedule.details_one"
                if quiz.questions == 1
                else "quizzes.schedule.details",
                bank=quiz.bank,
                questions=quiz.questions,
                seconds=quiz.seconds,
            ),
            footer=f"#{quiz.id}",
            color=BLUE,
        )

    def scheduled(
        self, quizzes: Sequence[ScheduledQuiz], channel: Callable[[ScheduledQuiz], str]
    ) -> Card:
        if not quizzes:
            return Card(
                title=self.t("quizzes.scheduled.title"), text=self.t("quizzes.scheduled.empty")
            )
        fields = tuple(
            Field(
                f"#{quiz.id} · {self.when(quiz.starts_at)}",
                self.t(
                    "quizzes.scheduled.entry",
                    bank=quiz.bank,
                    channel=channel(quiz),
                    questions=quiz.questions,
                    seconds=quiz.seconds,
                ),
            )
            for quiz in quizzes[:25]
        )
        return Card(title=self.t("quizzes.scheduled.title"), fields=fields, color=BLUE)
