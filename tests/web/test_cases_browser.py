"""Cases in a real Chromium: the public tracking page shows the steps, the due
date and the office's contact and never personal data; a visitor files a
complaint from it; staff follow a request on /cases (clock highlights, steps)."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa

from server.db.cases_schema import cases
from server.db.database import Database, create_db_engine
from tests.web.pages import new_context
from tests.web.server_harness import ADMIN_PASSWORD, WebServer

SECRET_VALUES = (
    "Ani Wulandari",
    "ani.w@dinas.example.go.id",
    "081299887766",
    "catatan-rahasia",
    "Variabel X kosong",
    "Survei Rahasia Dinas",
)


def open_case(server: WebServer, token: str, **extra: Any) -> dict[str, Any]:
    with server.client(token) as c:
        r = c.post(
            "/cases",
            json={
                "kind": "recommendation",
                "title": "Survei Rahasia Dinas",
                "form": {"title": "Survei Rahasia Dinas", "year": 2026, "method": "survey", "organiser_agency": "Dinas Kesehatan"},
                "contact": {
                    "name": SECRET_VALUES[0],
                    "email": SECRET_VALUES[1],
                    "phone": SECRET_VALUES[2],
                },
                "note": SECRET_VALUES[3],
                **extra,
            },
        )
        assert r.status_code == 201, r.text
        case = dict(r.json())
        r = c.post(
            f"/cases/{case['id']}/steps",
            json={
                "step": "revision_needed",
                "values": {"missing": SECRET_VALUES[4]},
                "note": SECRET_VALUES[3],
            },
        )
        assert r.status_code == 200, r.text
        return dict(r.json())


def test_tracking_page_shows_steps_and_no_personal_data(server: WebServer, browser: Any) -> None:
    token = server.login()
    case = open_case(server, token)
    context = new_context(browser)
    try:
        page = context.new_page()
        page.goto(case["tracking_url"] + "?lang=id")
        page.wait_for_function(
            "document.querySelectorAll('#track-case-steps li').length === 2", timeout=10_000
        )
        steps = page.locator("#track-case-steps li").all_inner_texts()
        assert "Formulir permohonan diterima" in steps[0]
        assert "Perlu perbaikan" in steps[1]
        assert page.locator("#track-case-current").inner_text() == "Perlu perbaikan"
        assert page.locator("#track-case-due").inner_text() == case["due_date"]
        assert "BPS" in page.locator("#track-office").inner_text()
        html = page.content()
        for value in SECRET_VALUES:
            assert value not in html, value
        page.goto(case["tracking_url"] + "?lang=en")
        page.wait_for_function(
            "document.querySelector('#track-case-current').textContent.includes('Needs revision')",
            timeout=10_000,
        )
        assert "Request form received" in page.locator("#track-case-steps").inner_text()
        # a visitor files a complaint from the page
        page.locator("#track-complaint-link").click()
        page.locator("#complaint-text").fill("Antrean terlalu lama")
        page.locator("#complaint-submit").click()
        page.locator("#complaint-thanks").wait_for(state="visible", timeout=10_000)
        with server.client(token) as c:
            complaints = c.get("/complaints").json()
        assert len(complaints) == 1
        assert complaints[0]["channel"] == "web" and complaints[0]["anonymous"] is True
        # an empty complaint is refused in the visitor's language, nothing stored
        page.goto(case["tracking_url"] + "/complaint?lang=id")
        page.evaluate("document.querySelector('#complaint-text').removeAttribute('required')")
        page.locator("#complaint-submit").click()
        page.locator("#complaint-error").wait_for(state="visible", timeout=10_000)
        with server.client(token) as c:
            assert len(c.get("/complaints").json()) == 1
    finally:
        context.close()


def test_staff_page_lists_by_days_left_and_takes_steps(server: WebServer, browser: Any) -> None:
    token = server.login()
    overdue = open_case(server, token)
    fresh = open_case(server, token)
    db = Database(create_db_engine(server.settings.sqlalchemy_url))
    with db.write() as conn:  # the first request was handed in long ago: overdue
        conn.execute(
            sa.update(cases)
            .where(cases.c.id == overdue["id"])
            .values(clock_start=date(2025, 1, 6), due_date=date(2025, 2, 19))
        )
    db.dispose()
    context = new_context(browser)
    try:
        login = context.request.post(
            f"{server.url}/api/v1/auth/login",
            data={"username": "admin", "password": ADMIN_PASSWORD},
        )
        assert login.ok
        page = context.new_page()
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto(f"{server.url}/cases?lang=id")
        row = page.locator(f"#case-list tr[data-id='{overdue['id']}']")
        row.wait_for(state="visible", timeout=10_000)
        assert "clock-overdue" in (row.get_attribute("class") or "")
        first_id = page.locator("#case-list tbody tr").first.get_attribute("data-id")
        assert first_id == str(overdue["id"])  # most urgent first
        assert "clock-overdue" not in (
            page.locator(f"#case-list tr[data-id='{fresh['id']}']").get_attribute("class") or ""
        )
        row.click()
        page.wait_for_function(
            "document.querySelector('#detail-title').textContent.includes('Perlu perbaikan')",
            timeout=10_000,
        )
        assert page.locator("#step-select option").all_inner_texts() == ["Perbaikan diterima"]
        page.locator("#step-submit").click()
        page.wait_for_function(
            "document.querySelectorAll('#detail-steps li').length === 3", timeout=10_000
        )
        options = page.locator("#step-select option").all_inner_texts()
        assert set(options) == {"Formulir lengkap", "Perlu perbaikan"}
        # a required field left empty: the API refuses and the page says so
        page.locator("#step-select").select_option("revision_needed")
        page.evaluate("document.querySelector('[data-field=missing]').removeAttribute('required')")
        page.locator("#step-submit").click()
        page.wait_for_function("!document.querySelector('#message').hidden", timeout=10_000)
        assert page.locator("#detail-steps li").count() == 3
    finally:
        context.close()
