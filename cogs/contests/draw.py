"""The auditable draw: a committed seed, a canonical list of entries, and a hash sequence
anyone can recompute (README, "Contests: the draw"; docs/verify_draw.py does it alone).

- seed: 32 random bytes written as 64 lowercase hex characters;
- commitment: SHA-256 of those 64 ASCII characters, hex; published when the contest starts;
- entries: the member ids, sorted as strings (code point order, which is UTF-8 byte order);
- for counter i = 0, 1, 2, …: h = SHA-256(ASCII "<seed>:<i>") read as a big-endian
  256-bit integer; with n entries left, h is rejected when h >= 2**256 - (2**256 mod n)
  (so every index is equally likely), else entry number h mod n is removed and wins;
- a reroll carries on with the same seed from the next unused counter, over the entries
  left (which is the sorted list without every earlier winner).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

SPACE = 2**256


def new_seed() -> str:
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def canonical(member_ids: Iterable[str]) -> list[str]:
    return sorted(set(member_ids))


@dataclass(frozen=True, slots=True)
class Draw:
    winners: tuple[str, ...]
    next_counter: int  # where a reroll carries on


def draw(seed: str, pool: Sequence[str], count: int, counter: int = 0) -> Draw:
    """Take `count` winners (all of them when fewer) from `pool`, in canonical order."""
    remaining = canonical(pool)
    winners: list[str] = []
    while len(winners) < count and remaining:
        digest = hashlib.sha256(f"{seed}:{counter}".encode("ascii")).digest()
        counter += 1
        value = int.from_bytes(digest, "big")
        size = len(remaining)
        if value >= SPACE - SPACE % size:
            continue  # the top sliver would favour the first entries: draw again
        winners.append(remaining.pop(value % size))
    return Draw(tuple(winners), counter)


def entries_file(member_ids: Iterable[str]) -> bytes:
    """The published list: one member id a line, in canonical order."""
    return "".join(f"{member_id}\n" for member_id in canonical(member_ids)).encode("utf-8")
