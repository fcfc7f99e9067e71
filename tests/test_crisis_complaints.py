"""Recognising complaints: the issue's examples, negation, intensity, false friends, and
precision and recall on the held-out half of the labelled set in each language."""

from __future__ import annotations

from pathlib import Path

import pytest

from cogs.crisis.complaints import classify, is_complaint

DATA = Path(__file__).parent / "data" / "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "non funziona niente",
        "ennesimo disservizio",
        "vergognatevi",
        "rimborso subito",
        "app broken again",
        "worst update ever",
        "I want a refund",
        "Non è possibile, l'app NON SI APRE!!!",
        "still no refund after two weeks",
        "niente rimborso, vergogna",
    ],
)
def test_complaints(text: str) -> None:
    assert is_complaint(text), classify(text)


@pytest.mark.parametrize(
    "text",
    [
        "this game kills me lol",
        "la nuova mappa spacca",
        "il trailer è da paura",
        "not bad at all",
        "non male questa patch",
        "finalmente funziona tutto, grazie",
        "come si cambia la password?",
        "FINALMENTE!!! che bello",
        "that boss fight was insane",
    ],
)
def test_not_complaints(text: str) -> None:
    assert not is_complaint(text), classify(text)


def test_shouting_makes_a_gripe_a_complaint_and_leaves_joy_alone() -> None:
    assert not is_complaint("un po' lento oggi")
    assert is_complaint("UN PO' LENTO OGGI!!!")
    assert not is_complaint("WE WON!!!")


def test_negation_reverses_what_works() -> None:
    assert not is_complaint("il login funziona")
    assert is_complaint("il login non funziona")
    assert is_complaint("the login doesn't work")
    assert not is_complaint("the login works")


def _scores(name: str) -> tuple[float, float]:
    found = right = relevant = 0
    for line in (DATA / name).read_text("utf-8").splitlines():
        label, text = line.split("\t", 1)
        guessed, gold = is_complaint(text), label == "complaint"
        found += guessed
        relevant += gold
        right += guessed and gold
    return right / found, right / relevant


@pytest.mark.parametrize("language", ["it", "en"])
def test_held_out_precision_and_recall(language: str) -> None:
    precision, recall = _scores(f"{language}-test.tsv")
    assert precision >= 0.9
    assert recall >= 0.8


def test_the_labelled_set_is_large_and_balanced() -> None:
    for language in ("it", "en"):
        lines = [
            line.split("\t", 1)
            for split in ("dev", "test")
            for line in (DATA / f"{language}-{split}.tsv").read_text("utf-8").splitlines()
        ]
        labels = [label for label, _text in lines]
        assert len(lines) >= 200
        assert set(labels) == {"complaint", "other"}
        assert 0.35 < labels.count("complaint") / len(labels) < 0.65
