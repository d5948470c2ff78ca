"""Every visitor text comes from the kiosk catalogs, in both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kiosk.texts import error_text, tr

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = ROOT / "server" / "i18n" / "catalogs"
KIOSK = ROOT / "kiosk"

#: every error code the identity rules and form checks can raise
ERROR_CODES = [
    "required",
    "too_long",
    "email_format",
    "phone_format",
    "number_format",
    "choice_invalid",
    "consent_required",
    "nik_empty",
    "nik_length",
    "nik_digits",
    "nik_province",
    "nik_bad_date",
    "nik_serial",
    "sim_empty",
    "sim_digits",
    "sim_length",
    "passport_empty",
    "passport_chars",
    "passport_length",
    "id_empty",
    "id_chars",
    "id_length",
    "id_type",
    "mrz_length",
    "mrz_chars",
    "mrz_format",
    "mrz_doc_check",
    "mrz_birth_check",
    "mrz_expiry_check",
    "mrz_optional_check",
    "mrz_composite_check",
    "mrz_birth_date",
    "mrz_expiry_date",
]


def load(lang: str) -> dict[str, str]:
    return json.loads((CATALOGS / f"kiosk.{lang}.json").read_text(encoding="utf-8"))


def test_both_languages_have_the_same_keys_and_placeholders():
    ind, eng = load("id"), load("en")
    assert set(ind) == set(eng)
    for key in ind:
        assert set(re.findall(r"{(\w+)}", ind[key])) == set(re.findall(r"{(\w+)}", eng[key])), key


def test_every_key_used_in_code_and_kv_exists():
    used: set[str] = set()
    for path in [*KIOSK.rglob("*.kv"), *KIOSK.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        used.update(re.findall(r"""\btr\(\s*['"]([a-z0-9_]+)['"]\s*[,)]""", text))
        used.update(re.findall(r"""_key=['"]([a-z0-9_]+)['"]""", text))
    catalog = load("id")
    assert len(used) > 40
    assert used - set(catalog) == set()


@pytest.mark.parametrize("code", ERROR_CODES)
def test_every_error_code_has_a_fix_it_message(code):
    catalog_id, catalog_en = load("id"), load("en")
    assert f"err_{code}" in catalog_id and f"err_{code}" in catalog_en


def test_required_messages_in_plain_indonesian():
    assert error_text("nik_length", "id") == "NIK harus 16 angka."
    assert error_text("nik_bad_date", "id").startswith("Tanggal lahir dalam NIK tidak valid")
    assert error_text("nik_length", "en") == "A NIK has 16 digits."
    assert error_text("some_new_server_code", "id") == tr("err_generic", "id")
    assert error_text(None, "id") == ""
    assert tr("offline_text", "id") == (
        "Server sedang tidak terhubung. Data Anda tersimpan; silakan menuju meja layanan."
    )
    assert tr("welcome_start", "id") == "Ambil Nomor Antrean"
    assert tr("idle_title", "id") == "Masih di sini?"


def test_no_literal_visitor_text_in_kv_files():
    for path in KIOSK.rglob("*.kv"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith("text:"):
                value = stripped[len("text:") :].strip()
                # a text is a catalog lookup, a screen property, or a symbol
                assert not re.fullmatch(r"""['"][A-Za-z][^'"]*['"]""", value), f"{path}: {line}"
