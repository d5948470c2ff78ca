"""The journey state machine and the form checks, without a window or a server.

The form is the one the server renders (``server.privacy.form.render_form``),
so the journey is tested against the real SKD categories; the services are
sample answers shaped like ``GET /api/v1/services``.
"""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from kiosk.forms import GuestbookForm, check_id_as_typed, check_value, services_from_json
from kiosk.journey import IncompleteRegistration, Journey, JourneyError, Mode, Step
from server.config import Settings
from server.privacy.form import render_form
from tests.kiosk.contract_data import SERVICES, guestbook_form

TODAY = dt.date(2026, 12, 1)
NIK = "1906011203850001"  # a man born 12-03-1985: 41 today
NIK_WOMAN = "1906015203990002"  # a woman born 12-03-1999: 27 today
UNIT = {"name": "BPS Kabupaten Belitung Timur", "email": "bps1906@bps.go.id", "phone": "0719"}
ANSWERS = {
    "name": "budi santoso",
    "education": "d4_s1",
    "occupation": "asn_tni_polri",
    "institution": "",
    "institution_category": "pemerintah_daerah",
    "purpose": "penelitian",
    "disability": "no",
    "email": "budi@gmail.com",
    "phone": "0812 3456 7890",
}


def real_form(lang: str = "id") -> GuestbookForm:
    return GuestbookForm.from_json(render_form(lang, unit=UNIT, settings=Settings(demo=True)))


def new_journey(camera: bool = False, lang: str = "id", mail: bool = False) -> Journey:
    journey = Journey(language=lang, camera_enabled=camera, mail_enabled=mail)
    journey.load(real_form(lang), services_from_json(SERVICES))
    return journey


def answer_pages(journey: Journey, answers: dict[str, str] = ANSWERS) -> list[tuple[str, ...]]:
    """Answer every page; returns the pages asked (their field names)."""
    asked = []
    while journey.step == Step.GUESTBOOK:
        page = journey.page
        asked.append(tuple(f.name for f in page))
        for field in page:
            value = answers.get(field.name, journey.values.get(field.name, ""))
            if field.kind == "choice":
                assert journey.choose(field.name, value or field.choices[0].value) in (True, False)
            else:
                journey.set_value(field.name, value)
        assert journey.next_page() is None, page
    return asked


def to_id(journey: Journey, service_id: int = 2, *, photo: bool = False) -> None:
    journey.start(service_id)
    journey.accept_consent(photo=photo)
    assert journey.step == Step.IDENTITY


def complete(journey: Journey, *, photo: bool = False, service_id: int = 2) -> dict:
    to_id(journey, service_id, photo=photo)
    journey.set_id_number(NIK)
    assert journey.nik_complete
    assert journey.confirm_id(TODAY) is None
    assert journey.lookup_nik == NIK  # the kiosk looks the NIK up now
    journey.lookup_result(None)  # not found: a first visit
    answer_pages(journey)
    assert journey.step == Step.PRIORITY
    return journey.registration()


def test_services_skip_inactive_and_carry_the_email_rule():
    journey = new_journey()
    assert [s.prefix for s in journey.services] == ["A", "B", "C", "D"]
    assert journey.services[0].name("en") == "Library"
    assert [s.requires_email for s in journey.services] == [False, False, False, True]


def test_form_is_data_driven():
    form = GuestbookForm.from_json(guestbook_form("en"))
    assert [f.name for f in form.fields][:3] == ["name", "sex", "age_group"]
    assert form.field_named("email").keyboard == "email"
    assert form.field_named("sex").choices[0].label == "Female"
    real = real_form("id")
    assert [c.value for c in real.field_named("age_group").choices] == [
        "under_17", "17_25", "26_34", "35_44", "45_54", "55_65", "over_65",
    ]  # fmt: skip
    assert real.field_named("sex").from_id and real.field_named("name").capitalise
    assert real.field_named("occupation_other").when == (("occupation", "lainnya"),)


def test_first_visit_with_ktp_asks_neither_sex_nor_age():
    journey = new_journey()
    body = complete(journey)
    visitor = body["visitor"]
    assert visitor["sex"] == "male" and visitor["age_group"] == "35_44"  # from the NIK
    assert visitor["name"] == "Budi Santoso"  # capitalised as typed
    assert visitor["phone"] == "081234567890"  # separators removed
    assert visitor["institution"] is None  # optional, left empty
    assert visitor["occupation_other"] is None and visitor["disability_kind"] is None
    assert visitor["id_type"] == "ktp" and visitor["id_number"] == NIK
    assert body["returning_visitor_id"] is None
    assert body["email_copy"] is False
    assert journey.registration()["client_request_id"] == body["client_request_id"]


def test_pages_skip_what_the_id_tells_and_group_the_institution():
    journey = new_journey()
    to_id(journey)
    journey.set_id_number(NIK_WOMAN)
    journey.confirm_id(TODAY)
    journey.lookup_result(None)
    names = [tuple(f.name for f in page) for page in journey.pages]
    assert ("sex",) not in names and ("age_group",) not in names
    assert ("institution", "institution_category") in names
    assert journey.values["sex"] == "female" and journey.values["age_group"] == "26_34"


def test_conditional_questions_appear_only_when_they_apply():
    journey = new_journey()
    to_id(journey)
    journey.set_id_number(NIK)
    journey.confirm_id(TODAY)
    journey.lookup_result(None)
    asked = answer_pages(
        journey,
        {
            **ANSWERS,
            "occupation": "lainnya",
            "occupation_other": "petani",
            "disability": "yes",
            "disability_kind": "fisik",
        },
    )
    assert ("occupation_other",) in asked and ("disability_kind",) in asked
    journey.step = Step.PRIORITY
    journey.values["occupation"] = "wiraswasta"
    assert journey.registration()["visitor"]["occupation_other"] is None  # no longer asked


def test_choice_tile_completes_the_page_and_a_contradiction_blocks_it():
    journey = new_journey()
    complete(journey)
    journey.correct_from_id()
    assert journey.mode == Mode.CORRECT
    assert [f.name for f in journey.page] == ["sex"]
    assert journey.choose("sex", "female") is False  # the NIK says male
    assert journey.errors["sex"] == "sex_contradicts_id"
    assert journey.next_page() == "sex_contradicts_id" and journey.step == Step.GUESTBOOK
    assert journey.choose("sex", "male") is True
    journey.next_page()
    assert journey.choose("age_group", "17_25") is False  # born 1985
    assert journey.errors["age_group"] == "age_contradicts_id"
    assert journey.choose("age_group", "35_44") is True
    journey.next_page()
    assert journey.step == Step.PRIORITY and journey.mode == Mode.NEW


def test_passport_mrz_tells_sex_and_age():
    journey = new_journey()
    to_id(journey)
    journey.id_from_mrz("L898902C3", sex="F", birth_date=dt.date(1974, 8, 12), today=TODAY)
    assert journey.id_type == "passport" and journey.id_scanned
    assert journey.confirm_id(TODAY) is None
    assert journey.lookup_nik is None and journey.step == Step.GUESTBOOK  # no look-up
    asked = answer_pages(journey)
    assert ("sex",) not in asked and ("age_group",) not in asked
    visitor = journey.registration()["visitor"]
    assert (visitor["sex"], visitor["age_group"]) == ("female", "45_54")
    assert visitor["id_number"] == "L898902C3"


def test_typed_passport_asks_sex_and_age():
    journey = new_journey()
    to_id(journey)
    journey.set_id_type("passport")
    journey.set_id_number("B1234567")
    assert not journey.nik_complete  # "Lanjut" needed
    journey.confirm_id(TODAY)
    asked = answer_pages(journey, {**ANSWERS, "sex": "female", "age_group": "26_34"})
    assert ("sex",) in asked and ("age_group",) in asked


def test_returning_visitor_sees_a_summary_and_benar_goes_to_the_ticket():
    journey = new_journey()
    to_id(journey, service_id=4)  # the recommendation service needs an e-mail
    journey.set_id_number(NIK)
    journey.confirm_id(TODAY)
    journey.lookup_result(
        {
            "visitor_id": 7,
            "masked": {"name": "Budi S.", "email": "b***@gmail.com", "phone": None},
            "prefill": {
                "sex": "female",  # stale or wrong: the NIK wins
                "age_group": "45_54",
                "education": "s2",
                "institution_category": "pemerintah_daerah",
                "name": "never used",
                "occupation": "nonsense",
            },
        }
    )
    assert journey.step == Step.SUMMARY
    rows = dict(journey.summary)
    assert rows["name"] == "Budi S." and rows["email"] == "b***@gmail.com"
    assert rows["sex"] == "Laki-laki" and rows["education"] == "S2"
    assert "occupation" not in rows  # an unknown value is not shown or kept
    journey.confirm_match(True)
    # e-mail on file: not asked; what the record lacks is (and the use of the data)
    asked = answer_pages(journey)
    assert asked == [("occupation",), ("purpose",)]
    assert journey.step == Step.PRIORITY
    payload = journey.registration()
    assert payload["returning_visitor_id"] == 7
    assert payload["visitor"]["name"] is None  # kept on file by the server
    assert payload["visitor"]["sex"] == "male"


def test_returning_visitor_without_email_is_asked_for_it_when_the_service_needs_it():
    journey = new_journey()
    to_id(journey, service_id=4)
    journey.set_id_number(NIK)
    journey.confirm_id(TODAY)
    prefill = {
        "education": "s2",
        "occupation": "asn_tni_polri",
        "institution_category": "pemerintah_daerah",
    }
    journey.lookup_result({"visitor_id": 7, "masked": {"name": "Budi S."}, "prefill": prefill})
    journey.confirm_match(True)
    assert [[f.name for f in page] for page in journey.pages] == [["purpose"], ["email"]]
    journey.choose("purpose", "penelitian")
    journey.next_page()
    assert [f.name for f in journey.page] == ["email"]
    assert journey.next_page() == "email_required_for_service"
    journey.set_value("email", "budi@gmail.com")
    assert journey.next_page() is None and journey.step == Step.PRIORITY


def test_ubah_asks_again_with_answers_filled_in():
    journey = new_journey()
    to_id(journey)
    journey.set_id_number(NIK)
    journey.confirm_id(TODAY)
    journey.lookup_result(
        {"visitor_id": 7, "masked": {"name": "Budi S."}, "prefill": {"education": "s2"}}
    )
    journey.confirm_match(False)
    assert journey.mode == Mode.CHANGE
    names = [f.name for page in journey.pages for f in page]
    assert "name" not in names and "sex" in names and "education" in names
    assert journey.values["education"] == "s2"


def test_email_required_for_the_recommendation_service():
    journey = new_journey()
    body = complete(journey, service_id=4)
    assert body["visitor"]["email"] == "budi@gmail.com"
    journey.values["email"] = ""
    with pytest.raises(IncompleteRegistration) as info:
        journey.registration()
    assert info.value.fields == {"email": "email_required_for_service"}
    other = new_journey()
    complete(other, service_id=1)
    other.values["email"] = ""
    assert other.registration()["visitor"]["email"] is None  # optional elsewhere


def test_email_copy_only_when_the_server_sends_mail():
    journey = new_journey(mail=False)
    complete(journey)
    journey.email_copy = True
    assert not journey.email_copy_offered
    assert journey.registration()["email_copy"] is False
    with_mail = new_journey(mail=True)
    complete(with_mail)
    with_mail.email_copy = True
    assert with_mail.email_copy_offered
    assert with_mail.registration()["email_copy"] is True
    with_mail.values["email"] = ""
    assert not with_mail.email_copy_offered  # no address, no box


def test_priority_is_one_reason_or_none():
    journey = new_journey()
    complete(journey)
    journey.set_priority("pregnant")
    body = journey.registration()
    assert body["priority"] is True and body["priority_reason"] == "pregnant"
    with pytest.raises(JourneyError):
        journey.set_priority("vip")


def test_decline_stores_nothing_and_goes_to_the_desk():
    journey = new_journey()
    journey.start(1)
    journey.decline_consent()
    assert journey.step == Step.DECLINED
    assert not journey.consent_accepted and journey.values == {}


def test_steps_are_enforced_and_back_works():
    journey = new_journey()
    with pytest.raises(JourneyError):
        journey.accept_consent()
    with pytest.raises(JourneyError):
        journey.start(99)
    journey.start(1)
    journey.accept_consent()
    journey.set_id_number(NIK)
    journey.confirm_id(TODAY)
    journey.lookup_result(None)
    journey.set_value("name", "Budi")
    journey.next_page()
    assert journey.page_index == 1
    journey.back()
    assert journey.page_index == 0 and journey.step == Step.GUESTBOOK
    journey.back()
    assert journey.step == Step.IDENTITY
    journey.back()
    assert journey.step == Step.CONSENT
    journey.back()
    assert journey.step == Step.WELCOME


def test_guestbook_checks_come_from_the_shared_rules():
    form = real_form()
    assert check_value(form.field_named("email"), "budi@") == "email_format"
    assert check_value(form.field_named("email"), " Budi@Gmail.com ") is None
    assert check_value(form.field_named("phone"), "12345") == "phone_format"
    assert check_value(form.field_named("phone"), "+62 812-3456-7890") is None
    assert check_value(form.field_named("phone"), "") is None  # optional
    assert check_value(form.field_named("phone"), "+62 812 3456 7890 1234 5678") == "too_long"
    assert check_value(form.field_named("sex"), "X") == "choice_invalid"
    assert check_value(form.field_named("name"), "x" * 201) == "too_long"


def test_photo_needs_camera_setting_and_consent():
    jpeg = b"\xff\xd8\xff\xe0fake-jpeg"
    no_camera = new_journey(camera=False)
    no_camera.start(1)
    no_camera.accept_consent(photo=True)
    assert not no_camera.photo_accepted
    with pytest.raises(JourneyError):
        no_camera.set_photo(jpeg)
    journey = new_journey(camera=True)
    body = complete(journey, photo=True)
    assert body["consent"]["photo_accepted"] is True
    assert body["id_photo_jpeg_base64"] is None  # agreed, but no photo taken
    journey.set_photo(jpeg)
    assert base64.b64decode(journey.registration()["id_photo_jpeg_base64"]) == jpeg


def test_ticket_and_offline_forget_personal_data():
    journey = new_journey()
    complete(journey)
    ticket = journey.ticket_issued(
        {
            "ticket": {
                "id": 5,
                "number": "B001",
                "service_id": 2,
                "people_ahead": 3,
                "estimated_wait_minutes": 21,
                "tracking_url": "http://x/t/abc",
                "priority": False,
                "issued_at": "",
            }
        }
    )
    assert ticket.number == "B001" and journey.step == Step.TICKET
    assert journey.values == {} and journey.id_number == "" and journey.told == {}
    offline = new_journey()
    complete(offline)
    offline.queued_offline()
    assert offline.step == Step.OFFLINE and offline.values == {}


def test_server_field_errors_send_the_visitor_back_to_fix_them():
    journey = new_journey()
    complete(journey)
    journey.server_rejected_fields({"email": "email_format"})
    assert journey.step == Step.GUESTBOOK
    assert journey.current_field.name == "email"
    journey.step = Step.PRIORITY
    journey.server_rejected_fields({"id_number": "nik_bad_date"})
    assert journey.step == Step.IDENTITY


def test_reset_wipes_everything_but_keeps_the_configuration():
    journey = new_journey(mail=True)
    complete(journey)
    request_id = journey.client_request_id
    journey.reset()
    assert journey.step == Step.WELCOME and journey.values == {}
    assert journey.id_number == "" and journey.consent_accepted is False
    assert journey.client_request_id != request_id
    assert journey.ready and journey.mail_enabled


@pytest.mark.parametrize(
    ("id_type", "typed", "error", "complete_"),
    [
        ("ktp", "19", None, False),
        ("ktp", "10", "nik_province", False),
        ("ktp", "19060132", "nik_bad_date", False),
        ("ktp", "190601120385000", None, False),
        ("ktp", NIK, None, True),
        ("ktp", "1906011203850000", "nik_serial", False),
        ("sim", "123456789012", None, True),
        ("passport", "b1234567", None, True),
        ("other", "KITAS 123", None, True),
    ],
)
def test_id_checked_as_typed(id_type, typed, error, complete_):
    feedback = check_id_as_typed(id_type, typed)
    assert feedback.error == error
    assert feedback.complete == complete_


def test_wrong_id_blocks_the_step():
    journey = new_journey()
    to_id(journey)
    journey.set_id_number("1906011203850000")
    assert journey.confirm_id(TODAY) == "nik_serial"
    assert journey.step == Step.IDENTITY
    journey.set_id_type("sim")
    assert journey.id_number == ""
