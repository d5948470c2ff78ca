"""Words for a call announcement: numbers, letter names and the call phrase.

Pure functions, no I/O beyond the translation catalogs. ``number_words(7)`` is
``"tujuh"``, ``number_words(112)`` is ``"seratus dua belas"``; a ticket number
such as ``R007`` is read prefix letter by letter and then digit by digit
(``"R nol nol tujuh"``), the counter as a whole number (``"dua"``). The phrase
template, the letter names and the reading style come from the ``voice``
catalog (``voice.id.json``, ``voice.en.json``), so an office can change the
wording without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from server.i18n import catalog, normalise_language

_ID_UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen",
    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

_EN_SCALES = (
    (1_000_000_000, "billion"),
    (1_000_000, "million"),
    (1000, "thousand"),
    (100, "hundred"),
)

_TICKET_RE = re.compile(r"^([A-Za-z]*)(\d+)$")
MAX_NUMBER = 999_999_999_999


class PhraseError(ValueError):
    """The ticket number or counter cannot be spoken."""


def indonesian_words(n: int) -> str:
    """Spell a whole number 0..999,999,999,999 in Bahasa Indonesia.

    ``se-`` replaces ``satu`` before ``belas``, ``puluh``, ``ratus``, ``ribu``
    (``sepuluh``, ``sebelas``, ``seratus``, ``seribu``) but not before ``juta``
    and ``miliar`` (``satu juta``).
    """
    _check_range(n)
    if n < 10:
        return _ID_UNITS[n]
    if n < 20:
        if n == 10:
            return "sepuluh"
        if n == 11:
            return "sebelas"
        return f"{_ID_UNITS[n - 10]} belas"
    for size, word, short in (
        (1_000_000_000, "miliar", False),
        (1_000_000, "juta", False),
        (1000, "ribu", True),
        (100, "ratus", True),
        (10, "puluh", True),
    ):
        if n >= size:
            head, rest = divmod(n, size)
            lead = "se" + word if head == 1 and short else f"{indonesian_words(head)} {word}"
            return lead if rest == 0 else f"{lead} {indonesian_words(rest)}"
    raise AssertionError("unreachable")  # pragma: no cover


def english_words(n: int) -> str:
    """Spell a whole number 0..999,999,999,999 in English (``"one hundred twelve"``)."""
    _check_range(n)
    if n < 10:
        return _EN_UNITS[n]
    if n < 20:
        return _EN_TEENS[n - 10]
    if n < 100:
        tens, rest = divmod(n, 10)
        return _EN_TENS[tens] + (f"-{_EN_UNITS[rest]}" if rest else "")
    for size, word in _EN_SCALES:
        if n >= size:
            head, rest = divmod(n, size)
            lead = f"{english_words(head)} {word}"
            return lead if rest == 0 else f"{lead} {english_words(rest)}"
    raise AssertionError("unreachable")  # pragma: no cover


def number_words(n: int, lang: str = "id") -> str:
    """Spell ``n`` in the given language (Bahasa Indonesia unless ``en``)."""
    return english_words(n) if normalise_language(lang) == "en" else indonesian_words(n)


def digit_words(digits: str, lang: str = "id") -> str:
    """Read a string of digits one by one: ``"007"`` → ``"nol nol tujuh"``."""
    if not digits.isdigit():
        raise PhraseError(f"not a digit string: {digits!r}")
    units = _EN_UNITS if normalise_language(lang) == "en" else _ID_UNITS
    return " ".join(units[int(d)] for d in digits)


def letter_names(lang: str = "id") -> dict[str, str]:
    """Map ``A``..``Z`` to the spoken letter names of the voice catalog."""
    names = catalog("voice", lang).get("letters", "").split()
    letters = [chr(ord("A") + i) for i in range(26)]
    if len(names) != 26:
        return {letter: letter for letter in letters}
    return dict(zip(letters, names, strict=True))


@dataclass(frozen=True)
class CallPhrase:
    """One announcement in two forms.

    ``text`` is what the board may show as a caption ("Nomor antrean R nol nol
    tujuh, ..."); ``speech`` is what the synthesiser reads, with letters
    written out as names ("... er nol nol tujuh ...") so the pronunciation does
    not depend on the synthesiser's letter rules.
    """

    lang: str
    number: str
    counter: int
    text: str
    speech: str


def split_ticket_number(number: str) -> tuple[str, str]:
    """Split ``"R007"`` into ``("R", "007")``; raise :class:`PhraseError` otherwise."""
    match = _TICKET_RE.match(number.strip())
    if not match or len(match.group(2)) > 6 or len(match.group(1)) > 3:
        raise PhraseError(f"not a ticket number: {number!r}")
    return match.group(1).upper(), match.group(2)


def call_phrase(number: str, counter: int, lang: str = "id") -> CallPhrase:
    """Build the call announcement for ticket ``number`` at counter ``counter``."""
    language = normalise_language(lang)
    if counter < 0 or counter > 9999:
        raise PhraseError(f"counter out of range: {counter}")
    prefix, digits = split_ticket_number(number)
    words = catalog("voice", language)
    style = words.get("number_style", "digits")
    spoken_digits = (
        number_words(int(digits), language) if style == "whole" else digit_words(digits, language)
    )
    names = letter_names(language)
    counter_words = number_words(counter, language)
    template = words.get("call", "{number} {counter}")
    text_number = " ".join([*prefix, spoken_digits])
    speech_number = " ".join([*(names[c] for c in prefix), spoken_digits])
    return CallPhrase(
        lang=language,
        number=prefix + digits,
        counter=counter,
        text=template.format(number=text_number, counter=counter_words),
        speech=template.format(number=speech_number, counter=counter_words),
    )


def _check_range(n: int) -> None:
    if not 0 <= n <= MAX_NUMBER:
        raise PhraseError(f"number out of range: {n}")
