"""The admin pages in a real headless Chromium against a real server: create, edit,
validation errors, permission denied, and changes reaching a live board and kiosk."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
from playwright.sync_api import expect

from server.i18n import t
from tests.web.pages import new_context, open_board, open_console
from tests.web.server_harness import ADMIN_PASSWORD, STAFF_PASSWORD, WebServer


def open_admin(
    context: Any, server: WebServer, *, username: str = "admin", password: str = ADMIN_PASSWORD,
    tab: str = "office",
) -> Any:  # fmt: skip
    """Sign in on the console (the admin pages share its session), then open /admin."""
    page = context.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server.url}/console")
    page.locator("#login-username").fill(username)
    page.locator("#login-password").fill(password)
    page.locator("#login-form button[type=submit]").click()
    page.locator("#app-view").wait_for(state="visible")
    page.goto(f"{server.url}/admin#{tab}")
    return page


def expect_saved(page: Any) -> None:
    expect(page.locator("#admin-message")).to_have_text(t("admin.saved", "id"))


def api(server: WebServer, path: str) -> Any:
    with server.client(server.login()) as c:
        r = c.get(path)
        r.raise_for_status()
        return r.json()


def test_office_edit_reaches_the_live_board_and_bad_input_is_refused(
    server: WebServer, browser: Any
) -> None:
    ctx = new_context(browser)
    board = open_board(ctx, server)
    page = open_admin(ctx, server)
    expect(page.locator("#office-name")).to_have_value("BPS Kabupaten Belitung Timur")
    page.locator("#office-running-text").fill("Layanan PST buka Senin-Jumat 08.00-15.30")
    page.locator("#office-whatsapp").fill("0812 7856 3877")
    page.locator("#hours-mon").fill("08:00-15:30")
    page.locator("#office-complaints").fill("lapor.go.id\nbps1906@bps.go.id")
    page.locator("#office-save").click()
    expect_saved(page)
    expect(board.locator("#running-text")).to_contain_text(
        "Layanan PST buka Senin-Jumat 08.00-15.30", timeout=10_000
    )
    office = api(server, "/admin/office")
    assert office["opening_hours"] == {"mon": "08:00-15:30"}
    assert office["complaint_channels"] == ["lapor.go.id", "bps1906@bps.go.id"]

    page.locator("#office-email").fill("bukan-email")
    page.locator("#office-save").click()
    expect(page.locator("#office-error")).to_have_text(t("admin.err_bad_email", "id"))
    page.locator("#office-email").fill("bps1906@bps.go.id")
    page.locator("#hours-tue").fill("17:00-08:00")
    page.locator("#office-save").click()
    expect(page.locator("#office-error")).to_have_text(t("admin.err_bad_hours", "id"))
    assert api(server, "/admin/office") == office
    ctx.close()


def test_services_create_edit_conflict_and_kiosk_hears_it(server: WebServer, browser: Any) -> None:
    heard: list[str] = []
    listening = threading.Event()

    def listen() -> None:  # the kiosk's own event stream, with its device token
        url = f"{server.url}/api/v1/events?token={server.kiosk_token}"
        with httpx.stream("GET", url, timeout=30) as r:
            for line in r.iter_lines():
                listening.set()
                if line.startswith("event: "):
                    heard.append(line[7:])
                    if line == "event: services.updated":
                        return

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    assert listening.wait(10)

    ctx = new_context(browser)
    page = open_admin(ctx, server, tab="services")
    expect(page.locator("#services-body tr")).to_have_count(4)
    page.locator("#service-code").fill("pengaduan")
    page.locator("#service-prefix").fill("a")
    page.locator("#service-name-id").fill("Pengaduan Layanan")
    page.locator("#service-name-en").fill("Service Complaints")
    page.locator("#service-case-kind").fill("complaint")
    page.locator("#service-save").click()
    expect_saved(page)
    expect(page.locator("#services-body tr")).to_have_count(5)
    thread.join(10)
    assert "services.updated" in heard
    with server.client(server.kiosk_token) as c:
        kiosk_services = c.get("/services").json()
    assert [s["code"] for s in kiosk_services if s["prefix"] == "A"] == ["pengaduan"]

    page.locator("#services-body tr[data-service=konsultasi] button").click()
    expect(page.locator("#service-code")).to_be_disabled()
    page.locator("#service-prefix").fill("A")
    page.locator("#service-save").click()
    expect(page.locator("#service-error")).to_have_text(t("admin.err_service_prefix_taken", "id"))
    page.locator("#service-prefix").fill("K")
    page.locator("#service-name-en").fill("Statistical Consultation Desk")
    page.locator("#service-active").uncheck()
    page.locator("#service-save").click()
    expect_saved(page)
    row = page.locator("#services-body tr[data-service=konsultasi]")
    expect(row).to_contain_text("Statistical Consultation Desk")
    expect(row).to_have_class("inactive")
    page.locator("#services-body tr[data-service=konsultasi] button").click()
    page.locator("#service-active").check()
    page.locator("#service-save").click()
    expect_saved(page)
    ctx.close()


def test_counters_create_pause_and_edit(server: WebServer, browser: Any) -> None:
    ctx = new_context(browser)
    page = open_admin(ctx, server, tab="counters")
    expect(page.locator("#counters-body tr")).to_have_count(2)
    page.locator("#counter-number").fill("1")
    page.locator("#counter-name").fill("Loket Dobel")
    page.locator("#counter-save").click()
    expect(page.locator("#counter-error")).to_have_text(t("admin.err_counter_number_taken", "id"))
    page.locator("#counter-number").fill("3")
    page.locator("#counter-name").fill("Loket 3")
    boxes = page.locator("#counter-services input")
    for i in range(boxes.count()):
        boxes.nth(i).uncheck()
    page.locator("#counter-services label", has_text="Perpustakaan").locator("input").check()
    page.locator("#counter-save").click()
    expect_saved(page)
    row = page.locator("#counters-body tr[data-counter='3']")
    expect(row).to_contain_text("Loket 3")
    row.locator("button[data-act=pause]").click()
    expect(row).to_contain_text(t("admin.counter_paused", "id"))
    counters = {c["number"]: c for c in api(server, "/counters")}
    assert counters[3]["paused"] is True and len(counters[3]["service_ids"]) == 1
    row.locator("button[data-act=pause]").click()
    expect(row).to_contain_text(t("admin.counter_open", "id"))
    ctx.close()


def test_staff_add_reset_new_password_and_disable(server: WebServer, browser: Any) -> None:
    ctx = new_context(browser)
    page = open_admin(ctx, server, tab="staff")
    page.locator("#staff-username").fill("ratna")
    page.locator("#staff-full-name").fill("Ratna Sari")
    page.locator("#staff-role").select_option("supervisor")
    page.locator("#staff-password").fill("pendek")
    page.locator("#staff-save").click()
    expect(page.locator("#staff-error")).to_have_text(t("admin.err_weak_password", "id"))
    page.locator("#staff-password").fill("sementara-123")
    page.locator("#staff-save").click()
    expect_saved(page)
    row = page.locator("#staff-body tr[data-user=ratna]")
    expect(row).to_contain_text(t("admin.state_reset", "id"))
    page.locator("#staff-username").fill("ratna")
    page.locator("#staff-password").fill("whatever-123")
    page.locator("#staff-save").click()
    expect(page.locator("#staff-error")).to_have_text(t("admin.err_username_taken", "id"))

    # Ratna signs in: the console sends her to choose her own password first.
    other = new_context(browser)
    console = other.new_page()
    console.goto(f"{server.url}/console")
    console.locator("#login-username").fill("ratna")
    console.locator("#login-password").fill("sementara-123")
    console.locator("#login-form button[type=submit]").click()
    console.wait_for_url("**/account/password?u=ratna")
    expect(console.locator("#pw-username")).to_have_value("ratna")
    console.locator("#pw-current").fill("sementara-123")
    console.locator("#pw-new").fill("ratna-sendiri-1")
    console.locator("#pw-repeat").fill("ratna-sendiri-2")
    console.locator("#pw-save").click()
    expect(console.locator("#pw-error")).to_have_text(t("admin.pw_mismatch", "id"))
    console.locator("#pw-repeat").fill("ratna-sendiri-1")
    console.locator("#pw-save").click()
    expect(console.locator("#pw-done")).to_be_visible()
    supervisor = open_admin(other, server, username="ratna", password="ratna-sendiri-1",
                            tab="counters")  # fmt: skip
    expect(supervisor.locator("#admin-view")).to_be_visible()
    expect(supervisor.locator(".tab[data-tab=staff]")).to_be_hidden()
    expect(supervisor.locator(".tab[data-tab=audit]")).to_be_visible()
    expect(supervisor.locator("#counter-form")).to_be_hidden()

    page.reload()
    row = page.locator("#staff-body tr[data-user=ratna]")
    expect(row).to_contain_text(t("admin.state_active", "id"))
    row.locator("button[data-act=reset]").click()
    page.locator("#reset-password").fill("reset-lagi-456")
    page.locator("#reset-save").click()
    expect(page.locator("#admin-message")).to_have_text(t("admin.reset_done", "id", user="ratna"))
    expect(row).to_contain_text(t("admin.state_reset", "id"))
    with httpx.Client(base_url=server.url + "/api/v1") as c:
        r = c.post("/auth/login", json={"username": "ratna", "password": "reset-lagi-456"})
        assert r.json()["error"]["code"] == "password_change_required"
    row.locator("button[data-act=active]").click()
    expect(row).to_contain_text(t("admin.state_disabled", "id"))
    me = page.locator("#staff-body tr[data-user=admin]")
    me.locator("select").select_option("staff")
    expect(page.locator("#staff-error")).to_have_text(t("admin.err_last_admin", "id"))
    other.close()
    ctx.close()


def test_devices_token_once_with_qr_and_revoke(server: WebServer, browser: Any) -> None:
    ctx = new_context(browser)
    page = open_admin(ctx, server, tab="devices")
    page.locator("#device-kind").select_option("board")
    page.locator("#device-name").fill("TV ruang tunggu")
    page.locator("#device-save").click()
    expect(page.locator("#device-token-box")).to_be_visible()
    token = page.locator("#device-token").inner_text()
    assert token.startswith("dev_")
    expect(page.locator("#device-pair-url")).to_have_text(f"{server.url}/board?token={token}")
    page.wait_for_function("document.getElementById('device-qr').naturalWidth > 0")
    with httpx.Client(base_url=server.url + "/api/v1") as c:
        assert c.get("/queue", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    page.locator("#device-name").fill("   ")
    page.locator("#device-save").click()
    expect(page.locator("#device-error")).to_have_text(t("admin.err_required", "id"))
    page.on("dialog", lambda d: d.accept())
    device_id = next(
        d["id"] for d in api(server, "/admin/devices") if d["name"] == "TV ruang tunggu"
    )
    page.locator(f"#devices-body tr[data-device='{device_id}'] button[data-act=revoke]").click()
    expect(page.locator(f"#devices-body tr[data-device='{device_id}']")).to_contain_text(
        t("admin.revoked", "id")
    )
    with httpx.Client(base_url=server.url + "/api/v1") as c:
        assert c.get("/queue", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    ctx.close()


def test_audit_page_filters(server: WebServer, browser: Any) -> None:
    ctx = new_context(browser)
    page = open_admin(ctx, server, tab="audit")
    expect(page.locator("#audit-body tr").first).to_be_visible()
    page.locator("#audit-action").fill("admin.office.update")
    page.locator("#audit-apply").click()
    rows = page.locator("#audit-body tr")
    expect(rows.first).to_have_attribute("data-action", "admin.office.update")
    actions = {rows.nth(i).get_attribute("data-action") for i in range(rows.count())}
    assert actions == {"admin.office.update"}
    page.locator("#audit-user").select_option(label="petugas2")
    page.locator("#audit-apply").click()
    expect(page.locator("#audit-body")).to_have_text(t("admin.audit_empty", "id"))
    page.locator("#audit-user").select_option(label="admin")
    page.locator("#audit-action").fill("")
    page.locator("#audit-from").fill("2020-01-01")
    page.locator("#audit-to").fill("2020-01-31")
    page.locator("#audit-apply").click()
    expect(page.locator("#audit-body")).to_have_text(t("admin.audit_empty", "id"))
    ctx.close()


def test_staff_role_is_denied_and_strangers_are_sent_to_sign_in(
    server: WebServer, browser: Any
) -> None:
    ctx = new_context(browser)
    page = open_admin(ctx, server, username="petugas1", password=STAFF_PASSWORD)
    expect(page.locator("#admin-denied")).to_be_visible()
    expect(page.locator("#admin-view")).to_be_hidden()
    with httpx.Client(base_url=server.url + "/api/v1") as c:
        token = c.post(
            "/auth/login", json={"username": "petugas1", "password": STAFF_PASSWORD}
        ).json()["token"]
        r = c.put("/admin/office", json={"name": "X"}, headers={"Authorization": f"Bearer {token}"})
        assert r.status_code == 403
    stranger = new_context(browser).new_page()
    stranger.goto(f"{server.url}/admin")
    expect(stranger.locator("#admin-signin")).to_be_visible()
    ctx.close()


def wait_image(page: Any, selector: str, width: int | None, timeout: float = 10.0) -> None:
    """Poll from Python: under the page's CSP, Playwright's wait_for_function cannot eval."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        loaded = page.locator(selector).evaluate("img => img.complete ? img.naturalWidth : 0")
        if loaded and (width is None or loaded == width):
            return
        time.sleep(0.1)
    raise AssertionError(f"{selector} did not load")


def test_admin_page_runs_under_its_csp_with_logo_and_qr(
    server: WebServer, browser: Any, tmp_path: Any
) -> None:
    """Without bypass_csp: the uploaded logo preview and the device QR (data: images) load."""
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (64, 32), (13, 35, 80)).save(logo)
    ctx = browser.new_context()
    problems: list[str] = []
    page = open_admin(ctx, server)
    page.on("console", lambda m: problems.append(m.text) if "Security Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.reload()
    expect(page.locator("#office-name")).not_to_have_value("")
    page.locator("#office-logo").set_input_files(str(logo))
    wait_image(page, "#office-logo-preview", 64)
    page.locator("#office-save").click()
    expect_saved(page)
    assert api(server, "/admin/office")["logo"].startswith("data:image/png;base64,")
    board = ctx.new_page()
    board.goto(f"{server.url}/board?token={server.board_token}")
    expect(board.locator("#unit-logo")).to_be_visible()
    wait_image(board, "#unit-logo", 64)
    page.locator(".tab[data-tab=devices]").click()
    page.locator("#device-kind").select_option("kiosk")
    page.locator("#device-name").fill("Kios lantai 2")
    page.locator("#device-save").click()
    wait_image(page, "#device-qr", None)
    expect(page.locator("#device-pair-label")).to_be_hidden()
    assert problems == []
    ctx.close()


def test_console_picks_up_a_new_service_from_the_event_stream(
    server: WebServer, browser: Any
) -> None:
    ctx = new_context(browser)
    page = open_console(ctx, server, username="petugas2", password=STAFF_PASSWORD)
    page.locator(".tab[data-tab=quick]").click()
    options = page.locator("#quick-service option")
    before = options.count()
    with server.client(server.login()) as c:
        r = c.post(
            "/admin/services",
            json={"code": "peta", "prefix": "M", "name_id": "Layanan Peta", "name_en": "Maps"},
        )
        assert r.status_code == 201, r.text
        c.put("/admin/office", json={"name": "BPS Kabupaten Belitung Timur (PST)"})
    expect(options).to_have_count(before + 1)
    expect(page.locator("#quick-service")).to_contain_text("M · Layanan Peta")
    expect(page.locator("#unit-name")).to_have_text("BPS Kabupaten Belitung Timur (PST)")
    with server.client(server.login()) as c:
        c.put("/admin/office", json={"name": "BPS Kabupaten Belitung Timur"})
    ctx.close()
