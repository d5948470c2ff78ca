"""The staff console in a real headless Chromium against a real server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import expect

from tests.web.pages import new_context, open_board, open_console
from tests.web.server_harness import STAFF_PASSWORD, WebServer

VISITOR_TEXT = {"name": "Siti Rahmawati", "id_number": "1906015505900001"}


def current(page: Any) -> str:
    return str(page.locator("#current-number").inner_text())


def wait_current(page: Any, number: str) -> None:
    page.wait_for_function(
        "n => document.getElementById('current-number').textContent === n", arg=number
    )


def press(page: Any, key: str) -> None:
    """Press a shortcut once the console is idle (keys are ignored while a request runs)."""
    page.wait_for_function("!window.loketConsole.busy")
    page.keyboard.press(key)


def expect_message(page: Any, text: str) -> None:
    page.locator("#message", has_text=text).wait_for()


def waiting_numbers(page: Any, prefix: str) -> list[str]:
    section = page.locator(f"#waiting-lists .service-queue:has(h3:text-matches('^{prefix} '))")
    return [str(td.inner_text()) for td in section.locator("td.num").all()]


def ticket_status(server: WebServer, ticket_id: int) -> str:
    with server.client(server.login()) as c:
        return str(c.get(f"/tickets/{ticket_id}").json()["status"])


def test_serve_a_visitor_with_keyboard_shortcuts(
    server: WebServer, browser: Any, artifacts: Path
) -> None:
    server.reset()
    ticket = server.issue("P")
    number = ticket["number"]
    ctx = new_context(browser)
    page = open_console(ctx, server, username="petugas1", password=STAFF_PASSWORD)
    assert waiting_numbers(page, "P") == [number]

    press(page, "n")
    wait_current(page, number)
    expect(page.locator("#current-status")).to_have_text("Dipanggil")
    assert page.locator("[data-action=start]").is_enabled()
    assert page.locator("[data-action=finish]").is_disabled()

    press(page, "r")
    expect_message(page, f"{number} dipanggil ulang")
    press(page, "x")
    page.wait_for_function("document.getElementById('current-number').textContent === '—'")
    no_show = page.locator("#no-show-list li", has_text=number)
    no_show.wait_for()
    no_show.get_by_role("button", name="Kembalikan ke antrean").click()
    page.wait_for_function(
        "n => [...document.querySelectorAll('#waiting-lists td.num')].some(td => td.textContent === n)",
        arg=number,
    )
    assert ticket_status(server, ticket["id"]) == "waiting"

    press(page, "n")
    wait_current(page, number)
    press(page, "s")
    page.wait_for_function("document.getElementById('current-ticket').dataset.status === 'serving'")
    page.screenshot(path=str(artifacts / "console-serving.png"))
    page.locator("#finish-note").fill("Tabel PDRB 2024 diberikan")
    page.locator("#finish-note").press("Enter")
    page.wait_for_function("document.getElementById('current-ticket').dataset.status === 'none'")
    assert ticket_status(server, ticket["id"]) == "done"
    ctx.close()


def test_transfer_and_pause(server: WebServer, browser: Any) -> None:
    server.reset()
    ticket = server.issue("P")
    ctx = new_context(browser)
    page = open_console(ctx, server, username="petugas1", password=STAFF_PASSWORD)
    press(page, "n")
    wait_current(page, ticket["number"])
    press(page, "t")
    page.locator("#transfer-row").wait_for(state="visible")
    page.locator("#transfer-target").select_option(label="K · Konsultasi Statistik")
    page.locator("#transfer-confirm").click()
    page.wait_for_function("document.getElementById('current-number').textContent === '—'")
    page.wait_for_function(
        "n => [...document.querySelectorAll('#waiting-lists td.num')].some(td => td.textContent === n)",
        arg=ticket["number"],
    )
    assert waiting_numbers(page, "K") == [ticket["number"]]

    press(page, "p")
    page.locator("#counter-state", has_text="Loket dijeda").wait_for()
    expect(page.locator("[data-action=call-next]")).to_be_disabled()
    assert page.locator("[data-action=pause]").inner_text().startswith("Lanjutkan loket")
    press(page, "p")
    page.wait_for_function("document.getElementById('counter-state').dataset.paused === '0'")
    expect(page.locator("[data-action=call-next]")).to_be_enabled()
    ctx.close()


def test_a_stale_console_is_told_clearly(server: WebServer, browser: Any) -> None:
    server.reset()
    ticket = server.issue("J")
    one, two = new_context(browser), new_context(browser)
    a = open_console(one, server, username="petugas1", password=STAFF_PASSWORD, counter=1)
    b = open_console(two, server, username="petugas2", password=STAFF_PASSWORD, counter=1)
    press(a, "n")
    wait_current(b, ticket["number"])
    # b stops listening (e.g. a flaky network) while a starts serving the ticket.
    b.evaluate("window.loketConsole.events.close(); window.loketConsole.scheduleRefresh = () => {}")
    press(a, "s")
    a.wait_for_function("document.getElementById('current-ticket').dataset.status === 'serving'")
    press(b, "s")  # the real server answers 409: the ticket is already being served
    expect_message(b, "sudah berubah")
    b.wait_for_function("document.getElementById('current-ticket').dataset.status === 'serving'")

    # A lost race on "call next" (possible on PostgreSQL under load) reads:
    b.route(
        "**/call-next",
        lambda route: route.fulfill(
            status=409,
            content_type="application/json",
            body=json.dumps({"error": {"code": "lost_race", "message": "Another counter..."}}),
        ),
    )
    b.evaluate("window.loketConsole.act('call-next')")
    b.locator("#message", has_text="Tiket ini sudah dipanggil loket lain.").wait_for()
    one.close()
    two.close()


def test_guestbook_panel_degrades_when_visit_is_missing(server: WebServer, browser: Any) -> None:
    server.reset()
    with server.client(server.kiosk_token) as c:
        services = {s["prefix"]: s["id"] for s in c.get("/services").json()}
        r = c.post("/tickets", json={"service_id": services["R"], "visit_id": 999_999})
        ticket = r.json()
    ctx = new_context(browser)
    page = open_console(ctx, server)
    press(page, "n")
    wait_current(page, ticket["number"])
    page.locator("#visit-panel").wait_for(state="visible")
    page.locator("#visit-note", has_text="tidak tersedia").wait_for()
    ctx.close()


def test_printer_alert_and_device_health(server: WebServer, browser: Any, artifacts: Path) -> None:
    server.reset()
    ctx = new_context(browser)
    board = open_board(new_context(browser), server)  # the board sends heartbeats itself
    page = open_console(ctx, server)  # admin: sees the devices tab
    with httpx.Client(base_url=server.url + "/api/v1", timeout=10) as c:
        r = c.post(
            "/devices/heartbeat",
            headers={"Authorization": f"Bearer {server.kiosk_token}"},
            json={"printer": {"online": True, "paper": "out", "error": None}},
        )
        assert r.status_code == 204
    alert = page.locator("#alerts .alert")
    expect(alert).to_contain_text("Kios lobi")
    expect(alert).to_contain_text("kertas habis")
    page.get_by_role("tab", name="Perangkat").click()
    rows = page.locator("#devices-body tr")
    page.wait_for_function("document.querySelectorAll('#devices-body tr[data-device]').length >= 2")
    by_name = {row.locator("td").nth(0).inner_text(): row for row in rows.all()}
    kiosk = by_name["Kios lobi"]
    expect(kiosk.locator("td").nth(1)).to_have_text("Kios")
    expect(kiosk.locator("td").nth(2)).to_contain_text("Daring")
    expect(kiosk.locator("td").nth(4)).to_contain_text("kertas habis")
    expect(by_name["Papan lobi"].locator("td").nth(2)).to_contain_text("Daring")
    page.screenshot(path=str(artifacts / "console-devices.png"))
    board.context.close()

    staff = open_console(new_context(browser), server, username="petugas1", password=STAFF_PASSWORD)
    assert staff.get_by_role("tab", name="Perangkat").is_hidden()
    staff.context.close()
    ctx.close()


def test_desk_registration(server: WebServer, browser: Any, artifacts: Path) -> None:
    server.reset()
    ctx = new_context(browser)
    page = open_console(ctx, server, username="petugas1", password=STAFF_PASSWORD)
    page.get_by_role("tab", name="Pendaftaran di meja").click()
    with server.client(server.login()) as c:
        available = c.get("/guestbook/form").status_code == 200
    if not available:
        # The guestbook API is not on this server yet: the page says so, no crash.
        page.locator("#register-unavailable").wait_for(state="visible")
        assert page.locator("#register-submit").is_disabled()
        ctx.close()
        return
    page.locator("#register-fields label").first.wait_for()
    page.locator("#register-consent").check()
    for field in page.locator("#register-fields [required]").all():
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(index=1)  # the first real choice (KTP for id_type)
        else:
            field.fill(VISITOR_TEXT.get(str(field.get_attribute("name")), "Tamu Uji"))
    page.locator("#reg-email").fill("tamu.uji@example.go.id")
    page.locator("#reg-sex").select_option("female")  # as the NIK says (the server checks)
    # the form is the server's: a "Lainnya" occupation asks for its name, as data says
    other = page.locator('[data-field="occupation_other"]')
    expect(other).to_be_hidden()
    page.locator("#reg-occupation").select_option("lainnya")
    expect(other).to_be_visible()
    assert page.locator("#reg-occupation_other").get_attribute("required") is not None
    page.locator("#reg-occupation").select_option(index=1)
    expect(other).to_be_hidden()
    page.locator("#register-service").select_option(label="K · Konsultasi Statistik")

    page.screenshot(path=str(artifacts / "console-registration-form.png"), full_page=True)

    # The first answer is lost on the way back (the server did register it).
    lost: list[str] = []

    def drop_answer(route: Any) -> None:
        route.fetch()
        lost.append(json.loads(route.request.post_data)["client_request_id"])
        route.abort()

    page.route("**/api/v1/registrations", drop_answer, times=1)
    page.locator("#register-submit").click()
    page.locator("#register-error", has_text="tiket tidak akan dobel").wait_for()
    with page.expect_request("**/api/v1/registrations") as sent:
        page.locator("#register-submit").click()
    assert json.loads(sent.value.post_data)["client_request_id"] == lost[0]
    page.locator("#register-result").wait_for(state="visible")
    number = page.locator("#register-number").inner_text()
    assert number.startswith("K")
    page.screenshot(path=str(artifacts / "console-registration.png"))
    with server.client(server.login()) as c:
        waiting = [t for s in c.get("/queue").json()["services"] for t in s["waiting"]]
    assert [t["number"] for t in waiting] == [number]  # one ticket, not two

    page.get_by_role("tab", name="Antrean").click()
    press(page, "n")
    wait_current(page, number)
    panel = page.locator("#visit-panel")
    panel.locator("dd").first.wait_for()
    rows = dict(
        zip(
            panel.locator("dt").all_inner_texts(),
            panel.locator("dd").all_inner_texts(),
            strict=True,
        )
    )
    assert rows["Nama"] != "Siti Rahmawati" and rows["Nama"].startswith("S")
    assert "1906015505900001" not in rows["Nomor identitas"]
    assert rows["Jenis identitas"] == "KTP (NIK)"
    page.screenshot(path=str(artifacts / "console-visit.png"))
    ctx.close()


def test_console_in_english(server: WebServer, browser: Any) -> None:
    ctx = new_context(browser)
    page = open_console(ctx, server, lang="en")
    assert page.locator("[data-action=call-next]").inner_text().startswith("Call next")
    assert page.get_by_role("tab", name="Desk registration").is_visible()
    ctx.close()


def test_pages_run_under_their_csp(server: WebServer, browser: Any) -> None:
    """Without bypass_csp: the pages' own scripts, styles and audio are allowed."""
    ctx = browser.new_context()
    problems: list[str] = []
    for path in (f"/board?token={server.board_token}", "/console"):
        page = ctx.new_page()
        page.on(
            "console", lambda m: problems.append(m.text) if "Security Policy" in m.text else None
        )
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(server.url + path)
    board, console = ctx.pages
    board.locator("#unit-name", has_text="Belitung Timur").wait_for()
    console.locator("#login-username").fill("admin")
    console.locator("#login-password").fill("admin-password-123")
    console.locator("#login-form button[type=submit]").click()
    console.locator("#app-view").wait_for(state="visible")
    console.locator("#unit-name", has_text="Belitung Timur").wait_for()
    assert problems == []
    ctx.close()


def test_lookup_budget_alert_reaches_the_console(server: WebServer, browser: Any) -> None:
    server.reset()
    page = open_console(new_context(browser), server)
    with httpx.Client(base_url=server.url + "/api/v1", timeout=10) as c:
        kiosk = {"Authorization": f"Bearer {server.kiosk_token}"}
        codes = [
            c.post("/visitors/lookup", json={"nik": f"190601450190{n:04d}"}, headers=kiosk)
            for n in range(30)
        ]
    assert codes[-1].status_code == 429 and int(codes[-1].headers["Retry-After"]) >= 1
    alert = page.locator("#alerts .alert", has_text="pencarian data pengunjung")
    alert.wait_for()
    assert "Kios lobi" in alert.inner_text()
    page.context.close()


def test_console_links_reports_and_ikm_for_supervisors_only(
    server: WebServer, browser: Any
) -> None:
    ctx = new_context(browser)
    staff = open_console(ctx, server, username="petugas1", password=STAFF_PASSWORD)
    expect(staff.locator("#reports-link")).to_be_hidden()
    expect(staff.locator("#ikm-link")).to_be_hidden()
    ctx.close()
    ctx = new_context(browser)
    admin = open_console(ctx, server)
    expect(admin.locator("#ikm-link")).to_be_visible()
    expect(admin.locator("#reports-link")).to_be_visible()
    admin.locator("#reports-link").click()
    admin.wait_for_url("**/reports")
    ctx.close()
