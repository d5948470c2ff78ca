"""The console's privacy desk and ticket-without-guestbook in a real Chromium."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from server.i18n import t
from tests.privacy.conftest import EMAIL, NAME, NIK, PHONE, visitor_payload
from tests.web.pages import new_context, open_console
from tests.web.server_harness import AGE_GROUP, STAFF_PASSWORD, WebServer, register_visitor


def test_privacy_desk_find_reveal_export_correct_erase(
    server: WebServer, browser: Any, tmp_path: Path
) -> None:
    register_visitor(server)
    ctx = new_context(browser)
    page = open_console(ctx, server)
    page.locator(".tab[data-tab=privacy]").click()
    page.locator("#desk-by").select_option("nik")
    page.locator("#desk-query").fill(NIK)
    page.locator("#desk-search").click()
    row = page.locator("#desk-results tr[data-visitor]")
    expect(row).to_have_count(1)
    assert NAME not in row.inner_text() and NIK not in row.inner_text()
    visitor_id = int(row.get_attribute("data-visitor") or 0)
    row.locator("button").click()
    name_cell = page.locator("#desk-fields tr[data-field=name] td.value")
    expect(name_cell).not_to_have_text(NAME)
    page.locator("#desk-fields tr[data-field=name] button").click()
    expect(page.locator("#desk-error")).to_have_text(t("web.desk_reason_needed", "id"))
    page.locator("#desk-reason").fill("Permintaan akses data oleh pengunjung")
    page.locator("#desk-fields tr[data-field=name] button").click()
    expect(name_cell).to_have_text(NAME)
    with server.client(server.login()) as c:
        audit = c.get("/audit", params={"visitor_id": visitor_id, "action": "reveal"}).json()
    assert [(a["fields"], a["reason"]) for a in audit] == [
        (["name"], "Permintaan akses data oleh pengunjung")
    ]

    with page.expect_download() as download:
        page.locator("#desk-export-json").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    href = page.locator("#desk-export-json").get_attribute("href") or ""
    assert "reason=Permintaan" in href
    assert data["identity"] == {
        "name": NAME, "email": EMAIL, "phone": PHONE, "id_number": NIK, "id_type": "ktp",
    }  # fmt: skip
    payload = visitor_payload(age_group=AGE_GROUP)
    # exactly what is held: every profile answer sent, nothing else but unanswered fields
    assert {k: v for k, v in data["profile"].items() if k in payload} == {
        k: payload[k] for k in data["profile"] if k in payload
    }
    assert {k for k in data["profile"] if k not in payload} <= {
        "occupation_other", "disability", "disability_kind",
    }  # fmt: skip
    assert all(data["profile"][k] is None for k in data["profile"] if k not in payload)
    assert len(data["visits"]) == 1 and data["id_photos"] == []
    assert data["visits"][0]["purpose"] == "penelitian"
    with page.expect_download() as download:
        page.locator("#desk-export-pdf").click()
    (tmp_path / "export.pdf").write_bytes(Path(download.value.path()).read_bytes())
    assert (tmp_path / "export.pdf").read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "export.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for value in (NAME, EMAIL, PHONE, NIK, "Universitas Bangka Belitung", "penelitian"):
        assert value in text, value
    assert t("admin.pdf_title", "id") in text
    with server.client(server.login()) as c:
        exports = c.get("/audit", params={"visitor_id": visitor_id, "action": "export"}).json()
    assert len(exports) == 2

    page.locator("#desk-correct-field").select_option("phone")
    page.locator("#desk-correct-value").fill("081300001111")
    page.locator("#desk-correct").click()
    expect(page.locator("#desk-message")).to_have_text(t("web.desk_corrected", "id"))
    page.locator("#desk-fields tr[data-field=phone] button").click()
    expect(page.locator("#desk-fields tr[data-field=phone] td.value")).to_have_text("081300001111")

    page.on("dialog", lambda d: d.accept())
    page.locator("#desk-erase").click()
    expect(page.locator("#desk-message")).to_have_text(t("web.desk_erased", "id"))
    page.locator("#desk-search").click()
    expect(page.locator("#desk-results")).to_have_text(t("web.desk_none", "id"))
    ctx.close()


def test_staff_issue_a_ticket_without_guestbook_and_see_no_privacy_desk(
    server: WebServer, browser: Any
) -> None:
    ctx = new_context(browser)
    page = open_console(ctx, server, username="petugas1", password=STAFF_PASSWORD)
    expect(page.locator(".tab[data-tab=privacy]")).to_be_hidden()
    page.locator(".tab[data-tab=quick]").click()
    page.locator("#quick-service").select_option(label="R · Rekomendasi Kegiatan Statistik")
    page.locator("#quick-priority").select_option("elderly")
    page.locator("#quick-issue").click()
    expect(page.locator("#quick-result")).to_contain_text("R0")
    number = page.locator("#quick-result").inner_text().split()[1]
    waiting = [
        tk
        for service in server.queue()["services"]
        for tk in service["waiting"]
        if tk["number"] == number
    ]
    assert len(waiting) == 1 and waiting[0]["priority"] is True
    with server.client(server.login()) as c:
        ticket = c.get(f"/tickets/{waiting[0]['id']}").json()
    assert ticket["visit_id"] is None and ticket["priority_reason"] == "elderly"
    ctx.close()
