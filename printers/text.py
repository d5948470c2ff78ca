"""Make text printable in one printer code page, without garbage characters.

Thermal printers print single-byte code pages. Indonesian is written in
plain Latin letters, but names of places and services, pasted text and
loanwords bring “smart quotes”, dashes, ellipses and accented letters. Each
character the chosen code page holds is kept (é stays é in CP858); others
are transliterated (“ → ", – → -, ł → l) and only what has no sensible
form becomes ``?``.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from escpos.magicencode import Encoder

_REPLACEMENTS = {
    **dict.fromkeys("“”„‟«»″", '"'),
    **dict.fromkeys("‘’‚‛′", "'"),
    **dict.fromkeys("–—―‐‑−", "-"),
    **dict.fromkeys("\u00a0\u2009\u202f\t", " "),
    "…": "...",
    "•": "*",
    "·": ".",
    "€": "EUR",
    "™": "TM",
    "©": "(c)",
    "®": "(R)",
    "→": "->",
    "←": "<-",
    **dict(zip("łŁøØ", "lLoO", strict=True)),
    "ß": "ss",
    "æ": "ae",
    "Æ": "AE",
}


@cache
def _encoder(encoding: str) -> Encoder:
    return Encoder({encoding: 0})


def _fits(char: str, encoding: str) -> bool:
    return bool(_encoder(encoding).can_encode(encoding, char))


def _transliterate(char: str, encoding: str) -> str:
    replacement = _REPLACEMENTS.get(char)
    if replacement is not None:
        return replacement
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if stripped and all(c.isprintable() and _fits(c, encoding) for c in stripped):
        return stripped
    return "?"


def printable(text: str, encoding: str) -> str:
    """Return ``text`` using only characters that ``encoding`` can print."""
    out: list[str] = []
    for char in text:
        if char == "\n" or (char.isprintable() and _fits(char, encoding)):
            out.append(char)
        elif not char.isprintable() and char not in _REPLACEMENTS:
            continue  # control and zero-width characters: drop silently
        else:
            out.append(_transliterate(char, encoding))
    return "".join(out)
