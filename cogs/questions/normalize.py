"""Chat text to its content words: case and accents folded, chat abbreviations spelled out,
and the question's frame ("come faccio a", "is there a way to", "pls help") dropped, so what
is left says what is asked, not how."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[a-z0-9]+")

# Chat spellings of both languages, spelled out. General chat usage, not any one community's.
ABBREVIATIONS: dict[str, str] = {
    # Italian
    "nn": "non",
    "n": "non",
    "xke": "perche",
    "xk": "perche",
    "xche": "perche",
    "pk": "perche",
    "cmq": "comunque",
    "qlc": "qualcuno",
    "qlcn": "qualcuno",
    "qnd": "quando",
    "qndo": "quando",
    "sn": "sono",
    "x": "per",
    "cm": "come",
    "tt": "tutti",
    "nnt": "niente",
    "msg": "messaggio",
    "cell": "telefono",
    "tel": "telefono",
    "nick": "nickname",
    "ke": "che",
    "k": "che",
    "anke": "anche",
    "dv": "dove",
    "grz": "grazie",
    "raga": "ragazzi",
    "mail": "email",
    # English
    "u": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "pw": "password",
    "pwd": "password",
    "pass": "password",
    "passwd": "password",
    "rn": "now",
    "cant": "cannot",
    "dont": "do not",
    "doesnt": "does not",
    "isnt": "is not",
    "wont": "will not",
    "im": "i am",
    "whats": "what is",
    "wheres": "where is",
    "hows": "how is",
    "notifs": "notifications",
    "notif": "notification",
    "pic": "picture",
    "pics": "pictures",
    "pfp": "profile picture",
    "sub": "subscription",
    "subs": "subscriptions",
    "tourney": "tournament",
    "dm": "direct message",
    "dms": "direct messages",
    "acc": "account",
    "e": "e",
    "ppl": "people",
    "thx": "thanks",
    "ty": "thanks",
    "btw": "",
    "idk": "",
    "info": "information",
    "2fa": "twofactor",
    "mfa": "twofactor",
    "admin": "administrator",
    "mod": "moderator",
    "mods": "moderators",
    "asap": "",
    "lol": "",
    "ok": "",
}

# The frame of a question or a plea for help in either language: what every question shares.
_FRAME_WORDS = """
    come quando perche dove posso puoi possiamo si puo qualcuno sa sapete c e ce un una uno modo
    per il lo la i gli le di da del della dello dei degli delle al alla allo ai agli alle nel
    nella nei negli nelle sul sulla sui col con a in e o ma che chi cosa mi ti ci vi ne se non
    faccio fa fare fai devo deve serve vorrei voglio riesco riesce aiuto help please grazie
    comunque ragazzi tutti qui ho hai ha sono sei mio mia miei mie tuo tua suo sua l un po
    how when why where what which who whom can could would should do does did is are am was
    were be been there any anyone anybody someone somebody know knows a an the to of for on in
    at by with from my your our their it its this that these those i you we me us please help
    thanks way possible get got need want go also just still so then now here
"""
FRAME = frozenset(_FRAME_WORDS.split())


def fold(text: str) -> str:
    """Lower case without accents: chat drops them as often as it keeps them."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    """The words of a message with chat abbreviations spelled out."""
    spelled: list[str] = []
    for token in _TOKEN.findall(fold(text)):
        spelled.extend(ABBREVIATIONS.get(token, token).split())
    return spelled


def content(text: str) -> list[str]:
    """The words that say what is asked; the whole message when it is all frame."""
    spelled = words(text)
    kept = [word for word in spelled if word not in FRAME]
    return kept or spelled
