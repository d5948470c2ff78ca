"""The journey state machine and the form checks, without a window or a server."""

from __future__ import annotations

import base64

import pytest

from kiosk.forms import (
    GuestbookForm,
    check_id_as_typed,
    check_value,
    services_from_json,
)
from kiosk.journey import IncompleteRegistration, Journey, JourneyError, Step
from server.domain.identity import IdentityError
from tests.kiosk.contract_data import SERVICES, guestbook_form

NIK = "1906011203850001"
ANSWERS = {
    "name": "Budi Santoso",
    "sex": "M",
    "age_group": "40-49",
    "education": "s1",
    "occupation": "civil",
    "institution": "",
    "institution_category": "gov",
    "email": "budi@gmail.com",
    "phone": "0812 3456 7890",
    "purpose": "Data kemiskinan",
}


def new_journey(camera: bool = False, lang: str = "id") -> Journey:
    journey = Journey(language=lang, camera_enabled=camera)
    journey.load(GuestbookForm.from_json(guestbook_form(lang)), services_from_json(SERVICES))
    return journey


def through_guestbook(journey: Journey, answers: dict[str, str] = ANSWERS) -> None:
    while journey.step == Step.GUESTBOOK:
        field = journey.current_field
        assert field is not None
        journey.set_value(field.name, answers.get(field.name, ""))
        assert journey.next_field() is None, field.name


def complete(journey: Journey, *, photo: bool = False) -> dict:
    journey.start()
    journey.accept_consent(photo=photo)
    journey.choose_service(2)
    journey.first_visit()
    through_guestbook(journey)
    journey.set_id_number(NIK)
    assert journey.confirm_id() is None
    assert journey.step == Step.PRIORITY
    return journey.registration()


def test_services_skip_inactive_and_are_translated():
    journey = new_journey()
    assert [s.prefix for s in journey.services] == ["A", "B", "C", "D"]
    assert journey.services[0].name("en") == "Library"
    assert journey.services[0].description("id").startswith("Membaca")


def test_form_is_data_driven():
    form = GuestbookForm.from_json(guestbook_form("en"))
    assert [f.name for f in form.fields][:3] == ["name", "sex", "age_group"]
    assert form.field_named("email").keyboard == "email"
    assert form.field_named("phone").keyboard == "phone"
    assert form.field_named("sex").choices[0].label == "Female"
    assert form.notice_version == "2026-11"


def test_full_journey_builds_the_documented_body():
    journey = new_journey()
    body = complete(journey)
    assert set(body) == {
        "client_request_id",
        "language",
        "consent",
        "service_id",
        "priority",
        "priority_reason",
        "returning_visitor_id",
        "visitor",
        "id_photo_jpeg_base64",
        "email_copy",
    }
    assert body["consent"] == {
        "notice_version": "2026-11",
        "accepted": True,
        "photo_accepted": False,
    }
    assert body["service_id"] == 2
    assert body["priority"] is False and body["priority_reason"] is None
    assert body["visitor"]["phone"] == "081234567890"  # separators removed
    assert body["visitor"]["institution"] is None  # optional, left empty
    assert body["visitor"]["id_type"] == "ktp" and body["visitor"]["id_number"] == NIK
    assert body["id_photo_jpeg_base64"] is None
    assert body["email_copy"] is False
    # the same journey sends the same request id (the server deduplicates on it)
    assert journey.registration()["client_request_id"] == body["client_request_id"]


def test_priority_is_one_tap_and_email_copy_needs_an_email():
    journey = new_journey()
    complete(journey)
    journey.set_priority("pregnant")
    journey.email_copy = True
    body = journey.registration()
    assert body["priority"] is True and body["priority_reason"] == "pregnant"
    assert body["email_copy"] is True
    journey.set_priority(None)
    journey.values["email"] = ""
    with pytest.raises(IncompleteRegistration):  # e-mail is required in this form
        journey.registration()
    with pytest.raises(JourneyError):
        journey.set_priority("vip")


def test_decline_stores_nothing_and_goes_to_the_desk():
    journey = new_journey()
    journey.start()
    journey.decline_consent()
    assert journey.step == Step.DECLINED
    assert not journey.consent_accepted and journey.values == {}
    with pytest.raises(JourneyError):
        journey.choose_service(1)


def test_steps_are_enforced_and_back_works():
    journey = new_journey()
    with pytest.raises(JourneyError):
        journey.accept_consent()
    journey.start()
    journey.accept_consent()
    journey.choose_service(1)
    journey.first_visit()
    journey.set_value("name", "Budi")
    journey.next_field()
    assert journey.field_index == 1
    journey.back()
    assert journey.field_index == 0 and journey.step == Step.GUESTBOOK
    journey.back()
    assert journey.step == Step.RETURNING
    journey.back()
    assert journey.step == Step.SERVICE
    with pytest.raises(JourneyError):
        journey.choose_service(99)


def test_guestbook_errors_say_what_to_fix():
    journey = new_journey()
    journey.start()
    journey.accept_consent()
    journey.choose_service(1)
    journey.first_visit()
    assert journey.next_field() == "required"
    journey.set_value("name", "Budi")
    journey.next_field()
    assert journey.next_field() == "required"  # sex not chosen
    form = journey.form
    assert check_value(form.field_named("email"), "budi@") == "email_format"
    assert check_value(form.field_named("email"), " Budi@Gmail.com ") is None
    assert check_value(form.field_named("phone"), "12345") == "phone_format"
    assert check_value(form.field_named("phone"), "+62 812-3456-7890") is None
    assert check_value(form.field_named("phone"), "") is None  # optional
    assert check_value(form.field_named("sex"), "X") == "choice_invalid"
    assert check_value(form.field_named("name"), "x" * 201) == "too_long"


def test_returning_visitor_prefill_only_after_confirmation():
    journey = new_journey()
    journey.start()
    journey.accept_consent()
    journey.choose_service(1)
    with pytest.raises(IdentityError) as info:
        journey.lookup_body("nik", "123")
    assert info.value.code == "nik_length"
    assert journey.lookup_body("nik", "1906 0112 0385 0001") == {"nik": NIK}
    match = journey.lookup_found(
        {
            "visitor_id": 7,
            "masked": {"name": "B*** S***", "email": "b***@gmail.com"},
            "prefill": {
                "sex": "M",
                "age_group": "40-49",
                "institution_category": "gov",
                "name": "should never be used",
                "education": "nonsense",
            },
        }
    )
    assert match.masked["name"] == "B*** S***"
    assert journey.values == {}  # nothing pre-filled before "Ya, ini saya"
    journey.confirm_match(True)
    assert journey.step == Step.GUESTBOOK
    assert journey.returning_visitor_id == 7
    assert journey.values == {"sex": "M", "age_group": "40-49", "institution_category": "gov"}
    assert (journey.id_type, journey.id_number) == ("ktp", NIK)


def test_not_me_forgets_the_match():
    journey = new_journey()
    journey.start()
    journey.accept_consent()
    journey.choose_service(1)
    journey.lookup_body("email", "Budi@Gmail.com")
    journey.lookup_found({"visitor_id": 7, "masked": {}, "prefill": {"sex": "M"}})
    journey.confirm_match(False)
    assert journey.step == Step.RETURNING
    assert journey.match is None and journey.returning_visitor_id is None
    assert journey.values == {}
    with pytest.raises(IdentityError):
        journey.lookup_body("email", "not-an-email")


def test_photo_needs_camera_setting_and_consent():
    jpeg = b"\xff\xd8\xff\xe0fake-jpeg"
    no_camera = new_journey(camera=False)
    no_camera.start()
    no_camera.accept_consent(photo=True)
    assert not no_camera.photo_accepted  # no camera: the consent is not even recorded
    with pytest.raises(JourneyError):
        no_camera.set_photo(jpeg)

    declined_photo = new_journey(camera=True)
    declined_photo.start()
    declined_photo.accept_consent(photo=False)
    with pytest.raises(JourneyError):
        declined_photo.set_photo(jpeg)

    journey = new_journey(camera=True)
    body = complete(journey, photo=True)
    assert body["consent"]["photo_accepted"] is True
    assert body["id_photo_jpeg_base64"] is None  # agreed, but no photo taken
    journey.set_photo(jpeg)
    body = journey.registration()
    assert base64.b64decode(body["id_photo_jpeg_base64"]) == jpeg


def test_ticket_and_offline_forget_personal_data():
    journey = new_journey(camera=True)
    complete(journey, photo=True)
    journey.set_photo(b"\xff\xd8\xffjpeg")
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
    assert journey.values == {} and journey.id_number == "" and journey.photo_jpeg is None

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
    assert journey.errors["email"] == "email_format"
    journey.step = Step.PRIORITY
    journey.server_rejected_fields({"id_number": "nik_bad_date"})
    assert journey.step == Step.IDENTITY


def test_reset_wipes_everything_but_keeps_the_configuration():
    journey = new_journey()
    complete(journey)
    request_id = journey.client_request_id
    journey.reset()
    assert journey.step == Step.WELCOME and journey.values == {}
    assert journey.id_number == "" and journey.consent_accepted is False
    assert journey.client_request_id != request_id
    assert journey.ready


@pytest.mark.parametrize(
    ("id_type", "typed", "error", "complete_"),
    [
        ("ktp", "19", None, False),
        ("ktp", "10", "nik_province", False),
        ("ktp", "1906013", None, False),
        ("ktp", "19060132", "nik_bad_date", False),  # day 32 caught at digit 8
        ("ktp", "1906011213", "nik_bad_date", False),  # month 13
        ("ktp", "190601310485", "nik_bad_date", False),  # 31 April
        ("ktp", "190601120385000", None, False),
        ("ktp", NIK, None, True),
        ("ktp", "1906011203850000", "nik_serial", False),
        ("ktp", "19060112038500011", "nik_length", False),
        ("ktp", "1906a", "nik_digits", False),
        ("sim", "12345", None, False),
        ("sim", "123456789012", None, True),
        ("sim", "12x", "sim_digits", False),
        ("passport", "b1234567", None, True),
        ("passport", "AB12345678", "passport_length", False),
        ("other", "KITAS 123", None, True),
    ],
)
def test_id_checked_as_typed(id_type, typed, error, complete_):
    feedback = check_id_as_typed(id_type, typed)
    assert feedback.error == error
    assert feedback.complete == complete_
    if id_type == "ktp" and error is None and not complete_:
        assert (feedback.typed, feedback.expected) == (len(typed), 16)


def at_identity_step() -> Journey:
    """A first-time visitor of service 1 whose guestbook is done."""
    journey = new_journey()
    journey.start()
    journey.accept_consent()
    journey.choose_service(1)
    journey.first_visit()
    through_guestbook(journey)
    return journey


def test_id_step_uses_mrz_document_number():
    journey = at_identity_step()
    journey.id_from_mrz("L898902C3")
    assert journey.id_type == "passport"
    assert journey.confirm_id() is None
    assert journey.registration()["visitor"]["id_number"] == "L898902C3"


def test_wrong_id_blocks_the_step():
    journey = at_identity_step()
    journey.set_id_type("ktp")
    journey.set_id_number("1906011203850000")
    assert journey.confirm_id() == "nik_serial"
    assert journey.step == Step.IDENTITY
    journey.set_id_type("sim")
    assert journey.id_number == ""  # a new card type starts empty
