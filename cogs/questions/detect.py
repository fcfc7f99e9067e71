"""Is this chat message a question? A question mark, an interrogative opening of any clause,
or a plea for help, in Italian or English, read after chat abbreviations are spelled out, so
"nn riesco a cambiare la pw" and "how 2 reset pw pls" count while "ok grazie" does not."""

from __future__ import annotations

import re

from cogs.questions.normalize import fold, words

# A message this long is a post, not a question to group; reading it is not free either.
MAX_CHARACTERS = 1000
_URL = re.compile(r"https?://\S+|www\.\S+")
_LETTER = re.compile(r"[^\W\d_]")
_CLAUSES = re.compile(r"[,.;:!\n()]+|\s-\s")

# Words that may open a question's clause, before the interrogative itself.
_FILLERS_WORDS = (
    "ma e allora quindi scusate scusa raga ragazzi ciao salve hey hi hello ehi yo ok oh so "
    "and but also btw guys folks sorry quick question domanda comunque senti sentite "
)
_FILLERS = frozenset(_FILLERS_WORDS.split())
# An interrogative that opens a clause.
_OPENINGS_WORDS = (
    "come quando perche dove chi cosa qual quale quali quanto quanta quanti quante posso possiamo "
    "puoi potete potrei esiste esistono ce qualcuno sapete sai how when why where what which "
    "who whom whose can could would should do does did is are am was were will has have "
    "anyone anybody someone somebody any "
)
_OPENINGS = frozenset(_OPENINGS_WORDS.split())
# Interrogatives that ask from inside a short clause too.
_INSIDE_WORDS = "quando dove perche qual quale quali quanto quanta quanti quante come chi"
_INSIDE = frozenset(_INSIDE_WORDS.split())
_SHORT = 10
_CLITICS = [[clitic] for clitic in ("lo", "la", "li", "le", "si", "mi", "ti", "ci", "vi", "ne")]
# Phrases that ask wherever they stand in the message.
_ASKING = (
    "a che ora",
    "che ora",
    "come si",
    "come faccio",
    "come posso",
    "come mai",
    "dove si",
    "dove trovo",
    "qualcuno sa",
    "qualcuno mi",
    "c e un modo",
    "ce un modo",
    "non riesco",
    "non funziona",
    "non va",
    "non mi arriva",
    "non mi funziona",
    "si puo",
    "si possono",
    "mi serve",
    "ho bisogno",
    "vorrei sapere",
    "non capisco",
    "non trovo",
    "non so come",
    "non so dove",
    "cosa devo",
    "cosa dobbiamo",
    "cosa bisogna",
    "cosa serve",
    "che devo fare",
    # Something awaited that did not come: a request for help, typed as a statement.
    "non e arrivato",
    "non e ancora arrivato",
    "non mi e arrivato",
    "non ho ricevuto",
    "aiuto",
    "help",
    "how to",
    "how do",
    "how can",
    "what time",
    "is there",
    "are there",
    "any way",
    "anyone know",
    "cannot",
    "can not",
    "does not work",
    "not working",
    "need to",
    "wondering",
    "no idea how",
    "not sure how",
    "do not know how",
    "not arrived",
    "never arrived",
    "nothing arrived",
    "has not arrived",
    "have not received",
    "did not receive",
    "did not get",
)
# Help given, thanked for: "grazie mille per l'aiuto", "thanks for all the help".
_THANKED = re.compile(
    r" (?:per|for) (?:l|il|tutto l|tutto il|the|your|all the|all your)(?: tuo| vostro)? "
    r"(?:aiuto|help) "
)
# "C'è" asks for something indefinite ("c'è una lista", "c'è qualcuno"); "c'è il sole" and
# "ce l'ho fatta" tell.
_THERE_IS_WORDS = "un una uno qualche qualcuno qualcosa nessuno niente modo bisogno"
_THERE_IS = [[word] for word in _THERE_IS_WORDS.split()]
# English asks from inside a short clause with an interrogative and an auxiliary: "for the
# meeting where do we meet".
_WH_WORDS = "how where when why what which who"
_WH = frozenset(_WH_WORDS.split())
_AUXILIARY_WORDS = "do does did is are was were can could should would will am has have"
_AUXILIARIES = frozenset(_AUXILIARY_WORDS.split())
# Interrogatives that end a clause ask too: "voice won't let me in, why", "cancel it how".
_LAST_WORDS_WORDS = "why how where when perche dove quando"
_LAST_WORDS = frozenset(_LAST_WORDS_WORDS.split())
# "Come" with a pronoun and a verb asks ("come lo metto in italiano") in a longer clause too.
_LONG = 16


def readable(text: str) -> bool:
    """Worth reading at all: not empty, not a whole post, not emoji alone."""
    return 0 < len(text) <= MAX_CHARACTERS and bool(_LETTER.search(_URL.sub(" ", text)))


def is_question(text: str) -> bool:
    """A question or a plea for help, in Italian or English."""
    if not readable(text):
        return False
    text = _URL.sub(" ", text)
    if "?" in text or "¿" in text:
        return True
    spelled = _THANKED.sub(" ", " " + " ".join(words(text)) + " ")
    if any(f" {phrase} " in spelled for phrase in _ASKING):
        return True
    return any(_opens_with_question(clause) for clause in _CLAUSES.split(fold(text)))


def _opens_with_question(clause: str) -> bool:
    spelled = _merged(words(clause))
    for position, word in enumerate(spelled):
        if word == "ce" and spelled[position + 1 : position + 2] not in _THERE_IS:
            break
        if word in _OPENINGS:
            # "won't be here" spells out to "will not …": a statement, not a question.
            return spelled[position + 1 : position + 2] != ["not"]
        if word not in _FILLERS:
            break
    if len(spelled) >= 3 and spelled[-1] in _LAST_WORDS:
        return True
    if len(spelled) > _SHORT:
        return len(spelled) <= _LONG and any(
            word == "come" and spelled[position + 1 : position + 2] in _CLITICS
            for position, word in enumerate(spelled)
        )
    return any(
        (word in _INSIDE and _asks_inside(spelled, position))
        or (
            word in _WH
            and spelled[position + 1 : position + 2]
            and spelled[position + 1] in _AUXILIARIES
        )
        for position, word in enumerate(spelled)
    )


def _merged(spelled: list[str]) -> list[str]:
    # "c'è" is read as two words, c and e: it opens a question as "ce" does.
    if "c" not in spelled:
        return spelled
    merged: list[str] = []
    for word in spelled:
        if word == "e" and merged[-1:] == ["c"]:
            merged[-1] = "ce"
        else:
            merged.append(word)
    return merged


def _asks_inside(spelled: list[str], position: int) -> bool:
    # Italian moves the interrogative after the subject ("il torneo quando comincia?"), but
    # "come" inside a clause is mostly "like" unless a pronoun and a verb follow it.
    if spelled[position] != "come":
        return True
    return spelled[position + 1 : position + 2] in _CLITICS
