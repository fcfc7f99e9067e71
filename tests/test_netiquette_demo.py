"""The netiquette demo plays from start to end: every line understood, nothing fails."""

from __future__ import annotations

from pathlib import Path

from tests.harness import TestBot

DEMO = Path(__file__).resolve().parents[1] / "docs" / "demo" / "netiquette-it.txt"


async def test_the_netiquette_demo_plays_through(bot: TestBot) -> None:
    said = await bot.say(*DEMO.read_text(encoding="utf-8").splitlines())
    assert not [line for line in said.splitlines() if line.startswith("? ")]
    assert "Qualcosa è andato storto" not in said
    assert said.count("ripubblicato a nome di @alice") == 1
    assert "@alice silenziato/a fino a" in said
    assert "Questa espressione regolare non è valida" in said
