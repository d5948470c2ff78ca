"""The durable outbox: unit rules, then the real server going down and coming back."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.client import ApiResult, KioskClient, Outcome
from kiosk.core import KioskCore
from kiosk.journey import Step
from kiosk.outbox import Outbox
from kiosk.printing import TicketPrinting
from kiosk.settings import KioskSettings
from kiosk.worker import Worker
from tests.kiosk.helpers import to_priority_step
from tests.live import LiveServer


def payload(name: str = "Budi") -> dict[str, Any]:
    return {"client_request_id": str(uuid.uuid4()), "visitor": {"name": name}}


def test_add_is_idempotent_and_ordered(tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    first, second = payload("A"), payload("B")
    outbox.add(first)
    outbox.add(second)
    outbox.add(first)
    assert [p["visitor"]["name"] for p in outbox.pending()] == ["A", "B"]
    # durable: a new process (a new Outbox on the same file) sees the same entries
    assert Outbox(tmp_path / "outbox.sqlite3").count() == 2


def test_flush_deletes_delivered_and_stops_on_transient(tmp_path: Path):
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    entries = [payload(str(i)) for i in range(4)]
    for entry in entries:
        outbox.add(entry)
    answers = iter(
        [
            ApiResult(Outcome.OK, 201, {}),
            ApiResult(Outcome.REJECTED, 422),
            ApiResult(Outcome.OFFLINE),
        ]
    )
    sent: list[str] = []

    def send(body: dict[str, Any]) -> ApiResult:
        sent.append(body["client_request_id"])
        return next(answers)

    report = outbox.flush(send)
    assert report.delivered == (entries[0]["client_request_id"],)
    assert report.dropped == (entries[1]["client_request_id"],)  # refused for good
    assert report.waiting == 2  # the offline one and the one after it
    assert len(sent) == 3
    report = outbox.flush(lambda body: ApiResult(Outcome.UNAUTHORIZED, 401))
    assert report.waiting == 2  # a bad token is fixable: keep the data
    report = outbox.flush(lambda body: ApiResult(Outcome.OK, 200, {}))
    assert report.waiting == 0 and len(report.delivered) == 2


def test_delivered_entries_leave_no_personal_data_in_the_file(tmp_path: Path):
    path = tmp_path / "outbox.sqlite3"
    outbox = Outbox(path)
    secret = "Rahasia-Nama-Pengunjung-0123456789"
    body = payload(secret)
    body["id_photo_jpeg_base64"] = "UEhPVE8tQllURVMt" * 200
    outbox.add(body)
    outbox.flush(lambda b: ApiResult(Outcome.OK, 201, {}))
    assert outbox.count() == 0
    raw = path.read_bytes()
    assert secret.encode() not in raw
    assert b"UEhPVE8tQllURVMt" not in raw
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA secure_delete").fetchone()[0] == 1


# --- against the real server -------------------------------------------------------------


def wait_until(worker: Worker, condition: Callable[[], bool], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        worker.drain()
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError("timed out")


def make_core(server: LiveServer, tmp_path: Path) -> tuple[KioskCore, Worker]:
    settings = KioskSettings(
        server_url=server.url,
        device_token=server.kiosk_token,
        data_dir=tmp_path / "kiosk",
        request_timeout_seconds=2,
    )
    worker = Worker()
    core = KioskCore(
        settings,
        client=KioskClient(settings.server_url, settings.device_token, timeout=2),
        outbox=Outbox(settings.outbox_path),
        printing=TicketPrinting(settings.resolved_printer_url),
        worker=worker,
    )
    core.load()
    wait_until(worker, lambda: core.load_state == "ready")
    return core, worker


def register(core: KioskCore, worker: Worker, n: int) -> None:
    """One visitor at the kiosk, from "Ambil Nomor Antrean" to the last tap."""
    to_priority_step(
        core,
        name=f"Tamu Nomor {n}",
        email=f"tamu{n}@gmail.com",
        phone=f"0812000000{n:02d}",
        id_number=f"19060112038500{n + 10:02d}",
    )
    core.take_ticket()
    wait_until(worker, lambda: not core.busy)


def test_server_down_five_visitors_all_arrive_once(live_server: LiveServer, tmp_path: Path):
    core, worker = make_core(live_server, tmp_path)
    before = len(live_server.visits_today())
    live_server.stop()
    request_ids = []
    for n in range(5):
        register(core, worker, n)
        assert core.journey.step == Step.OFFLINE  # "Data Anda tersimpan; ... meja layanan"
        assert core.journey.values == {}  # nothing typed stays in memory
        request_ids.append(core.outbox.pending()[-1]["client_request_id"])
        core.reset()
    assert core.outbox.count() == 5
    core.flush_outbox()  # still down: nothing lost
    wait_until(worker, lambda: not core._flushing.locked())
    assert core.outbox.count() == 5

    live_server.start()
    # one answer was lost on the way back: the server got it, the kiosk did not hear
    lost = core.outbox.pending()[2]
    with live_server.client(live_server.kiosk_token) as c:
        assert c.post("/registrations", json=lost).status_code == 201
    core.flush_outbox()
    wait_until(worker, lambda: core.outbox.count() == 0)
    visits = live_server.visits_today()
    assert len(visits) == before + 5  # all five, none twice
    tickets = [v["ticket_number"] for v in visits[-5:]]
    assert len(set(tickets)) == 5
    # flushing again sends nothing
    core.flush_outbox()
    wait_until(worker, lambda: not core._flushing.locked())
    assert len(live_server.visits_today()) == before + 5


def test_online_registration_prints_a_preview(live_server: LiveServer, tmp_path: Path):
    core, worker = make_core(live_server, tmp_path)
    register(core, worker, 7)
    assert core.journey.step == Step.TICKET
    wait_until(worker, lambda: core.print_state == "printed" and core.preview_png is not None)
    assert core.preview_png is not None and core.preview_png.startswith(b"\x89PNG")
    previews = list((tmp_path / "kiosk" / "tickets").glob("ticket-*.png"))
    assert len(previews) == 1 and core.journey.ticket is not None
    assert core.journey.ticket.number in previews[0].name
    assert core.outbox.count() == 0


@pytest.mark.parametrize("status", [401, 422, 500])
def test_client_maps_errors(live_server: LiveServer, status: int):
    client = KioskClient(
        live_server.url, "wrong-token" if status == 401 else live_server.kiosk_token, timeout=2
    )
    if status == 401:
        result = client.services()
        assert result.outcome == Outcome.UNAUTHORIZED and not result.transient
    elif status == 422:
        result = client.register(
            {
                "client_request_id": "x",
                "consent": {"notice_version": "?", "accepted": True},
                "service_id": 1,
                "visitor": {"id_type": "ktp", "id_number": "1906011203850000"},
            }
        )
        assert result.outcome == Outcome.REJECTED
        assert result.error_code == "invalid_field"
        assert result.fields.get("id_number") == "nik_serial"
    else:
        result = KioskClient("http://127.0.0.1:9", "t", timeout=1).health()
        assert result.outcome == Outcome.OFFLINE and result.transient


def test_personal_data_never_reaches_the_logs(live_server: LiveServer, tmp_path: Path, caplog):
    caplog.set_level("DEBUG")
    core, worker = make_core(live_server, tmp_path)
    live_server.stop()
    register(core, worker, 31)  # offline: stored in the outbox
    live_server.start()
    core.flush_outbox()
    wait_until(worker, lambda: core.outbox.count() == 0)
    core.reset()
    register(core, worker, 32)  # online
    wait_until(worker, lambda: core.print_state in ("printed", "failed"))
    text = caplog.text
    assert "outbox" in text  # the log does say what happened...
    for secret in (
        "Tamu Nomor",
        "tamu31@gmail.com",
        "tamu32@gmail.com",
        "190601120385004",
        "081200000031",
    ):
        assert secret not in text  # ...but never to whom


def test_the_next_visitor_sees_what_the_admin_changed(live_server: LiveServer, tmp_path: Path):
    core, worker = make_core(live_server, tmp_path)
    library = next(s for s in core.journey.services if s.code == "perpustakaan")
    with live_server.client(live_server.login()) as admin:
        r = admin.patch(
            f"/admin/services/{library.id}", json={"name_id": "Perpustakaan Digital"}
        )
        assert r.status_code == 200, r.text
    core.reset()  # the visitor before has left: back to the welcome screen
    wait_until(
        worker,
        lambda: any(s.name("id") == "Perpustakaan Digital" for s in core.journey.services),
    )
