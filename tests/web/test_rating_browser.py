"""The visitor's rating web form and the staff IKM page in a real Chromium, against a live server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from server.domain.clock import local_day
from server.i18n import t
from server.store.common import utcnow
from tests.privacy.conftest import EMAIL, NAME, NIK, PHONE
from tests.web.pages import new_context, open_console
from tests.web.server_harness import STAFF_PASSWORD, WebServer
from tests.web.test_privacy_desk_browser import register_visitor


def _served(server: WebServer, prefix: str = "P") -> dict[str, Any]:
    server.reset()
    ticket = server.issue(prefix)
    called = server.call_next(1)
    assert called is not None and called["id"] == ticket["id"]
    with server.client(server.login()) as c:
        for step in ("start", "finish"):
            assert c.post(f"/tickets/{ticket['id']}/{step}", json={}).status_code == 200
    return ticket


def test_visitor_rates_from_the_tracking_link_on_a_phone(
    server: WebServer, browser: Any, artifacts: Path
) -> None:
    ticket = _served(server)
    ctx = new_context(browser)
    page = ctx.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(ticket["tracking_url"])
    page.locator("#track-rate").click()
    page.wait_for_function("window.loketRating && window.loketRating.ready")
    assert ticket["number"] in page.locator("#rate-intro").inner_text()
    # the follow-up appears only after a low face
    assert page.locator("#rate-followup").is_hidden()
    page.locator(".face-2 input").check()
    page.locator("#rate-followup").wait_for(state="visible")
    page.locator("input[name=reason][value=wait]").check()
    page.locator("#rate-followup textarea").fill("Antrean lama")
    # answer U1 best and U4 "Gratis"; skip the rest
    page.locator(".rate-item[data-code=U1] input[value='4']").check()
    page.locator(".rate-item[data-code=U4] input[value='4']").check()
    page.locator("textarea[name=suggestion]").fill("Tambah kursi")
    page.screenshot(path=str(artifacts / "rating-form-phone.png"), full_page=True)
    page.locator("#rate-send").click()
    page.locator("#rate-thanks").wait_for(state="visible")
    page.screenshot(path=str(artifacts / "rating-form-thanks.png"))
    # a second visit to the form: told politely it was rated
    page.reload()
    page.locator("#rate-rated").wait_for(state="visible")
    ctx.close()
    with server.client() as anonymous:
        target = anonymous.get("/ratings/target", params={"token": ticket["tracking_token"]})
        assert target.json()["rated"] is True
    day = local_day(utcnow(), "Asia/Jakarta").isoformat()
    with server.client(server.login()) as c:
        report = c.get("/reports/ikm", params={"from": day, "to": day}).json()
    by_code = {e["code"]: e for e in report["elements"]}
    assert report["respondents"] >= 1
    assert by_code["U1"]["respondents"] == 1 and by_code["U1"]["nrr"] == 4.0
    assert by_code["U2"]["respondents"] == 0


def test_a_waiting_ticket_cannot_be_rated_yet(server: WebServer, browser: Any) -> None:
    server.reset()
    ticket = server.issue("P")
    ctx = new_context(browser)
    page = ctx.new_page()
    response = page.goto(ticket["tracking_url"] + "/rate")
    assert response is not None and response.status == 200
    page.locator("#rate-not-served").wait_for(state="visible")
    assert page.locator("#rate-form").count() == 0
    page.locator(".lang-switch a[hreflang=en]").click()
    page.wait_for_url("**lang=en")
    assert "finished" in page.locator("#rate-not-served").inner_text()
    assert page.goto(f"{server.url}/t/{'z' * 22}/rate").status == 404  # type: ignore[union-attr]
    ctx.close()


def test_supervisor_sees_ikm_and_records_a_follow_up(
    server: WebServer, browser: Any, artifacts: Path
) -> None:
    for score in (4, 3):
        ticket = _served(server)
        with server.client() as c:
            body = {
                "tracking_token": ticket["tracking_token"],
                "overall": score,
                "contact_me": score == 3,
                "suggestion": f"Saran {score}",
                "blocks": [{"questionnaire": "skm9", "version": 1,
                            "answers": {f"U{i}": score for i in range(1, 10)} | {"U3": 2}}],
            }  # fmt: skip
            assert c.post("/ratings", json=body).status_code == 201
    ctx = new_context(browser)
    open_console(ctx, server)  # signs in as admin: the session cookie is set
    page = ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/ikm")
    page.wait_for_function("window.loketIkm && window.loketIkm.loaded >= 1")
    assert page.locator("#ikm-message").is_hidden()
    assert int(page.locator("#ikm-respondents").inner_text()) >= 2
    assert page.locator("#ikm-grade").inner_text()[0] in "ABCD"
    assert page.locator("#ikm-weakest li").first.inner_text().startswith("U3")
    callbacks = page.locator("#ikm-callbacks tbody tr")
    assert callbacks.count() == 1 and "Saran 3" in callbacks.first.inner_text()
    page.locator("#plan-what").fill("Tambah petugas pada jam sibuk")
    page.locator("#plan-who").fill("Kepala Subbagian Umum")
    page.locator("#plan-when").fill("2027-03-31")
    page.locator("#plan-add").click()
    page.locator("#ikm-plan tbody tr", has_text="Tambah petugas").wait_for()
    assert "U3" in page.locator("#ikm-plan tbody tr").first.inner_text()
    page.screenshot(path=str(artifacts / "rating-ikm.png"), full_page=True)
    ctx.close()
    # a visitor without a session is told to sign in, and sees no numbers
    anonymous = new_context(browser)
    page = anonymous.new_page()
    page.goto(f"{server.url}/ikm")
    page.wait_for_function("window.loketIkm && window.loketIkm.loaded >= 1")
    assert page.locator("#ikm-message").is_visible()
    assert page.locator("#ikm-result").is_hidden()
    anonymous.close()


def test_form_rated_meanwhile_on_the_tablet_says_so(server: WebServer, browser: Any) -> None:
    ticket = _served(server)
    ctx = new_context(browser)
    page = ctx.new_page()
    page.goto(ticket["tracking_url"] + "/rate")
    page.wait_for_function("window.loketRating && window.loketRating.ready")
    page.locator(".face-4 input").check()
    with server.client() as c:  # the visitor rated on the tablet by the door meanwhile
        r = c.post("/ratings", json={"tracking_token": ticket["tracking_token"], "overall": 3})
        assert r.status_code == 201
    page.locator("#rate-send").click()
    page.locator("#rate-rated-now").wait_for(state="visible")
    assert page.locator("#rate-thanks").is_hidden()
    ctx.close()


def test_contact_request_opens_the_visit_through_the_audited_privacy_desk(
    server: WebServer, browser: Any, artifacts: Path
) -> None:
    server.reset()
    registration = register_visitor(server)  # through the guestbook: the visit holds the contact
    ticket = registration["ticket"]
    called = server.call_next(1)
    assert called is not None and called["id"] == ticket["id"]
    with server.client(server.login()) as c:
        for step in ("start", "finish"):
            assert c.post(f"/tickets/{ticket['id']}/{step}", json={}).status_code == 200
    with server.client() as c:
        body = {"tracking_token": ticket["tracking_token"], "overall": 2, "contact_me": True,
                "suggestion": "Mohon dihubungi soal data"}  # fmt: skip
        r = c.post("/ratings", json=body)
        assert r.status_code == 201, r.text
        rating_id = r.json()["id"]
    day = local_day(utcnow(), "Asia/Jakarta").isoformat()
    period = {"from": day, "to": day, "contact_me": "true"}

    ctx = new_context(browser)
    open_console(ctx, server)  # an admin signed in on the console
    page = ctx.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server.url}/ikm")
    page.wait_for_function("window.loketIkm && window.loketIkm.loaded >= 1")
    row = page.locator(f"#ikm-callbacks tbody tr[data-rating='{rating_id}']")
    expect(row).to_contain_text("Mohon dihubungi soal data")
    for value in (NAME, EMAIL, PHONE, NIK):  # no name or contact in the ratings list
        assert value not in page.content()
    row.locator("a.ikm-contact-open").click()
    page.wait_for_url(f"{server.url}/console")  # the visit id is cleaned from the address
    expect(page.locator("#desk-record")).to_be_visible()
    expect(page.locator("#desk-message")).to_contain_text(ticket["number"])
    email = page.locator("#desk-fields tr[data-field=email] td.value")
    expect(email).not_to_have_text(EMAIL)  # masked until revealed with a reason
    page.locator("#desk-fields tr[data-field=email] button").click()
    expect(page.locator("#desk-error")).to_have_text(t("web.desk_reason_needed", "id"))
    reason = "Menghubungi pengunjung atas permintaan di penilaian layanan"
    page.locator("#desk-reason").fill(reason)
    page.locator("#desk-fields tr[data-field=email] button").click()
    expect(email).to_have_text(EMAIL)
    page.screenshot(path=str(artifacts / "rating-contact-desk.png"), full_page=True)
    with server.client(server.login()) as c:
        entries = c.get("/audit", params={"visitor_id": registration["visitor_id"]}).json()
    opened = [
        e for e in entries if e["action"] == "open" and e["visit_id"] == registration["visit_id"]
    ]
    revealed = [e for e in entries if e["action"] == "reveal"]
    assert len(opened) == 1 and opened[0]["user_id"] is not None
    assert [(e["fields"], e["reason"]) for e in revealed] == [(["email"], reason)]

    # back on the IKM page: mark it handled (who, when), recorded and audited
    page.goto(f"{server.url}/ikm")
    page.wait_for_function("window.loketIkm && window.loketIkm.loaded >= 1")
    row = page.locator(f"#ikm-callbacks tbody tr[data-rating='{rating_id}']")
    row.locator("button.ikm-contact-mark").click()
    expect(row.locator(".ikm-contact-state")).to_contain_text("admin")
    ctx.close()
    with server.client(server.login()) as c:
        listed = {r["id"]: r for r in c.get("/ratings", params=period).json()}
        assert listed[rating_id]["contact_handled_by"] == "admin"
        first_at = listed[rating_id]["contact_handled_at"]
        assert first_at is not None
        again = c.post(f"/ratings/{rating_id}/contact-handled")  # the first mark stands
        assert again.status_code == 200 and again.json()["contact_handled_at"] == first_at
        handled = c.get("/audit", params={"action": "contact_handled"}).json()
        assert [(e["visit_id"], e["visitor_id"]) for e in handled] == [
            (registration["visit_id"], registration["visitor_id"])
        ]
        plain = _served(server)  # a rating that did not ask to be contacted
        with server.client() as visitor:
            r = visitor.post(
                "/ratings", json={"tracking_token": plain["tracking_token"], "overall": 4}
            )
        refused = c.post(f"/ratings/{r.json()['id']}/contact-handled")
        assert (
            refused.status_code == 409
            and refused.json()["error"]["code"] == "not_a_contact_request"
        )
        assert c.post("/ratings/999999/contact-handled").status_code == 404
    with server.client(server.login("petugas1", STAFF_PASSWORD)) as staff:
        assert staff.post(f"/ratings/{rating_id}/contact-handled").status_code == 403
    with server.client() as anonymous:
        assert anonymous.get("/ratings", params=period).status_code == 401
        assert anonymous.post(f"/ratings/{rating_id}/contact-handled").status_code == 401
        assert anonymous.get(f"/visits/{registration['visit_id']}").status_code == 401
