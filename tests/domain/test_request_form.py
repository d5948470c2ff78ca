"""The request form (MS-Keg metadata) kept as data, and its validation."""

from __future__ import annotations

from server.domain.request_form import form_definition, validate_form

GOOD = {
    "title": "Survei Kepuasan Pasien",
    "year": "2026",
    "method": "survey",
    "organiser_agency": "Dinas Kesehatan",
    "collection_modes": ["CAPI", "CAWI"],
    "variables": ["umur", "kepuasan"],
}


def test_definition_has_the_ms_keg_fields() -> None:
    names = {f["name"] for f in form_definition()["fields"]}
    assert {"title", "year", "method", "sector", "variables", "sample_design"} <= names


def test_good_form_is_cleaned() -> None:
    cleaned, errors = validate_form(GOOD)
    assert errors == {}
    assert cleaned["year"] == 2026
    assert cleaned["collection_modes"] == ["CAPI", "CAWI"]


def test_bad_form_names_each_problem() -> None:
    _, errors = validate_form(
        {
            "title": "x" * 301,
            "year": 1900,
            "method": "guess",
            "collection_modes": ["telepathy"],
            "colour": "blue",
        }
    )
    assert errors == {
        "title": "too_long",
        "year": "out_of_range",
        "method": "not_a_choice",
        "collection_modes": "not_a_choice",
        "colour": "unknown_field",
        "organiser_agency": "required",
    }
    _, errors = validate_form({**GOOD, "year": True, "variables": "umur"})
    assert errors == {"year": "not_a_number", "variables": "not_a_list"}
