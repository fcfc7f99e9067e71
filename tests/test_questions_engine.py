"""The recurring-question engine as the cog and the analysis use it: what counts as a
question, which questions group together, and vectors that survive the database."""

from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogs.questions.encoder import encode
from cogs.questions.engine import VECTOR_BYTES, Grouper, group_texts, is_question
from cogs.questions.frames import frame
from cogs.questions.normalize import words
from cogs.questions.polarity import sides

QUESTIONS = [
    "come resetto la password?",
    "nn riesco a cambiare la pw",
    "password dimenticata, help",
    "xké il bot nn risponde",
    "qualcuno sa quando inizia il torneo",
    "c'è un modo per esportare i dati",
    "il torneo quando comincia",
    "how do i reset my password",
    "forgot my pw pls help",
    "can u tell me when the stream starts",
    "does anyone know where the rules are",
    "is there a way to mute notifications",
    "cmq a che ora è la live",
    "c'è una lista dei comandi del bot",  # c'è read as two words, c and e
    "nn trovo il tasto per lo schermo",
    "x il torneo cosa devo fare",
    "ho ordinato una settimana fa e non è ancora arrivato",
    "the login page wont load why",  # an interrogative that ends the clause
    "for the meetup where do we go",  # an English interrogative and auxiliary inside
    "il bot risponde sempre in inglese da stamattina come lo metto in italiano",
]
NOT_QUESTIONS = [
    "ciao a tutti",
    "grazie mille!",
    "ok fatto, ora va",
    "faccio come dici tu",
    "bella partita ieri sera",
    "thanks a lot",
    "thanks a lot for the help 🙏",  # help thanked for, not asked
    "grazie mille per l'aiuto",
    "c'è il sole oggi, finalmente",  # longer than a question's opening
    "wont be here tomorrow",
    "just joined the server",
    "👍🎉",
    "",
    "   ",
    "x" * 40_000 + "?",
    "https://example.com/page?id=3",
]


@pytest.mark.parametrize("text", QUESTIONS)
def test_questions_are_recognised_without_punctuation_and_with_abbreviations(text: str) -> None:
    assert is_question(text)


@pytest.mark.parametrize("text", NOT_QUESTIONS)
def test_chat_that_asks_nothing_is_not_a_question(text: str) -> None:
    assert not is_question(text)


def _together(texts: list[str]) -> list[list[str]]:
    return [[texts[index] for index in group] for group in group_texts(texts)]


def test_paraphrases_group_and_a_question_sharing_words_stays_apart() -> None:
    texts = [
        "come resetto la password?",
        "come cambio l'email?",
        "password dimenticata, help",
        "ho dimenticato la password come faccio",
        "posso cambiare l'indirizzo email dell'account?",
    ]
    groups = _together(texts)
    assert groups[0] == [texts[0], texts[2], texts[3]]
    assert [texts[1], texts[4]] in groups


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("quando inizia il torneo?", "quando finisce il torneo?"),
        ("come importo i miei dati?", "come esporto i miei dati?"),
        ("when does the tournament start?", "when does the tournament end?"),
        ("how do i import my data?", "how do i export my data?"),
        ("how do i enable two factor auth?", "how do i disable two factor auth?"),
    ],
)
def test_near_misses_stay_apart(first: str, second: str) -> None:
    groups = group_texts([first, second, first.rstrip("?") + " pls", second.rstrip("?")])
    assert groups == [[0, 2], [1, 3]]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("how do i join the voice channel?", "how do i mute my mic in voice?"),
        ("come entro nel canale vocale?", "come spengo il microfono in vocale?"),
        ("can i get a refund for my order?", "why does my card payment fail on my order?"),
        ("come chiedo il rimborso?", "xké il pagamento nn va?"),
        ("how do i change my username?", "how do i change my avatar?"),
        ("come cambio il nickname?", "come cambio la foto profilo?"),
        ("come creo un sondaggio?", "come chiudo il sondaggio?"),
        ("how do i cancel my order?", "where is my order, how do i track it?"),
        ("come cambio la lingua del bot?", "come cambio il fuso orario del bot?"),
    ],
)
def test_same_topic_different_request_stays_apart(first: str, second: str) -> None:
    groups = group_texts([first, second, first.rstrip("?") + " pls", second.rstrip("?")])
    assert groups == [[0, 2], [1, 3]]


def test_forgetting_resetting_and_changing_a_password_is_one_request_in_both_languages() -> None:
    texts = [
        "come resetto la password?",
        "ho dimenticato la pw del mio account, come la recupero",
        "forgot my password pls help",
        "nn riesco a cambiare la pw",
    ]
    assert group_texts(texts) == [[0, 1, 2, 3]]


def test_families_are_read_across_languages_and_chat_spellings() -> None:
    italian = frame(words("nn ricordo piu la pw, come la reimposto?"))
    english = frame(words("forgot my pwd, how do i reset it"))
    assert italian == english != (0, 0)
    assert frame(words("ciao a tutti")) == (0, 0)


def test_a_vector_stored_by_the_previous_version_still_groups() -> None:
    text = "come resetto la password?"
    embedding = encode([text])[0]
    old = struct.pack("<BI", 1, sides(words(text))) + embedding.astype("<f2").tobytes()
    grouper = Grouper()
    grouper.load("c1", [(3, old)])
    hit = grouper.match("c1", grouper.vector("password dimenticata, help"))
    assert hit is not None and hit[0] == 3
    assert grouper.match("c1", grouper.vector("come cambio l'email?")) is None


def test_english_paraphrases_group() -> None:
    texts = [
        "how do i reset my password?",
        "forgot my pw pls help",
        "is there a way to recover my password",
        "where do i change my email address",
    ]
    assert group_texts(texts)[0] == [0, 1, 2]


def test_non_questions_are_left_out_of_every_group() -> None:
    texts = ["ciao a tutti", "come resetto la password?", "grazie!", "password dimenticata, help"]
    assert group_texts(texts) == [[1, 3]]


def test_vectors_round_trip_through_load() -> None:
    live = Grouper()
    vector = live.vector("come resetto la password?")
    assert isinstance(vector, bytes) and len(vector) == VECTOR_BYTES
    restarted = Grouper()
    restarted.load("c1", [(7, vector), (9, live.vector("quando finisce il torneo?"))])
    hit = restarted.match("c1", live.vector("password dimenticata, help"))
    assert hit is not None and hit[0] == 7
    assert restarted.match("c2", vector) is None


def test_a_forgotten_group_takes_no_more_questions() -> None:
    grouper = Grouper()
    grouper.add("c1", 1, grouper.vector("come resetto la password?"))
    question = grouper.vector("ho dimenticato la password come faccio")
    assert grouper.match("c1", question) is not None
    grouper.forget_group("c1", 1)
    assert grouper.match("c1", question) is None


def test_a_vector_of_another_format_is_refused() -> None:
    with pytest.raises(ValueError):
        Grouper().match("c1", b"not a vector")


def test_many_groups_are_searched_through_cells() -> None:
    grouper = Grouper()
    texts = [f"question number {number} about topic {number % 97}?" for number in range(120)]
    vectors = grouper.vectors(texts)
    for number in range(6000):
        grouper.add("big", number, vectors[number % len(vectors)])
    index = grouper.index("big")
    assert index is not None and index.cells > 0
    hit = grouper.match("big", grouper.vector("question number 5 about topic 5?"))
    assert hit is not None and hit[1] > 0.9


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_without_error(text: str) -> None:
    assert isinstance(is_question(text), bool)
    grouper = Grouper()
    vector = grouper.vector(text)
    assert len(vector) == VECTOR_BYTES
    grouper.add("c", 1, vector)
    grouper.match("c", vector)


def test_a_stored_vector_of_another_version_is_skipped_at_load() -> None:
    grouper = Grouper()
    good = grouper.vector("come resetto la password?")
    grouper.load("c1", [(1, b"\x00old"), (2, good)])
    hit = grouper.match("c1", grouper.vector("password dimenticata, help"))
    assert hit is not None and hit[0] == 2
