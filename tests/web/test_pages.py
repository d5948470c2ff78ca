"""The web routes over real HTTP: pages, static files, the voice WAV, the no-show list."""

from __future__ import annotations

import io
import json
import wave

import httpx
import pytest

from server.web.pages import queue as routes
from tests.web.conftest import has_espeak
from tests.web.html_tree import parse
from tests.web.server_harness import STAFF_PASSWORD, WebServer


def get(server: WebServer, path: str, **kw: object) -> httpx.Response:
    return httpx.get(server.url + path, timeout=15, **kw)  # type: ignore[arg-type]


def test_console_page_in_indonesian_by_default(server: WebServer) -> None:
    r = get(server, "/console")
    assert r.status_code == 200
    doc = parse(r.text)
    assert doc.find_all("html")[0].attrs["lang"] == "id"
    assert doc.by_id("login-form").find_all("button")[0].text() == "Masuk"
    buttons = {b.attrs["data-action"]: b for b in doc.by_id("actions").find_all("button")}
    assert buttons["call-next"].text() == "Panggil berikutnya N"
    assert buttons["call-next"].find_all("kbd")[0].text() == "N"
    assert {a: b.attrs["data-shortcut"] for a, b in buttons.items()} == {
        "call-next": "N", "recall": "R", "start": "S", "finish": "F",
        "no-show": "X", "cancel": "C", "transfer": "T", "pause": "P",
    }  # fmt: skip
    catalog = json.loads(doc.by_id("loket-i18n").text())
    assert catalog["lang"] == "id"
    assert catalog["messages"]["err_conflict_called"] == "Tiket ini sudah dipanggil loket lain."


def test_console_language_switch_sets_cookie(server: WebServer) -> None:
    r = get(server, "/console?lang=en")
    doc = parse(r.text)
    assert doc.find_all("html")[0].attrs["lang"] == "en"
    assert doc.by_id("tab-queue").find_all("h2")[0].text() == "Current visitor"
    assert r.cookies.get("loket_lang") == "en"
    again = get(server, "/console", cookies={"loket_lang": "en"})
    assert parse(again.text).by_id("login-form").find_all("button")[0].text() == "Sign in"


def test_pages_send_security_headers(server: WebServer) -> None:
    for path in ("/console", f"/board?token={server.board_token}"):
        r = get(server, path)
        assert r.headers["referrer-policy"] == "no-referrer"  # the board token is in its URL
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["cache-control"] == "no-store"


def test_board_page_is_a_shell_without_data(server: WebServer) -> None:
    server.issue("P")
    doc = parse(get(server, f"/board?token={server.board_token}").text)
    board = doc.by_id("board")
    assert board.attrs["data-voice-available"] == ("1" if has_espeak() else "0")
    assert doc.by_id("current-number").text() == "—"
    assert doc.by_id("sound-overlay").attrs.get("hidden") is not None
    assert "Aktifkan suara" in doc.by_id("sound-enable").text()
    assert server.board_token not in get(server, "/board").text


def test_static_files_are_served_with_version(server: WebServer) -> None:
    doc = parse(get(server, "/console").text)
    scripts = [s.attrs["src"] for s in doc.find_all("script") if "src" in s.attrs]
    assert scripts and all(s.startswith("/static/js/") and "?v=" in s for s in scripts)
    for src in scripts:
        r = get(server, src)
        assert r.status_code == 200
        assert "javascript" in r.headers["content-type"]
        assert r.headers["cache-control"] == "no-cache"
    assert get(server, "/static/../routes.py").status_code == 404


def test_voice_wav_for_board_and_staff(server: WebServer) -> None:
    params = {"number": "R007", "counter": "2", "lang": "id"}
    r = get(server, "/api/v1/voice/call.wav", params={**params, "token": server.board_token})
    assert r.status_code == 200
    assert r.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(r.content)) as w:
        seconds = w.getnframes() / w.getframerate()
    assert seconds > 3.0
    staff = server.login("petugas1", STAFF_PASSWORD)
    r2 = get(server, "/api/v1/voice/call.wav", params=params, headers=_bearer(staff))
    assert r2.status_code == 200 and r2.content == r.content  # cached file


def test_voice_wav_refuses_kiosks_strangers_and_bad_numbers(server: WebServer) -> None:
    params = {"number": "R007", "counter": "2"}
    assert get(server, "/api/v1/voice/call.wav", params=params).status_code == 401
    kiosk = {**params, "token": server.kiosk_token}
    assert get(server, "/api/v1/voice/call.wav", params=kiosk).status_code == 403
    bad = {"number": "R007;ls", "counter": "2", "token": server.board_token}
    r = get(server, "/api/v1/voice/call.wav", params=bad)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_phrase"


def test_voice_without_espeak_is_503_and_board_says_text_only(
    server: WebServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    synth = routes.synthesizer(server.settings)
    monkeypatch.setattr(synth, "espeak", None)
    params = {"number": "A123", "counter": "1", "token": server.board_token}
    r = get(server, "/api/v1/voice/call.wav", params=params)
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "voice_unavailable"
    doc = parse(get(server, f"/board?token={server.board_token}").text)
    assert doc.by_id("board").attrs["data-voice-available"] == "0"


def test_no_show_list_needs_staff_and_lists_today(server: WebServer) -> None:
    server.reset()
    assert get(server, "/console/no-shows.json").status_code == 401
    board = get(server, "/console/no-shows.json", params={"token": server.board_token})
    assert board.status_code == 403
    token = server.login()
    ticket = server.issue("J")
    called = server.call_next(1, token)
    assert called is not None and called["id"] == ticket["id"]
    with server.client(token) as c:
        assert c.post(f"/tickets/{ticket['id']}/recall", json={}).status_code == 200
        assert c.post(f"/tickets/{ticket['id']}/no-show", json={}).status_code == 200
    rows = get(server, "/console/no-shows.json", headers=_bearer(token)).json()
    assert [r["number"] for r in rows][:1] == [ticket["number"]]
    assert set(rows[0]) == {"id", "number", "service_id", "counter_id", "called_at"}


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
