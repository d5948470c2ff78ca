"""The case lifecycle engine: order, repeats, the verification loop, roles, fields."""

from __future__ import annotations

import pytest

from server.domain.cases import (
    StepRefused,
    allowed_next,
    check_step,
    get_kind,
    kind_for_service,
    kinds,
    rounds,
    whatsapp_link,
)

REC = get_kind("recommendation")


def test_every_kind_parses_and_ends_closed() -> None:
    for kind in kinds().values():
        assert "closed" in kind.steps
        assert kind.steps["closed"].final


def test_recommendation_happy_path_with_verification_loop() -> None:
    done = ["form_received"]
    check_step(REC, done, "revision_needed", role="staff", values={"missing": "sampling frame"})
    done += ["revision_needed", "revision_received"]
    assert "revision_needed" in allowed_next(REC, done)  # the loop may run again
    done += ["revision_needed", "revision_received"]
    assert rounds(REC, done) == 2
    check_step(REC, done, "form_complete", role="staff", values={})
    done.append("form_complete")
    check_step(REC, done, "examiner_assigned", role="supervisor", values={"examiner": "Budi"})


def test_skip_is_refused_naming_allowed_steps() -> None:
    with pytest.raises(StepRefused) as caught:
        check_step(REC, ["form_received"], "letter_drafted", role="staff", values={})
    assert caught.value.reason == "order"
    assert set(caught.value.allowed) == {"form_complete", "revision_needed", "statistik_khusus"}


def test_repeat_is_refused() -> None:
    with pytest.raises(StepRefused) as caught:
        check_step(
            REC, ["form_received", "form_complete"], "form_complete", role="staff", values={}
        )
    assert caught.value.reason == "repeat"
    assert caught.value.allowed == ["examiner_assigned"]


def test_wrong_role_and_bad_fields() -> None:
    done = ["form_received", "form_complete"]
    with pytest.raises(StepRefused) as caught:
        check_step(REC, done, "examiner_assigned", role="staff", values={"examiner": "Budi"})
    assert caught.value.reason == "role"
    done.append("examiner_assigned")
    with pytest.raises(StepRefused) as caught:
        check_step(
            REC,
            done,
            "letter_drafted",
            role="staff",
            values={"letter_number": "B-1", "letter_date": "2026-13-01", "outcome": "maybe"},
        )
    assert caught.value.fields == {"letter_date": "not_a_date", "outcome": "not_a_choice"}


def test_closed_case_takes_nothing() -> None:
    with pytest.raises(StepRefused) as caught:
        check_step(
            REC, ["form_received", "statistik_khusus", "closed"], "closed", role="staff", values={}
        )
    assert caught.value.reason == "closed"


def test_service_mapping_and_whatsapp() -> None:
    assert kind_for_service("rekomendasi").code == "recommendation"
    assert kind_for_service("konsultasi").code == "service"
    link = whatsapp_link("0812-3456-789", "Halo & terima kasih")
    assert link == "https://wa.me/628123456789?text=Halo%20%26%20terima%20kasih"
    assert whatsapp_link("12", "x") is None


def test_recommendation_service_requires_an_email() -> None:
    from server.domain.cases import requires_email

    assert requires_email("rekomendasi") is True
    assert requires_email("perpustakaan") is False
