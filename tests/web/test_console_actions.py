"""The console enables exactly the actions the API says a ticket allows now
(``allowed_actions`` from server/domain/queue.py), in a real Chromium."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.web.pages import new_context, open_console
from tests.web.server_harness import STAFF_PASSWORD, WebServer


def press(page: Any, key: str) -> None:
    page.wait_for_function("!window.loketConsole.busy")
    page.keyboard.press(key)


def test_buttons_follow_the_tickets_allowed_actions(server: WebServer, browser: Any) -> None:
    server.reset()
    ticket = server.issue("P")
    ctx = new_context(browser)
    page = open_console(ctx, server, username="petugas1", password=STAFF_PASSWORD)
    button = {
        a: page.locator(f"#actions [data-action={a}]") for a in ("recall", "no-show", "start")
    }
    press(page, "n")
    expect(page.locator("#current-number")).to_have_text(ticket["number"])
    # Called and never recalled: no-show needs a recall first (the unit's rule).
    expect(button["start"]).to_be_enabled()
    expect(button["recall"]).to_be_enabled()
    expect(button["no-show"]).to_be_disabled()
    press(page, "x")  # a disabled action's shortcut does nothing
    press(page, "r")
    expect(button["no-show"]).to_be_enabled()
    press(page, "r")
    expect(page.locator("#message")).to_contain_text("dipanggil ulang")
    press(page, "r")  # the third and last recall allowed
    expect(button["recall"]).to_be_disabled()
    expect(button["no-show"]).to_be_enabled()
    with server.client(server.login()) as c:
        now = c.get(f"/tickets/{ticket['id']}").json()
    assert now["status"] == "called" and now["recall_count"] == 3
    assert "recall" not in now["allowed_actions"]
    ctx.close()
