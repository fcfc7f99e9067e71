"""What a question is about and what it wants done: its objects (password, email, refund,
voice channel…) and its actions (create, delete, change, recover, join, mute…), as families
of Italian and English word stems.

A sentence embedding places "how do I join voice?" next to "how do I mute myself in voice?",
and "can I get a refund?" next to "why does my payment fail?": same topic, so same
neighbourhood. A question and a group that each name an object the other does not ask about
different things; each naming actions, none in common, ask for different things. Either lowers
the question's score for that group (index.py); a question or group that names no family is
judged by its embedding alone, so words this table does not know cost nothing.

Families are broad on purpose: forgetting, resetting and changing a password are one action,
and so are cancelling and deleting. Stems match the start of a word (or of a phrase), on the
folded words with chat abbreviations spelled out (normalize.py).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

Stems = tuple[str, ...]

OBJECTS: dict[str, Stems] = {
    "password": ("password", "parola d ordine", "passw", "credenzial", "codice di accesso"),
    "email": ("email", "e mail", "posta", "indirizzo di posta"),
    "name": (
        "nickname",
        "username",
        "user name",
        "nome utente",
        "display name",
        "nome visualizzato",
        "soprannome",
        "handle",
        "rinomin",
        "rename",
    ),
    "picture": (
        "avatar",
        "profile picture",
        "profile photo",
        "foto profilo",
        "foto del profilo",
        "immagine profilo",
        "immagine del profilo",
        "propic",
    ),
    "language": ("lingua", "language", "italiano", "inglese", "english", "italian", "traduzion"),
    "timezone": ("fuso", "timezone", "time zone", "ora locale", "orario locale", "local time"),
    "notification": ("notific", "ping", "avvis", "alert"),
    "role": ("ruol", "role"),
    "payment": (
        "pagament",
        "pagare",
        "pago ",
        "card",
        "carta",
        "payment",
        "pay ",
        "paying",
        "checkout",
        "transaz",
        "transaction",
        "addebit",
        "declin",
        "rifiutat",
    ),
    "refund": ("rimbors", "refund", "money back", "soldi indietro", "restitui", "i soldi"),
    "order": ("ordin", "order", "pacco", "package", "parcel", "acquisto"),
    "shipping": (
        "spedizion",
        "spedi",
        "shipping",
        "ship",
        "consegn",
        "deliver",
        "corriere",
        "courier",
    ),
    "invite": ("invit",),
    "poll": ("sondagg", "poll", "votazion"),
    "tournament": ("torneo", "tornei", "tournament"),
    "stream": ("live", "stream", "diretta", "dirette", "twitch"),
    "voice": ("vocal", "voice", "chiamata", "call", "vc "),
    "microphone": ("microfon", "mic ", "microphone", "farmi sentire", "hearing me", "hear me"),
    "app": ("app ", "applicazion", "play store", "app store", "iphone", "android", "apk"),
    "file": ("file", "document", "pdf", "allegat", "attach", "alleg"),
    "rules": ("regol", "rules", "rule ", "guidelines"),
    "ban": ("ban", "sospes", "suspend", "espuls", "kick"),
    "report": ("segnal", "report"),
    "twofactor": (
        "twofactor",
        "due fattori",
        "two factor",
        "two step",
        "due passaggi",
        "autenticazione a due",
        "2 step",
        "authenticator",
    ),
    "data": ("dati", "data ", "backup"),
    "subscription": ("abbonament", "subscription", "membership", "sottoscri"),
    "event": ("event", "serata"),
    "account": ("account", "profil"),
}

ACTIONS: dict[str, Stems] = {
    "create": (
        "crea",
        "creo",
        "crei",
        "creat",
        "fare un",
        "faccio un",
        "apro",
        "aprire",
        "apre",
        "apri un",
        "open a",
        "nuovo account",
        "account nuovo",
        "new account",
        "get an account",
        "lanci",
        "start a",
        "registr",
        "sign up",
        "signup",
        "make a",
        "make an",
        "set up",
        "setup",
    ),
    # Cancelling and deleting, closing and ending: what is there stops being there.
    "delete": (
        "annull",
        "disdic",
        "disdett",
        "cancel",
        "unsubscrib",
        "termin",
        "ferm",
        "chiud",
        "close",
        "end ",
        "elimin",
        "delet",
        "rimuov",
        "remov",
        "get rid",
        "togli",
    ),
    "modify": (
        "cambi",
        "modific",
        "aggiorn",
        "sostitu",
        "change",
        "edit",
        "updat",
        "replac",
        "switch",
        "rinomin",
        "rename",
        "imposta",
        "mett",
        "set ",
        # Forgetting a password and getting it back, or a new one: one request in chat.
        "reset",
        "resett",
        "reimpost",
        "recuper",
        "dimentic",
        "scord",
        "persa",
        "perso",
        "forgot",
        "forget",
        "lost",
        "recover",
        "ricord",
        "remember",
    ),
    "track": (
        "traccia",
        "tracking",
        "track",
        "stato dell",
        "status",
        "arrivat",
        "arriva",
        "arrived",
        "where is my",
        "dov e il mio",
        "dove e il mio",
    ),
    "fail": (
        "errore",
        "error",
        "fallit",
        "fail",
        "rifiut",
        "declin",
        "non va",
        "not working",
        "broken",
        "rotto",
        "non funziona",
        "does not work",
        "bug",
    ),
    "join": (
        "entr",
        "join",
        "unir",
        "unisc",
        "partecip",
        "iscriv",
        "collegar",
        "connett",
        "connect",
        "andare in",
        "get into",
        "get in",
        "take part",
        "participat",
    ),
    "silence": (
        "mute",
        "muto",
        "muta ",
        "mutare",
        "silenz",
        "speng",
        "spegn",
        "disattiv",
        "turn off",
        "switch off",
        "non farmi sentire",
        "stop people hearing",
    ),
    "upload": ("caric", "upload", "alleg", "attach"),
    "download": ("scaric", "download", "install"),
    "find": (
        "dove trovo",
        "where can i find",
        "where do i find",
        "dove sono",
        "where are",
        "link",
        "lista",
        "list",
        "elenco",
    ),
    "appeal": ("appell", "appeal", "unban", "sbann", "ricors", "revoc"),
    "expire": ("scadut", "scade", "expir", "invalid", "non valid"),
}

assert len(OBJECTS) <= 32 and len(ACTIONS) <= 32, "families are bits of a uint32"


def _bits(text: str, table: dict[str, Stems]) -> int:
    taken = 0
    for index, stems in enumerate(table.values()):
        if any(f" {stem}" in text for stem in stems):
            taken |= 1 << index
    return taken


def frame(words: Iterable[str]) -> tuple[int, int]:
    """The object families and the action families a question's words name, as bits."""
    text = " " + " ".join(words) + " "
    return _bits(text, OBJECTS), _bits(text, ACTIONS)


def disjoint(query: int, groups: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """For each group: both name families, and none in common (actions: asking to join is
    not asking to mute, while "forgot it, how do I reset it" is one request)."""
    if not query:
        return np.zeros(groups.shape, dtype=np.bool_)
    return np.asarray((groups != 0) & ((groups & np.uint32(query)) == 0), dtype=np.bool_)


def crossed(query: int, groups: npt.NDArray[np.uint32]) -> npt.NDArray[np.bool_]:
    """For each group: each names a family the other does not (objects: "refund for my
    order" and "payment for my order fails" share the order, not what is asked about it;
    "reset the password of my account" only adds to "reset my password")."""
    if not query:
        return np.zeros(groups.shape, dtype=np.bool_)
    mask = np.uint32(query)
    return np.asarray(
        (groups != 0) & ((mask & ~groups) != 0) & ((groups & ~mask) != 0), dtype=np.bool_
    )
