"""A closed poll's results as a CSV file for staff: one row per option."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.core.model import Attachment
from cogs.polls.service import PollView

# A cell a spreadsheet would run as a formula (an option typed as "=1+1") is quoted.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA) else text


def results_csv(poll: PollView, header: Sequence[str]) -> Attachment:
    """Position, option, votes, share of voters, and who voted unless the poll is anonymous.
    UTF-8 with a byte-order mark, so spreadsheets show accented letters right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for option in poll.options:
        share = option.votes / poll.voters if poll.voters else 0.0
        voters = "" if poll.anonymous else "; ".join(option.voters)
        writer.writerow(
            _cell(value)
            for value in (option.position + 1, option.label, option.votes, f"{share:.4f}", voters)
        )
    data = buffer.getvalue().encode("utf-8-sig")
    return Attachment(f"poll-{poll.id}-results.csv", data, "text/csv")
