"""Shared steps of the crisis alert's tests: members who complain, minute by minute."""

from __future__ import annotations

import re

from tests.harness import TestBot

ALERT = {"it": "🚨 URGENTE: picco di lamentele", "en": "🚨 URGENT: complaints are spiking"}
OVER = {"it": "✅ Allerta crisi rientrata", "en": "✅ Crisis alert over"}
COMPLAINTS = {
    "it": [
        "non funziona niente",
        "vergognatevi",
        "rimborso subito",
        "ennesimo disservizio, complimenti",
        "L'APP NON PARTE PIÙ!!!",
        "che schifo, ho perso tutti i dati",
        "non riesco ad accedere da stamattina",
        "siete una vergogna",
    ],
    "en": [
        "app broken again",
        "worst update ever",
        "I want a refund",
        "nothing works since the update",
        "THE APP WON'T OPEN!!!",
        "this is unacceptable",
        "can't log in since this morning",
        "shame on you",
    ],
}
CHAT = {
    "it": ["ciao a tutti", "stasera torneo?", "bellissimo il nuovo evento", "chi gioca?"],
    "en": ["hi all", "tournament tonight?", "love the new event", "who's playing?"],
}


async def crowd(bot: TestBot, count: int = 12) -> None:
    await bot.say("join @sara as staff", *(f"join @m{number}" for number in range(count)))


async def complain_for(bot: TestBot, language: str, minutes: int, per_minute: int = 2) -> str:
    """Members complain in #generale, `per_minute` of them a minute, the clock moving on."""
    said = ""
    lines = COMPLAINTS[language]
    for minute in range(minutes):
        for turn in range(per_minute):
            number = (minute * per_minute + turn) % 12
            said += await bot.say(f"@m{number} in #general: {lines[number % len(lines)]}") + "\n"
        said += await bot.advance("1m") + "\n"
    return said


def alerts_posted(output: str, language: str) -> int:
    """New alert messages, not edits: an edit is printed as `✎ …` before its text."""
    return len(re.findall(r"\[#staff\] (?!✎)[^\n]*" + re.escape(ALERT[language]), output))
