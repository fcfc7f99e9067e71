"""Masked words read back: "f*ck", "c**zo", "f***", a root inside "bullsh*t". A star hides a
letter or a few; enough must show to tell which word it was."""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=4096)
def _mask_pattern(masked: str) -> re.Pattern[str]:
    # Each hidden letter may stand for one to three: "c**o" is "cazzo", "f*ck" is "fuck".
    parts = re.split(r"(\*+)", masked)
    pattern = "".join(
        f"[a-z]{{{len(part)},{len(part) + 2}}}" if part.startswith("*") else re.escape(part)
        for part in parts
    )
    return re.compile(pattern)


def fits_mask(masked: str, form: str) -> bool:
    """Whether a word with hidden letters ("f*ck", "c**zo") can be this form."""
    return form[:1] == masked[:1] and _mask_pattern(masked).fullmatch(form) is not None


def readable_mask(masked: str) -> bool:
    """Whether enough of a masked word shows to read it: its first letter, and another
    letter or a run of hidden ones ("f*ck", "f***"; never "*" or "a*")."""
    return masked[0].isalpha() and (sum(c.isalpha() for c in masked) >= 2 or masked.count("*") >= 2)


@functools.lru_cache(maxsize=1024)
def _masked_root(root: str) -> re.Pattern[str]:
    # A root seen through masks, a star for each hidden letter: "sh*t" in "bullsh*t".
    return re.compile("".join(f"(?:{re.escape(c)}|\\*)" for c in root))


def root_in_masked(masked: str, root: str) -> bool:
    """Whether a root shows inside a masked word, two of its letters at least."""
    found = _masked_root(root).search(masked)
    return found is not None and sum(c != "*" for c in found.group()) >= 2
