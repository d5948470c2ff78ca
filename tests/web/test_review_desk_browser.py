"""The privacy desk's "Perlu ditinjau" list in a real Chromium.

A kiosk registration with a known NIK and other contact values, not confirmed,
gets its own visitor record flagged ``needs_review``; staff see the count on the
privacy tab, the flagged record masked with the record on file it collides
with, and settle it through the audited API with a reason.
"""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import expect

from server.i18n import t
from tests.privacy.conftest import EMAIL, NAME, NIK, PHONE, nik_for
from tests.web.pages import new_context, open_console
from tests.web.server_harness import WebServer, register_visitor


def register(server: WebServer, **overrides: Any) -> int:
    """One kiosk registration (not confirmed); the visitor record it made."""
    return int(register_visitor(server, **overrides)["visitor_id"])


def audit_of(server: WebServer, visitor_id: int, action: str) -> list[dict[str, Any]]:
    with server.client(server.login()) as c:
        r = c.get("/audit", params={"visitor_id": visitor_id, "action": action})
        r.raise_for_status()
        return list(r.json())


def test_staff_settle_records_awaiting_review(server: WebServer, browser: Any) -> None:
    on_file = register(server)
    kept = register(server, phone="081300000001")
    assert kept != on_file

    ctx = new_context(browser)
    page = open_console(ctx, server)
    badge = page.locator(".tab[data-tab=privacy] #privacy-badge")
    expect(badge).to_have_text("1")
    page.locator(".tab[data-tab=privacy]").click()
    expect(page.locator("#review-count")).to_have_text("1")
    row = page.locator(f"#review-list tr[data-visitor='{kept}']")
    expect(row).to_have_count(1)
    expect(page.locator("#review-list tr[data-visitor]")).to_have_count(1)
    expect(row.locator("td.on-file")).to_contain_text(f"#{on_file}")
    text = row.inner_text()
    for value in (NAME, NIK, EMAIL, PHONE, "081300000001"):
        assert value not in text  # masked only
    with server.client(server.login()) as c:
        masked = c.get(f"/visitors/{kept}").json()["masked"]
    assert masked["name"] and masked["name"] in text and masked["phone"] in text

    # keep it as a visitor of its own: a reason first
    row.locator("button[data-review=keep]").click()
    expect(page.locator("#review-error")).to_have_text(t("web.desk_reason_needed", "id"))
    assert audit_of(server, kept, "review") == []
    page.locator("#review-reason").fill("Pengunjung berbeda, NIK salah ketik")
    row.locator("button[data-review=keep]").click()
    expect(page.locator("#review-message")).to_have_text(
        t("web.review_kept", "id").replace("{id}", str(kept))
    )
    expect(page.locator("#review-list")).to_have_text(t("web.review_none", "id"))
    expect(page.locator("#review-count")).to_have_text("0")
    expect(badge).to_be_hidden()
    reviews = audit_of(server, kept, "review")
    assert [a["reason"] for a in reviews] == ["Pengunjung berbeda, NIK salah ketik"]

    # a second one arrives while the desk is open: the badge and the list follow
    duplicate = register(server, email="siti.lain@example.com")
    expect(badge).to_have_text("1")
    row = page.locator(f"#review-list tr[data-visitor='{duplicate}']")
    expect(row).to_have_count(1)
    with server.client(server.login()) as c:
        # the record on file is the most recently seen one with this NIK: now the kept one
        collides = c.get(f"/visitors/{duplicate}").json()["review_of"]
    assert collides == kept
    expect(row.locator("td.on-file")).to_contain_text(f"#{collides}")

    # "correct the record on file" opens that record in the desk's correction card
    row.locator("button[data-review=correct]").click()
    expect(page.locator("#desk-record-title")).to_contain_text(f"#{collides}")
    expect(page.locator("#desk-correct-form")).to_be_visible()
    expect(row).to_have_count(1)  # correcting alone does not settle the flag

    # erase the duplicate (confirmed, with a reason)
    page.on("dialog", lambda d: d.accept())
    row.locator("button[data-review=erase]").click()
    expect(page.locator("#review-message")).to_have_text(
        t("web.review_erased", "id").replace("{id}", str(duplicate))
    )
    expect(page.locator("#review-list")).to_have_text(t("web.review_none", "id"))
    expect(badge).to_be_hidden()
    erased = audit_of(server, duplicate, "delete")
    assert [a["reason"] for a in erased] == ["Pengunjung berbeda, NIK salah ketik"]
    with server.client(server.login()) as c:
        assert c.post("/visitors/search", json={"needs_review": True}).json() == []
        assert c.get("/visitors/review-count").json() == {"count": 0}
        # the record on file is untouched
        r = c.post(f"/visitors/{on_file}/reveal", json={"field": "phone", "reason": "cek data"})
        assert r.json()["value"] == PHONE
    ctx.close()


def test_anonymous_gets_401_from_the_review_api(server: WebServer) -> None:
    other = nik_for(7)  # a NIK of its own, whatever ran before
    register(server, id_number=other)
    flagged = register(server, id_number=other, phone="081300000002")
    with httpx.Client(base_url=server.url + "/api/v1", timeout=10) as c:
        calls = [
            c.get("/visitors/review-count"),
            c.post("/visitors/search", json={"needs_review": True}),
            c.post(f"/visitors/{flagged}/reviewed", json={"reason": "tanpa login"}),
            c.request("DELETE", f"/visitors/{flagged}", params={"reason": "tanpa login"}),
            c.patch(f"/visitors/{flagged}", json={"reason": "tanpa login", "phone": "0813"}),
        ]
    assert [r.status_code for r in calls] == [401] * len(calls)
    with server.client(server.login()) as c:
        listed = c.post("/visitors/search", json={"needs_review": True}).json()
    assert [v["id"] for v in listed] == [flagged]  # nothing was settled
