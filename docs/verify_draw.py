#!/usr/bin/env python3
"""Recompute a Ponte contest draw from what the bot published: the seed, the commitment
and the list of entries. Standard library only; Python 3.8 or newer.

    python3 verify_draw.py --seed SEED --commitment HASH --entries contest-1-entries.txt \
        --winners 3 [--reroll 1 ...]

Prints the winners in the order drawn (the first draw, then each reroll) and checks the
seed against the commitment published when the contest started.
"""

from __future__ import annotations

import argparse
import hashlib
import sys

SPACE = 2**256


def draw(seed: str, entries: list[str], count: int, counter: int) -> tuple[list[str], int]:
    """Take `count` winners from `entries` (sorted), starting at hash number `counter`."""
    winners: list[str] = []
    while len(winners) < count and entries:
        digest = hashlib.sha256(f"{seed}:{counter}".encode("ascii")).digest()
        counter += 1
        value = int.from_bytes(digest, "big")
        if value >= SPACE - SPACE % len(entries):
            continue  # rejected: keeps every entry equally likely
        winners.append(entries.pop(value % len(entries)))
    return winners, counter


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", required=True, help="the seed revealed at the draw (hex)")
    parser.add_argument("--commitment", help="the SHA-256 published at the start (hex)")
    parser.add_argument("--entries", required=True, help="the entries file: one member id a line")
    parser.add_argument("--winners", type=int, required=True, help="winners of the first draw")
    parser.add_argument(
        "--reroll", type=int, action="append", default=[], help="each reroll's count"
    )
    args = parser.parse_args(argv)

    seed = args.seed.strip().lower()
    if args.commitment is not None:
        expected = args.commitment.strip().lower()
        actual = hashlib.sha256(seed.encode("ascii")).hexdigest()
        if actual != expected:
            print(f"commitment MISMATCH: sha256(seed) = {actual}, published {expected}")
            return 1
        print("commitment ok: sha256(seed) matches what was published at the start")
    with open(args.entries, encoding="utf-8") as handle:
        entries = sorted({line.strip() for line in handle if line.strip()})
    print(f"{len(entries)} entries")
    counter = 0
    for round_number, count in enumerate([args.winners, *args.reroll]):
        winners, next_counter = draw(seed, entries, count, counter)
        label = "draw" if round_number == 0 else f"reroll {round_number}"
        print(f"{label} (counters {counter}..{next_counter - 1}): {', '.join(winners) or '-'}")
        counter = next_counter
    return 0


if __name__ == "__main__":
    sys.exit(main())
