"""The netiquette's compiled pattern sets: what they find, and the files they are kept in
so that a restart loads the curated lists in milliseconds instead of compiling them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cogs.netiquette import pattern_set
from cogs.netiquette.pattern_set import PatternSet
from cogs.netiquette.quick import QuickScan, QuickWords
from cogs.netiquette.scan import Scan

WORDS = ["c+a+z{2,}o+", "s+t+u+p+i+d+", "(?:^|[^a-z])id+i+o+t+(?:[^a-z]|$)"]


@pytest.fixture
def folder(tmp_path: Path, cache_dir: Path) -> Iterator[Path]:
    pattern_set.keep_in(tmp_path)
    yield tmp_path
    pattern_set.keep_in(cache_dir)


def test_a_set_answers_which_patterns_a_text_holds() -> None:
    found = PatternSet(WORDS)
    assert sorted(found(b"che cazzzo, stuuupid")) == [0, 1]
    assert found(b"an idiot") == [2]
    assert found(b"idiotic ideas") == []
    assert found(b"") == []


def test_a_pattern_of_non_ascii_letters_repeats_the_letter_not_its_last_byte() -> None:
    found = PatternSet(["(?:é){2,}", "ß+"])
    assert found("ééé".encode()) == [0]
    assert found("é".encode()) == []
    assert found("straße".encode()) == [1]


def test_an_empty_set_is_refused() -> None:
    with pytest.raises(ValueError):
        PatternSet([])


def test_a_named_set_is_kept_and_loaded_again_with_the_same_answers(folder: Path) -> None:
    first = PatternSet(WORDS, kept_as="lists")
    kept = list(folder.glob("patterns-lists-*.hs"))
    assert len(kept) == 1
    written = kept[0].stat().st_mtime_ns
    again = PatternSet(WORDS, kept_as="lists")
    assert kept[0].stat().st_mtime_ns == written  # loaded, not compiled and written again
    for text in (b"cazzo", b"you idiot", b"stupid cazzo", b"scoglio"):
        assert sorted(again(text)) == sorted(first(text))


def test_an_unnamed_set_leaves_no_file(folder: Path) -> None:
    PatternSet(WORDS)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("damage", ["foreign", "cut short", "one byte changed"])
def test_a_damaged_file_is_compiled_and_written_again(folder: Path, damage: str) -> None:
    PatternSet(WORDS, kept_as="lists")
    [kept] = folder.glob("patterns-lists-*.hs")
    whole = kept.read_bytes()
    if damage == "foreign":
        broken = b"not a database"
    elif damage == "cut short":
        broken = whole[: len(whole) // 2]
    else:
        middle = len(whole) // 2
        broken = whole[:middle] + bytes([whole[middle] ^ 0xFF]) + whole[middle + 1 :]
    kept.write_bytes(broken)
    found = PatternSet(WORDS, kept_as="lists")
    assert found(b"stupid") == [1]
    assert kept.read_bytes() == whole


def test_new_lists_replace_the_file_of_the_old_ones(folder: Path) -> None:
    PatternSet(WORDS, kept_as="lists")
    PatternSet(["b+a+n+a+n+a+"], kept_as="other")
    PatternSet([*WORDS, "s+c+e+m+o+"], kept_as="lists")
    assert len(list(folder.glob("patterns-lists-*.hs"))) == 1
    assert len(list(folder.glob("patterns-other-*.hs"))) == 1


def test_a_folder_that_cannot_be_made_still_gives_a_working_set(
    tmp_path: Path, cache_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    pattern_set.keep_in(blocker / "cache")  # a folder inside a file: never made
    try:
        found = PatternSet(WORDS, kept_as="lists")
    finally:
        pattern_set.keep_in(cache_dir)
    assert found(b"cazzo") == [0]
    assert "not kept" in caplog.text


def test_the_quick_scan_and_the_scan_keep_their_sets_under_their_names(folder: Path) -> None:
    from cogs.netiquette.lexicon import Entry, Matcher, Spec

    entry = Entry("stupid", ((Spec.parse("stupid"),),))
    QuickScan([QuickWords((entry,))], kept_as="quick")
    Scan([Matcher([entry])], kept_as="scan")
    names = sorted(path.name.rsplit("-", 1)[0] for path in folder.iterdir())
    assert names == ["patterns-quick-bounded", "patterns-quick-loose", "patterns-scan"]
