"""`python -m benchmarks`: every benchmark, each against its own baseline."""

from __future__ import annotations

import asyncio
import sys

from benchmarks.crisis import measure_crisis
from benchmarks.digest import report as digest_report
from benchmarks.heap import report as heap_report
from benchmarks.load import report as load_report
from benchmarks.netiquette import measure_netiquette
from benchmarks.parser import measure_parser
from benchmarks.question_burst import report as burst_report
from benchmarks.questions import report as questions_report
from benchmarks.votes import measure_votes
from benchmarks.writers import measure_writers


def main() -> int:
    results = [measure_parser(), *asyncio.run(measure_votes())]
    for result in results:
        sys.stdout.write(result.report() + "\n")
    sys.stdout.write(asyncio.run(measure_writers()) + "\n")
    sys.stdout.write(heap_report() + "\n")
    sys.stdout.write(questions_report() + "\n")
    sys.stdout.write(burst_report() + "\n")
    sys.stdout.write(measure_netiquette() + "\n")
    sys.stdout.write(digest_report() + "\n")
    sys.stdout.write(measure_crisis() + "\n")
    sys.stdout.write(load_report() + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
