"""The display board in a real headless Chromium against a real server."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import wave
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests.web.pages import (
    board_log,
    new_context,
    new_strict_context,
    open_board,
    open_console,
    wait_board_number,
    wait_board_waiting,
)
from tests.web.server_harness import STAFF_PASSWORD, WebServer


def wav_seconds(data: bytes) -> float:
    with wave.open(io.BytesIO(data)) as w:
        return w.getnframes() / w.getframerate()


def test_call_next_reaches_board_and_is_announced(
    server: WebServer, browser: Any, artifacts: Path
) -> None:
    server.reset()
    server.issue("P")
    server.issue("K", priority=True)
    board_ctx, staff_ctx = new_context(browser), new_context(browser)
    board = open_board(board_ctx, server)
    voice: list[Any] = []
    board.on("response", lambda r: voice.append(r) if "/voice/call.wav" in r.url else None)
    console = open_console(staff_ctx, server, username="petugas1", password=STAFF_PASSWORD)

    console.keyboard.press("n")  # keyboard shortcut: call next
    console.locator("#current-number").filter(has_text="K001").wait_for()
    wait_board_number(board, "K001")
    expect(board.locator("#current-counter")).to_have_text("LOKET 1", ignore_case=True)

    board.wait_for_function("window.loketBoard.announcer.log.length >= 1")
    item = board_log(board)[-1]
    assert (item["number"], item["counter"], item["kind"]) == ("K001", 1, "called")
    assert "/api/v1/voice/call.wav?number=K001&counter=1&lang=id" in item["url"]
    board.wait_for_function("window.loketBoard.announcer.log.at(-1).state !== 'queued'")
    assert board_log(board)[-1]["state"] in ("playing", "done")

    deadline = time.monotonic() + 10
    while not voice and time.monotonic() < deadline:
        board.wait_for_timeout(100)
    assert voice and voice[0].status in (200, 206)  # media elements ask for ranges
    assert voice[0].headers["content-type"] == "audio/wav"
    data = httpx.get(server.url + item["url"], timeout=15).content
    seconds = wav_seconds(data)
    assert seconds > 3.0
    if shutil.which("soxi"):
        path = artifacts / "call-K001.wav"
        path.write_bytes(data)
        out = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, check=True)
        assert float(out.stdout) == pytest.approx(seconds, abs=0.01)

    wait_board_waiting(board, {"P": 1, "K": 0, "J": 0, "R": 0})
    assert board.locator("#unit-name").inner_text() == "BPS Kabupaten Belitung Timur"
    assert "Selamat datang" in board.locator("#running-text").inner_text()
    assert board.locator("#clock-time").inner_text().endswith("WIB")
    board.screenshot(path=str(artifacts / "board.png"))
    console.screenshot(path=str(artifacts / "console-called.png"))
    board_ctx.close()
    staff_ctx.close()


def test_announcements_play_one_after_another_and_recall_repeats(
    server: WebServer, browser: Any
) -> None:
    server.reset()
    first, second = server.issue("P"), server.issue("J")
    ctx = new_context(browser)
    board = open_board(ctx, server)
    token = server.login()
    server.call_next(1, token)
    server.call_next(2, token)
    with server.client(token) as c:
        assert c.post(f"/tickets/{first['id']}/recall", json={}).status_code == 200
    board.wait_for_function("window.loketBoard.announcer.log.length >= 3")
    log = board_log(board)[-3:]
    assert [(i["number"], i["counter"], i["kind"]) for i in log] == [
        (first["number"], 1, "called"),
        (second["number"], 2, "called"),
        (first["number"], 1, "recalled"),
    ]
    # Only one plays at a time; the next starts after the previous ended.
    states = [i["state"] for i in log]
    assert states.count("playing") <= 1 and states[1:] == ["queued", "queued"]
    board.wait_for_function(
        "window.loketBoard.announcer.log.at(-2).state !== 'queued'", timeout=20_000
    )
    log = board_log(board)[-3:]
    assert log[0]["state"] == "done"
    assert log[1]["startedAt"] >= log[0]["endedAt"]
    recent = [li.locator(".recent-number").inner_text() for li in board.locator(".recent").all()]
    assert board.locator("#current-number").inner_text() == first["number"]
    assert recent[:1] == [second["number"]]
    ctx.close()


def test_two_consoles_calling_at_the_same_moment_get_different_tickets(
    server: WebServer, browser: Any, artifacts: Path
) -> None:
    server.reset()
    issued = [server.issue("P")["number"] for _ in range(3)]
    one, two = new_context(browser), new_context(browser)
    c1 = open_console(one, server, username="petugas1", password=STAFF_PASSWORD, counter=1)
    c2 = open_console(two, server, username="petugas2", password=STAFF_PASSWORD, counter=2)
    # Both click "call next" at the same wall-clock instant.
    at = c1.evaluate("Date.now() + 400")
    script = """at => setTimeout(() =>
        document.querySelector('[data-action=call-next]').click(), at - Date.now())"""
    c1.evaluate(script, at)
    c2.evaluate(script, at)
    c1.wait_for_function("document.getElementById('current-number').textContent !== '—'")
    c2.wait_for_function("document.getElementById('current-number').textContent !== '—'")
    n1 = c1.locator("#current-number").inner_text()
    n2 = c2.locator("#current-number").inner_text()
    assert {n1, n2} == set(issued[:2])
    assert n1 != n2
    c2.screenshot(path=str(artifacts / "console-second.png"))
    one.close()
    two.close()


def test_board_reconnects_after_server_restart_without_reload(
    server: WebServer, browser: Any, artifacts: Path
) -> None:
    server.reset()
    ctx = new_context(browser)
    board = open_board(ctx, server)
    board.evaluate("window.__sameDocument = true")
    server.stop()
    status = board.locator("#conn-status")
    status.wait_for(state="visible", timeout=10_000)
    expect(status).to_contain_text("menyambung ulang")
    board.screenshot(path=str(artifacts / "board-offline.png"))
    server.start()
    ticket = server.issue("R")
    server.call_next(2)
    wait_board_number(board, ticket["number"], timeout=15_000)
    expect(board.locator("#current-counter")).to_have_text("LOKET 2", ignore_case=True)
    assert board.evaluate("window.__sameDocument") is True
    status.wait_for(state="hidden", timeout=10_000)
    # Restarted again while idle: missed calls are caught up from Last-Event-ID.
    server.stop()
    status.wait_for(state="visible", timeout=10_000)
    server.start()
    board.wait_for_function("window.loketBoard.events.online === true", timeout=15_000)
    later = server.issue("R")
    server.call_next(1)
    wait_board_number(board, later["number"])
    assert board.evaluate("window.__sameDocument") is True
    ctx.close()


def test_sound_overlay_when_autoplay_is_blocked(
    server: WebServer, browser: Any, artifacts: Path
) -> None:
    server.reset()
    ctx = new_strict_context(browser)
    board = open_board(ctx, server)
    board.wait_for_function("window.loketBoard.announcer.probe !== undefined")
    assert board.evaluate("window.loketBoard.announcer.probe") == "blocked"
    overlay = board.locator("#sound-overlay")
    overlay.wait_for(state="visible")
    expect(overlay).to_contain_text("Aktifkan suara")
    board.screenshot(path=str(artifacts / "board-sound-overlay.png"))
    ticket = server.issue("K")
    server.call_next(1)
    wait_board_number(board, ticket["number"])  # the number shows even while muted
    assert board_log(board)[-1]["state"] == "queued"  # waits for the touch
    board.locator("#sound-enable").click()
    overlay.wait_for(state="hidden")
    board.wait_for_function("window.loketBoard.announcer.log.at(-1).state !== 'queued'")
    assert board_log(board)[-1]["state"] in ("playing", "done")
    ctx.close()
