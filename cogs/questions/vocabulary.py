"""The encoder's vocabulary in a MARISA trie instead of a dict of strings.

The encoder's tokenizer finds the pieces a text is cut into by asking a table, for each
prefix of what is left of the text, whether a piece starts or is that prefix. The package
keeps that table as a dict of its 250,952 prefixes, and the 128,000 pieces as a list of
strings: 30 MiB of Python objects in every process. The same answers come from one trie of
the prefixes (2 MiB, in C++) and an array of what each answers: the tokenizer cuts every
text exactly as before, for about 20 µs more a question."""

from __future__ import annotations

from array import array
from collections.abc import Mapping

import marisa_trie  # type: ignore[import-not-found]  # ships no types


class PrefixTable:
    """`get(prefix)` as the tokenizer's dict answers it: None where no piece starts with
    the prefix, 0 where pieces only start with it, a piece's id + 1 where it is one."""

    __slots__ = ("_answers", "_find", "_with_nul", "trie")

    def __init__(self, prefixes: Mapping[str, int]) -> None:
        # The trie's lookup ends a query at a NUL character ("a\0" finds "a"): those few
        # are asked of a dict of their own.
        self._with_nul = {prefix: answer for prefix, answer in prefixes.items() if "\0" in prefix}
        self.trie = marisa_trie.Trie(prefix for prefix in prefixes if "\0" not in prefix)
        answers = array("i", bytes(4 * len(self.trie)))
        for prefix, answer in prefixes.items():
            if "\0" not in prefix:
                answers[self.trie[prefix]] = answer
        self._answers = answers
        self._find = self.trie.get

    def get(self, prefix: str) -> int | None:
        if "\0" in prefix:
            return self._with_nul.get(prefix)
        found = self._find(prefix)
        return None if found is None else self._answers[found]


class Pieces:
    """The pieces by id, read back from the trie that holds them as prefixes."""

    __slots__ = ("_keys", "_trie", "_with_nul")

    def __init__(self, pieces: list[str], table: PrefixTable) -> None:
        self._trie = trie = table.trie
        self._with_nul = {index: piece for index, piece in enumerate(pieces) if "\0" in piece}
        self._keys = array("i", (-1 if "\0" in piece else trie[piece] for piece in pieces))

    def __len__(self) -> int:
        return len(self._keys)

    def __getitem__(self, piece_id: int) -> str:
        key = self._keys[piece_id]
        if key < 0:
            return self._with_nul[piece_id % len(self._keys)]
        text: str = self._trie.restore_key(key)
        return text


def compact(tokenizer: object) -> bool:
    """Put the tries in place of the tokenizer's dict and list (fast-universal-sentence-
    encoder 0.2 keeps them as `_prefixes` and `_pieces`); False where it no longer does."""
    prefixes = getattr(tokenizer, "_prefixes", None)
    pieces = getattr(tokenizer, "_pieces", None)
    if not isinstance(prefixes, dict) or not isinstance(pieces, list):
        return False
    table = PrefixTable(prefixes)
    tokenizer._pieces = Pieces(pieces, table)  # type: ignore[attr-defined]
    tokenizer._prefixes = table  # type: ignore[attr-defined]
    return True


__all__ = ["Pieces", "PrefixTable", "compact"]
