"""Translation catalogs shared by every part of Loket.

Text a person reads lives in JSON catalogs under ``server/i18n/catalogs``,
one file per namespace and language: ``<namespace>.<lang>.json`` (for example
``ticket.id.json``). A key is ``<namespace>.<name>``; :func:`t` looks it up in
the requested language, falls back to Indonesian, then to the key itself, so a
missing translation shows up as a visible key instead of crashing a screen.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")
_CATALOG_DIR = Path(__file__).parent / "catalogs"


@cache
def _catalog(namespace: str, lang: str) -> dict[str, str]:
    path = _CATALOG_DIR / f"{namespace}.{lang}.json"
    if not path.is_file():
        return {}
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def normalise_language(lang: str | None) -> str:
    """Return a supported language code, defaulting to Bahasa Indonesia."""
    if lang:
        short = lang.strip().lower()[:2]
        if short in LANGUAGES:
            return short
    return DEFAULT_LANGUAGE


def t(key: str, lang: str | None = None, /, **params: Any) -> str:
    """Translate ``key`` (``namespace.name``) into ``lang``, formatting ``params``."""
    namespace, _, name = key.partition(".")
    language = normalise_language(lang)
    text = _catalog(namespace, language).get(name)
    if text is None:
        text = _catalog(namespace, DEFAULT_LANGUAGE).get(name, key)
    return text.format(**params) if params else text


def catalog(namespace: str, lang: str | None = None) -> dict[str, str]:
    """The whole catalog of one namespace, for clients that translate themselves."""
    language = normalise_language(lang)
    merged = dict(_catalog(namespace, DEFAULT_LANGUAGE))
    merged.update(_catalog(namespace, language))
    return merged
