"""The draw is fair and auditable: recomputed here by a function written from the README's
description alone, and by the standalone script anyone can run."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections import Counter
from pathlib import Path

from cogs.contests.draw import canonical, commitment, draw, entries_file, new_seed

ROOT = Path(__file__).resolve().parents[1]


def recompute(seed: str, entries: list[str], counts: list[int]) -> list[list[str]]:
    """The README's algorithm, written again: sorted ids, SHA-256("seed:i"), reject the top."""
    pool = sorted(entries)
    i = 0
    rounds: list[list[str]] = []
    for count in counts:
        won: list[str] = []
        while len(won) < count and pool:
            h = int(hashlib.sha256(f"{seed}:{i}".encode()).hexdigest(), 16)
            i += 1
            limit = (2**256 // len(pool)) * len(pool)
            if h < limit:
                won.append(pool.pop(h % len(pool)))
        rounds.append(won)
    return rounds


def test_the_commitment_is_the_sha256_of_the_seed_text() -> None:
    seed = new_seed()
    assert len(seed) == 64 and int(seed, 16) >= 0
    assert commitment(seed) == hashlib.sha256(seed.encode()).hexdigest()
    assert new_seed() != seed


def test_a_draw_and_its_rerolls_are_recomputed_independently() -> None:
    entries = [f"member{number}" for number in range(37)] + ["1000", "999", "Zoe", "alice"]
    for _ in range(20):
        seed = new_seed()
        first = draw(seed, entries, 3)
        second = draw(seed, [e for e in entries if e not in first.winners], 2, first.next_counter)
        assert recompute(seed, entries, [3, 2]) == [list(first.winners), list(second.winners)]
        assert len(set(first.winners) | set(second.winners)) == 5


def test_more_winners_than_entries_draws_everyone_once() -> None:
    result = draw(new_seed(), ["b", "a", "c"], 10)
    assert sorted(result.winners) == ["a", "b", "c"]
    assert draw(new_seed(), [], 3).winners == ()


def test_the_entries_file_is_canonical() -> None:
    assert entries_file(["bob", "alice", "bob", "10", "9"]) == b"10\n9\nalice\nbob\n"
    assert canonical(["b", "a"]) == ["a", "b"]


def test_every_entry_is_equally_likely() -> None:
    # Three entries: 2**256 is not a multiple of 3, so without rejection the first would be
    # favoured by a (tiny) margin; here we check the spread over many seeds is even.
    wins = Counter(draw(f"{number:064x}", ["a", "b", "c"], 1).winners[0] for number in range(3000))
    assert all(900 < wins[name] < 1100 for name in "abc"), wins


def test_the_standalone_script_agrees(tmp_path: Path) -> None:
    entries = ["carla", "alice", "bob", "dario", "elena"]
    seed = new_seed()
    listing = tmp_path / "entries.txt"
    listing.write_bytes(entries_file(entries))
    expected = recompute(seed, entries, [2, 1])
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "docs" / "verify_draw.py"),
            "--seed",
            seed,
            "--commitment",
            commitment(seed),
            "--entries",
            str(listing),
            "--winners",
            "2",
            "--reroll",
            "1",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "commitment ok" in done.stdout
    assert f": {', '.join(expected[0])}\n" in done.stdout
    assert "reroll 1 (counters" in done.stdout and done.stdout.rstrip().endswith(expected[1][0])
    wrong = subprocess.run(
        [
            sys.executable,
            str(ROOT / "docs" / "verify_draw.py"),
            "--seed",
            seed,
            "--commitment",
            "0" * 64,
            "--entries",
            str(listing),
            "--winners",
            "1",
        ],
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 1 and "MISMATCH" in wrong.stdout
