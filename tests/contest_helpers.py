"""What the contest tests share: closing a member's DMs on the console, reading a
published draw back, and an independent recomputation of it."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot.core.cards import Message
from bot.core.model import MessageRef
from tests.harness import TestBot

SendDm = Callable[[str, str, Message], Awaitable[MessageRef | None]]


def close_dms(bot: TestBot, *names: str) -> None:
    """These members do not accept DMs: the platform answers None, as Discord does."""
    console = bot.console
    assert console is not None
    original: SendDm = type(console).send_dm.__get__(console)

    async def send_dm(community_id: str, member_id: str, message: Message) -> MessageRef | None:
        if member_id in names:
            return None
        return await original(community_id, member_id, message)

    console.send_dm = send_dm  # type: ignore[method-assign]


def open_dms(bot: TestBot) -> None:
    assert bot.console is not None
    vars(bot.console).pop("send_dm", None)


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
            if h < (2**256 // len(pool)) * len(pool):
                won.append(pool.pop(h % len(pool)))
        rounds.append(won)
    return rounds


def published(output: str) -> tuple[str, str, list[str]]:
    """The seed, the commitment and the entries file of the newest draw in `output`."""
    seed, promised = re.findall(
        r"(?:Seme|Seed): ([0-9a-f]{64}) \(\w[^:]*: ([0-9a-f]{64})\)", output
    )[-1]
    path = re.findall(r"📎 [^/]*(/\S+entries\.txt)", output)[-1]
    entries = Path(path).read_text(encoding="utf-8").split()
    return seed, promised, entries


def drawn(output: str) -> list[str]:
    """The winners named by the newest draw announcement in `output`, in order."""
    announcement = re.findall(r"\[#[\w-]+\] (?:🎉|🎲) [^\n]*", output)[-1]
    return [name.rstrip(".") for name in re.findall(r"@([\w.\-]+)", announcement)]


def saved_file(output: str, suffix: str) -> str:
    """The text of the newest file the console saved whose name ends with `suffix`."""
    path = re.findall(rf"📎 [^/]*(/\S+{re.escape(suffix)})", output)[-1]
    return Path(path).read_bytes().decode("utf-8-sig")
