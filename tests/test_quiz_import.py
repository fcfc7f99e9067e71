"""The GIFT and CSV importers: Moodle's own cases, our sample banks, broken files by line,
round trips, and property tests that they never raise anything but a reported BankError."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.model import Attachment
from cogs.quizzes.bank import FALSE, TRUE, TRUE_FALSE, BankError, Question
from cogs.quizzes.banks import read_file
from cogs.quizzes.csvbank import parse_csv, write_csv
from cogs.quizzes.gift import parse_gift, write_gift

DATA = Path(__file__).parent / "data" / "quizzes"


def problems(text: str, parser: object = parse_gift) -> list[tuple[int, str]]:
    with pytest.raises(BankError) as caught:
        parser(text)  # type: ignore[operator]
    return [(problem.line, problem.key.rsplit(".", 1)[-1]) for problem in caught.value.problems]


def one(text: str) -> Question:
    (question,) = parse_gift(text)
    return question


# -- Moodle's own cases (question/format/gift/tests/giftformat_test.php) -------------


def test_multichoice_with_feedback_and_format_markers() -> None:
    question = one(
        "// multiple choice with specified feedback for right and wrong answers\n"
        "::Q2:: What's between orange and green in the spectrum?\n"
        "{\n    =yellow # right; good!\n    ~red # [html]wrong, it's yellow\n"
        "    ~[plain]blue # wrong, it's yellow\n}"
    )
    assert question.text == "What's between orange and green in the spectrum?"
    assert question.answers == ("yellow", "red", "blue")
    assert question.explanation == "right; good!"  # the right answer's feedback


def test_weights_of_partial_credit_are_reported_with_their_line() -> None:
    multi = (
        "::colours:: What's between orange and green in the spectrum?\n{\n"
        "    ~%50%yellow # right; good!\n    ~%-100%red # [html]wrong\n"
        "    ~%50%off-beige # right; good!\n    ~%-100%[plain]blue # wrong\n}"
    )
    assert problems(multi) == [(3, "partial_credit")]
    tricky = "::c:: Which?\n{\n    ~%100%yellow # right\n    ~%-50%red\n    ~%-50%blue\n}"
    assert problems(tricky) == [(4, "partial_credit")]


def test_a_hundred_percent_tilde_is_the_right_answer() -> None:
    assert one("Which? {~%100%yellow ~red ~blue}").answers == ("yellow", "red", "blue")


def test_true_false_in_every_spelling_with_feedback() -> None:
    question = one(
        "// true/false\n::Q1:: 42 is the Absolute Answer to everything.{\n"
        "FALSE#42 is the Ultimate Answer.#You gave the right answer.}"
    )
    assert question.kind == TRUE_FALSE and question.answers == (FALSE, TRUE)
    # Moodle: the second feedback is shown to who answers false, here the right answer.
    assert question.explanation == "You gave the right answer."
    for spelling in ("T", "TRUE", "true"):
        assert one(f"// name 0-11\n::2-08 TSL::TSL is blablabla.{{{spelling}}}").right == TRUE
    assert one("Two is odd.{F}").right == FALSE


def test_general_feedback_after_four_hashes() -> None:
    question = one("Which? {=a ~b ####[html]Here is some <b>general</b> feedback!}")
    assert question.explanation == "Here is some general feedback!"


@pytest.mark.parametrize(
    ("gift", "kind"),
    [
        ("// essay\n::Q8:: How are you? {}", "unsupported_essay"),
        ("::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}", "unsupported_numeric"),
        (
            "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
            "    =[html]An activity supporting asynchronous discussions. -> Forum\n"
            "    =[moodle]A teacher asks a question. -> Choice\n    = -> Chat\n}",
            "unsupported_matching",
        ),
        ("::Short::Which is best?{\n =Frog#Good!\n =Cat\n}", "unsupported_short_answer"),
        ("A plain description with no answers.", "description"),
    ],
)  # fmt: skip
def test_types_a_button_quiz_cannot_play_are_named(gift: str, kind: str) -> None:
    line = 2 if gift.startswith("//") else 1  # a comment line is not the question's
    assert problems(gift) == [(line, kind)]


def test_escapes_and_backslashes() -> None:
    question = one("::double backslash:: A \\\\ B \\\\\\\\ C? {=\\{x\\} ~a \\= b ~c \\# d \\~ e}")
    assert question.text == "A \\ B \\\\ C?"
    assert question.answers == ("{x}", "a = b", "c # d ~ e")


def test_html_question_over_several_lines_with_escaped_braces() -> None:
    question = one(
        "::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n"
        "    public void test() \\{\n        method1();\n    \\}\n</pre>\n{=1 ~2}"
    )
    assert question.text.startswith("What would running the test method print?")
    assert "test() {" in question.text and question.answers == ("1", "2")


def test_comments_tags_titles_and_categories() -> None:
    (first, second) = parse_gift(
        "// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
        "$CATEGORY: $course$/top/Storia/Roma [id:x]\n\n"
        "::Question name:: How are you? {=Well ~Badly}\n\n"
        "$CATEGORY: Geografia\n\n"
        "Moodle costs {~lots of money =nothing ~a small amount} to download."
    )
    assert (first.text, first.category) == ("How are you?", "Roma")
    assert second.text == "Moodle costs _____ to download." and second.category == "Geografia"
    assert one("Roma fu fondata nel {=753 a.C. ~509 a.C.}.").text == "Roma fu fondata nel _____."


# -- our sample banks ----------------------------------------------------------


def test_the_italian_sample_bank() -> None:
    source, questions = read_file(Attachment("storia.gift", (DATA / "storia.gift").read_bytes()))
    assert source == "gift" and len(questions) == 5
    assert {question.category for question in questions} == {"Roma antica", "Risorgimento"}
    assert questions[2].text == "Chi guidò la spedizione\ndei Mille?"
    assert questions[3].explanation == "Dal 1865 al 1871."
    assert questions[4].right == "Il segno = (uguale)"


def test_every_bad_question_of_a_broken_gift_file_by_line() -> None:
    with pytest.raises(BankError) as caught:
        read_file(Attachment("broken.gift", (DATA / "broken.gift").read_bytes()))
    found = [(problem.line, problem.key.rsplit(".", 1)[-1]) for problem in caught.value.problems]
    assert found == [
        (2, "unsupported_essay"),
        (4, "unsupported_numeric"),
        (7, "partial_credit"),
        (12, "unsupported_matching"),
        (17, "unsupported_short_answer"),
        (19, "missing_close"),
        (21, "answer_too_long"),
        (26, "duplicate_answers"),
        (28, "no_right_answer"),
    ]


def test_italian_excel_csv_with_semicolons_and_a_bom() -> None:
    source, questions = read_file(Attachment("storia.csv", (DATA / "storia.csv").read_bytes()))
    assert source == "csv" and len(questions) == 3
    assert questions[0].answers == ("476", "410", "1453", "800")
    assert questions[1].text == 'Chi scrisse la "Divina Commedia"?'
    assert (questions[2].category, questions[2].difficulty) == ("Geografia", "facile")


def test_every_bad_row_of_a_broken_csv_by_line() -> None:
    with pytest.raises(BankError) as caught:
        read_file(Attachment("broken.csv", (DATA / "broken.csv").read_bytes()))
    found = [(problem.line, problem.key.rsplit(".", 1)[-1]) for problem in caught.value.problems]
    assert found == [
        (3, "no_right_answer"),
        (4, "duplicate_answers"),
        (5, "duplicate_question"),
        (6, "extra_cells"),
    ]


def test_csv_with_pipes_tabs_and_a_missing_column() -> None:
    questions = parse_csv("question\tanswer\twrong\nSky?\tBlue\tGreen | Red\n")
    assert questions[0].answers == ("Blue", "Green", "Red")
    assert problems("question,answer\nSky?,Blue\n", parse_csv) == [(1, "missing_columns")]


def test_binary_and_non_utf8_files_are_refused_whole() -> None:
    with pytest.raises(BankError) as caught:
        read_file(Attachment("bank.gift", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))
    assert caught.value.problems[0].key == "quizzes.file.binary"
    with pytest.raises(BankError) as caught:
        read_file(Attachment("latin1.csv", (DATA / "latin1.csv").read_bytes()))
    assert [(p.line, p.key) for p in caught.value.problems] == [(2, "quizzes.file.not_utf8")]


def test_limits_too_many_answers_and_too_many_questions() -> None:
    assert problems("Q? {=a ~b ~c ~d ~e ~f}") == [(1, "too_many_answers")]
    many = "\n\n".join(f"Q{number}? {{=a ~b}}" for number in range(501))
    assert problems(many)[-1] == (0, "too_many_questions")


# -- round trips ---------------------------------------------------------------


def _same(first: tuple[Question, ...], second: tuple[Question, ...]) -> None:
    strip = [(q.text, q.answers, q.explanation, q.category, q.kind) for q in first]
    assert strip == [(q.text, q.answers, q.explanation, q.category, q.kind) for q in second]


def test_gift_export_reads_back_the_same() -> None:
    questions = parse_gift((DATA / "storia.gift").read_text(encoding="utf-8"))
    _same(parse_gift(write_gift(questions)), questions)


def test_csv_export_reads_back_the_same() -> None:
    questions = parse_csv((DATA / "storia.csv").read_text(encoding="utf-8-sig"))
    again = parse_csv(write_csv(questions, delimiter=";"))
    _same(again, questions)
    assert [q.difficulty for q in again] == [q.difficulty for q in questions]


# -- property tests ------------------------------------------------------------

GIFT_ALPHABET = st.sampled_from([*list("{}=~#%:\\/$-> \n\tabTF01[]"), "####", "//", "::"])


@settings(max_examples=300, deadline=None)
@given(st.lists(GIFT_ALPHABET, max_size=80).map("".join))
def test_gift_parser_raises_only_bank_errors(text: str) -> None:
    with contextlib.suppress(BankError):
        parse_gift(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_gift_parser_on_any_text(text: str) -> None:
    with contextlib.suppress(BankError):
        parse_gift(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*list(',;\t"|\n ab'), "question", "answer", "wrong"]), max_size=60)
)
def test_csv_parser_raises_only_bank_errors(parts: list[str]) -> None:
    with contextlib.suppress(BankError):
        parse_csv("".join(parts))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_csv_parser_on_any_text(text: str) -> None:
    with contextlib.suppress(BankError):
        parse_csv(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from(["b.gift", "b.csv", "b.bin"]))
def test_any_bytes_are_imported_or_refused_clearly(data: bytes, name: str) -> None:
    try:
        read_file(Attachment(name, data))
    except BankError as error:
        assert error.problems


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(
                st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")),
                min_size=1,
                max_size=40,
            ),
            st.lists(
                st.text("abcxyz=~#{}:\\ ", min_size=1, max_size=12),
                min_size=2,
                max_size=5,
                unique=True,
            ),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_what_the_gift_writer_writes_reads_back(items: list[tuple[str, list[str]]]) -> None:
    questions = []
    for text, answers in items:
        cleaned = tuple(" ".join(answer.split()) for answer in answers)
        if (
            " ".join(text.split())
            and all(cleaned)
            and len({a.casefold() for a in cleaned}) == len(cleaned)
        ):
            questions.append(Question(" ".join(text.split()), cleaned))
    texts = [" ".join(q.text.casefold().split()) for q in questions]
    if not questions or len(set(texts)) != len(texts):
        return
    _same(parse_gift(write_gift(questions)), tuple(questions))


@pytest.mark.parametrize(
    ("gift", "kind"),
    [
        ("::Title Which? {=a ~b}", "unclosed_title"),
        ("Which? =a ~b}", "missing_open"),
        ("Which? {=a ~b {=c}}", "nested_braces"),
        ("Which? {a ~b}", "text_before_answers"),
        ("Which? {=a =b ~c}", "several_right"),
        ("Which? {=a ~b ~}", "empty_answer"),
        ("{=a ~b}", "no_question"),
    ],
)
def test_broken_syntax_is_named(gift: str, kind: str) -> None:
    assert problems(gift) == [(1, kind)]
