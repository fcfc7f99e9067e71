"""Opposite actions: "when does it start" and "when does it end" are near neighbours for any
embedding, yet two different questions. Each word stem points at one side of an axis; two
questions that take opposite sides of one axis are never the same question."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

_PROCEDURE = ("come", "how", "dove", "where")

# axis: (one side, the other side); stems of Italian and English words, matched as prefixes.
AXES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "start-end": (
        (
            "inizi",
            "comincia",
            "cominci",
            "parte",
            "partono",
            "avvi",
            "start",
            "begin",
            "began",
            "kick",
            "apertur",
            "open",
        ),
        (
            "fine",
            "finisc",
            "finir",
            "finit",
            "termin",
            "conclu",
            "chiud",
            "chiusur",
            "end",
            "finish",
            "over",
            "wrap",
            "clos",
            "scad",
        ),
    ),
    "import-export": (
        ("import", "bring"),
        ("export", "esport", "backup"),
    ),
    "on-off": (
        (
            "attiv",
            "abilit",
            "accend",
            "enabl",
            "activat",
            "turn on",
            "switch on",
            "set up",
            "setup",
        ),
        (
            "disattiv",
            "disabilit",
            "spegn",
            "spent",
            "disabl",
            "deactiv",
            "turn off",
            "switch off",
            "mute",
            "silenz",
            "silenc",
            "togli",
            "remov",
            "stop",
        ),
    ),
    "create-delete": (
        ("crea", "registr", "sign up", "signup", "make", "apri"),
        ("elimin", "cancell", "delet", "rimuov", "chiud", "close", "get rid"),
    ),
    "join-leave": (
        ("iscriv", "iscrizion", "partecip", "prenot", "join", "regist", "sign up", "book"),
        (
            "disdic",
            "disdett",
            "annull",
            "cancel",
            "unregist",
            "back out",
            "leav",
            "esc",
            "uscir",
            "tolg",
            "togli",
            "take my name off",
        ),
    ),
    "upload-download": (
        ("caric", "upload", "alleg", "attach", "invi", "send"),
        ("scaric", "download", "install", "ricev", "receiv"),
    ),
    "add-remove": (
        ("aggiung", "add", "metter", "mett"),
        ("togli", "rimuov", "remov", "elimin", "delet"),
    ),
    "login-logout": (
        ("login", "log in", "accedi", "acced", "entr", "sign in"),
        ("logout", "log out", "disconnett", "esci", "uscir", "sign out"),
    ),
    "buy-sell": (("compr", "acquist", "buy", "bought", "purchas"), ("vend", "sell", "sold")),
    "more-less": (
        ("aument", "alz", "increas", "raise"),
        ("diminu", "abbass", "ridu", "decreas", "lower", "reduc"),
    ),
    "public-private": (("pubblic", "public"), ("privat", "private")),
    "before-after": (("prima", "before"), ("dopo", "after")),
    # What kind of answer is wanted: a price or a time is not a procedure ("quanto costa
    # l'iscrizione?" and "come rinnovo l'iscrizione?" share a topic, not a question).
    "price-procedure": (
        (
            "costa",
            "costo",
            "costi",
            "prezz",
            "gratis",
            "gratuit",
            "how_much",
            "price",
            "cost",
            "expensive",
            "cheap",
        ),
        _PROCEDURE,
    ),
    "time-procedure": (
        (
            "quando",
            "a che ora",
            "orari",
            "what time",
            "when",
            "schedule",
            "how_long",
            "entro quanto",
        ),
        _PROCEDURE,
    ),
}
# Compounds whose first word alone would read as another kind of question.
_COMPOUNDS = (
    ("how much", "how_much"),
    ("how many", "how_much"),
    ("how long", "how_long"),
    ("how often", "how_long"),
    ("come mai", "why"),
    ("quanto tempo", "how_long"),
)


_AXIS_NAMES = tuple(AXES)
_FIRST_SIDES = sum(1 << (2 * index) for index in range(len(_AXIS_NAMES)))
_SECOND_SIDES = _FIRST_SIDES << 1


def sides(words: Iterable[str]) -> int:
    """The sides a question's words take, as bits: 2·axis for the first, 2·axis+1 the other."""
    text = " " + " ".join(words) + " "
    for compound, joined in _COMPOUNDS:
        text = text.replace(f" {compound} ", f" {joined} ")
    taken = 0
    for index, poles in enumerate(AXES.values()):
        for side, stems in enumerate(poles):
            if any(f" {stem}" in text for stem in stems):
                taken |= 1 << (2 * index + side)
    return taken


def opposed(query: int, groups: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """For each group: a side the question takes alone is opposite to one the group takes
    alone, so the question asks the other thing."""
    mask = np.uint32(query)
    only_query = mask & ~groups
    only_group = groups & ~mask
    flipped = ((only_query & _FIRST_SIDES) << 1) | ((only_query & _SECOND_SIDES) >> 1)
    return np.asarray((flipped & only_group) != 0, dtype=np.bool_)
