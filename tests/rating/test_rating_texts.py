"""Every rating-terminal and rating-page text comes from the ``rating`` catalogs, in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "server" / "i18n" / "catalogs"


def load(lang: str) -> dict[str, str]:
    return json.loads((CATALOGS / f"rating.{lang}.json").read_text(encoding="utf-8"))


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    ind, eng = load("id"), load("en")
    assert set(ind) == set(eng)
    for key in ind:
        assert set(re.findall(r"{(\w+)}", ind[key])) == set(re.findall(r"{(\w+)}", eng[key])), key


def test_every_key_used_by_the_terminal_and_pages_exists() -> None:
    used: set[str] = set()
    for path in [
        *(ROOT / "kiosk" / "rating").rglob("*.kv"),
        *(ROOT / "kiosk" / "rating").rglob("*.py"),
    ]:
        used.update(re.findall(r"""\brt\(\s*['"]([a-z0-9_]+)['"]\s*[,)]""", path.read_text()))
    templates = ROOT / "server" / "web" / "templates"
    for path in [
        templates / "rating_form.html",
        templates / "rating_ikm.html",
        templates / "track.html",
    ]:
        used.update(re.findall(r"""['"]rating\.([a-z0-9_]+)['"]""", path.read_text()))
    js = (ROOT / "server" / "web" / "static" / "js" / "ikm.js").read_text()
    used.update(re.findall(r"""tr\(\s*['"]([a-z0-9_]+)['"]\s*\)""", js))
    # keys built from a prefix ("face_" ~ score, "notice_" + code) are listed in full
    used = {k for k in used if not k.endswith("_")}
    used |= {f"face_{n}" for n in range(1, 5)}
    used |= {f"notice_{c}" for c in ("already_rated", "not_served", "unknown_ticket",
                                      "unreadable", "failed")}  # fmt: skip
    catalog = load("id")
    assert len(used) > 40
    assert used - set(catalog) == set()
    # the kiosk's shared rules (keyboard, idle prompt) read these through app.tr
    assert {"kb_backspace", "kb_clear", "kb_shift", "kb_space", "idle_title", "idle_text",
            "idle_continue"} <= set(catalog)  # fmt: skip
