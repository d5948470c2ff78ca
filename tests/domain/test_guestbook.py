"""The guestbook's pure rules: SKD categories, limits, what an ID tells."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from server.domain import guestbook
from server.domain.guestbook import (
    age_group_for,
    capitalise_name,
    check_answers,
    contradictions,
    definition,
    from_id,
    is_government,
)
from server.domain.queue import PRIORITY_REASONS

TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("siti aminah", "Siti Aminah"),
        ("siti ", "Siti "),  # spaces kept while typing
        ("al-amin", "Al-Amin"),
        ("Budi SANTOSO", "Budi SANTOSO"),  # the rest stays as typed
        ("", ""),
    ],
)
def test_names_are_capitalised_as_typed(typed: str, shown: str) -> None:
    assert capitalise_name(typed) == shown


@pytest.mark.parametrize(
    ("birth", "group"),
    [
        (dt.date(2009, 12, 2), "under_17"),  # 16 until tomorrow
        (dt.date(2009, 12, 1), "17_25"),  # 17 today
        (dt.date(2000, 12, 1), "26_34"),
        (dt.date(1992, 12, 2), "26_34"),  # 34 until tomorrow
        (dt.date(1981, 12, 1), "45_54"),
        (dt.date(1961, 12, 1), "55_65"),  # 65
        (dt.date(1960, 12, 1), "over_65"),  # 66
    ],
)
def test_age_groups_follow_skd_bands(birth: dt.date, group: str) -> None:
    assert age_group_for(birth, TODAY) == group


def test_an_id_tells_sex_and_age_and_catches_contradictions() -> None:
    told = from_id("F", dt.date(1999, 3, 12), TODAY)
    assert told == {"sex": "female", "age_group": "26_34"}
    assert from_id(None, None, TODAY) == {}
    assert from_id("M") == {"sex": "male"}
    assert contradictions({"sex": "male", "age_group": "26_34"}, told) == {
        "sex": "sex_contradicts_id"
    }
    assert contradictions({"age_group": "45_54"}, told) == {"age_group": "age_contradicts_id"}
    assert contradictions({"sex": "female"}, told) == {}


def test_one_set_of_limits_and_legacy_values() -> None:
    clean, errors = check_answers(
        {
            "name": "x" * 201,
            "email": "Budi@Gmail.COM",
            "phone": "+62 812-3456-7890",
            "age_group": "60_plus",  # an old band: mapped, not refused
            "education": "sd",
            "institution_category": "umum_perorangan",
            "occupation": "wiraswasta",
            "occupation_other": "ignored: not asked",
        }
    )
    assert errors["name"] == "too_long"
    assert clean["email"] == "budi@gmail.com" and clean["phone"] == "+6281234567890"
    assert clean["age_group"] == "55_65" and clean["education"] == "up_to_slta"
    assert clean["institution_category"] == "lainnya"
    assert clean["occupation_other"] is None and "occupation_other" not in errors
    assert errors["sex"] == "required" and "disability" not in errors  # disability optional
    phone = definition().field("phone")
    assert phone is not None and phone.max_length == 20
    _, errors = check_answers({"phone": "1234567", "email": "a@b"})
    assert errors["phone"] == "phone_format" and errors["email"] == "email_format"


def test_categories_are_bps_skd_block_i() -> None:
    form = definition()
    choices = {f.name: f.choices for f in form.fields}
    assert choices["age_group"] == (
        "under_17", "17_25", "26_34", "35_44", "45_54", "55_65", "over_65",
    )  # fmt: skip
    assert choices["education"] == ("up_to_slta", "d1_d3", "d4_s1", "s2", "s3")
    assert len(choices["institution_category"]) == 9
    assert [c for c in choices["institution_category"] if is_government(c)] == list(
        choices["institution_category"][:4]
    )
    assert choices["purpose"] == (
        "tugas_sekolah_kuliah", "pemerintahan", "komersial", "penelitian", "lainnya",
    )  # fmt: skip
    assert choices["disability_kind"] == ("fisik", "intelektual", "mental", "sensorik")
    assert form.priority_reasons == PRIORITY_REASONS  # one list for tickets and the form
    assert "purpose" not in guestbook.CATEGORY_FIELDS
    assert "institution" in guestbook.PROFILE_FIELDS


def test_every_code_and_answer_has_a_label() -> None:
    catalogs = Path(guestbook.__file__).parents[1] / "i18n" / "catalogs"
    kiosk = json.loads((catalogs / "kiosk.id.json").read_text(encoding="utf-8"))
    for lang in ("id", "en"):
        labels = json.loads((catalogs / f"guestbook.{lang}.json").read_text(encoding="utf-8"))
        for f in definition().fields:
            assert f"field_{f.name}" in labels
            for choice in f.choices:
                assert f"{f.name}_{choice}" in labels, (lang, f.name, choice)
    for code in guestbook.ERROR_CODES:
        assert f"err_{code}" in kiosk, code
    source = Path(guestbook.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^from server\.(?!domain)", source, re.M)  # pure: domain only
