"""Unit tests for the spoken words of a call announcement."""

from __future__ import annotations

import pytest

from server.voice.phrases import (
    PhraseError,
    call_phrase,
    digit_words,
    english_words,
    indonesian_words,
    letter_names,
    number_words,
    split_ticket_number,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (2, "dua"),
        (9, "sembilan"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (17, "tujuh belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (35, "tiga puluh lima"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (112, "seratus dua belas"),
        (200, "dua ratus"),
        (999, "sembilan ratus sembilan puluh sembilan"),
        (1000, "seribu"),
        (1001, "seribu satu"),
        (1100, "seribu seratus"),
        (2000, "dua ribu"),
        (2024, "dua ribu dua puluh empat"),
        (11000, "sebelas ribu"),
        (100000, "seratus ribu"),
        (123456, "seratus dua puluh tiga ribu empat ratus lima puluh enam"),
        (1_000_000, "satu juta"),
        (2_500_000, "dua juta lima ratus ribu"),
        (1_000_000_000, "satu miliar"),
    ],
)
def test_indonesian_words(n: int, words: str) -> None:
    assert indonesian_words(n) == words
    assert number_words(n, "id") == words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "zero"),
        (7, "seven"),
        (12, "twelve"),
        (20, "twenty"),
        (42, "forty-two"),
        (100, "one hundred"),
        (112, "one hundred twelve"),
        (2024, "two thousand twenty-four"),
        (1_000_000, "one million"),
    ],
)
def test_english_words(n: int, words: str) -> None:
    assert english_words(n) == words
    assert number_words(n, "en") == words


@pytest.mark.parametrize("n", [-1, 10**12])
def test_out_of_range(n: int) -> None:
    with pytest.raises(PhraseError):
        indonesian_words(n)
    with pytest.raises(PhraseError):
        english_words(n)


def test_digit_words() -> None:
    assert digit_words("007") == "nol nol tujuh"
    assert digit_words("120", "en") == "one two zero"
    with pytest.raises(PhraseError):
        digit_words("1a")


def test_letter_names_cover_alphabet() -> None:
    names = letter_names("id")
    assert len(names) == 26
    assert names["A"] == "a"
    assert names["R"] == "er"
    assert names["Z"] == "zet"
    assert letter_names("en")["W"] == "double-you"


@pytest.mark.parametrize(
    ("number", "parts"),
    [("R007", ("R", "007")), ("a001", ("A", "001")), (" B12 ", ("B", "12")), ("042", ("", "042"))],
)
def test_split_ticket_number(number: str, parts: tuple[str, str]) -> None:
    assert split_ticket_number(number) == parts


@pytest.mark.parametrize("number", ["", "R", "R-007", "ABCD001", "R0000001", "R 007"])
def test_split_rejects(number: str) -> None:
    with pytest.raises(PhraseError):
        split_ticket_number(number)


def test_call_phrase_indonesian() -> None:
    phrase = call_phrase("R007", 2)
    assert phrase.text == "Nomor antrean R nol nol tujuh, silakan menuju loket dua"
    assert phrase.speech == "Nomor antrean er nol nol tujuh, silakan menuju loket dua"
    assert phrase.number == "R007"
    assert phrase.lang == "id"


def test_call_phrase_counter_words() -> None:
    assert call_phrase("A001", 12).text.endswith("loket dua belas")
    assert call_phrase("A001", 10).text.endswith("loket sepuluh")


def test_call_phrase_english() -> None:
    phrase = call_phrase("A012", 3, "en")
    assert phrase.text == "Number A zero one two, please proceed to counter three"
    assert phrase.speech == "Number ay zero one two, please proceed to counter three"


def test_call_phrase_unknown_language_falls_back_to_indonesian() -> None:
    assert call_phrase("A001", 1, "fr").lang == "id"


def test_call_phrase_rejects_bad_input() -> None:
    with pytest.raises(PhraseError):
        call_phrase("R007; rm -rf /", 2)
    with pytest.raises(PhraseError):
        call_phrase("R007", -1)
