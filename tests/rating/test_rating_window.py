"""The real rating terminal window, real touches, a QR scanner on a socat pty, a live server.

Two scenarios, each in its own process (one Kivy window per process):
portrait in Bahasa Indonesia (scan → faces → nine elements with one skipped
→ IPAK → suggestion + contact me → thanks with the SKD QR; a typed number
with a low score and its follow-up; the same ticket again and a waiting
ticket politely refused) and landscape in English with the server going
away at the last tap (the outbox delivers the rating exactly once when it is
back) and the idle reset. Screenshots of each screen land in artifacts/rating/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from server.cli.common import open_database
from server.db.ratings_schema import rating_answers, ratings
from server.domain import skm
from tests.live import LiveServer
from tests.rating.helpers import SHOTS, PtyScanner, run_rating_driver, served_ticket

SKD_URL = "https://skd.bps.go.id/"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path / "server").setup(
        devices={"kiosk": "Kios", "rating": "Tablet keluar"},
        unit_settings={"rating_ipak": True, "rating_skd_url": SKD_URL},
    )
    live.start()
    yield live
    live.stop()


@pytest.fixture
def scanner() -> Iterator[PtyScanner]:
    device = PtyScanner()
    yield device
    device.close()


def _settings(
    server: LiveServer, scanner: PtyScanner, tmp_path: Path, **extra: Any
) -> dict[str, Any]:
    return {
        "server_url": server.url,
        "device_token": server.tokens["rating"],
        "scanner": scanner.url,
        "data_dir": str(tmp_path / "terminal"),
        "outbox_retry_seconds": 1.0,
        **extra,
    }


def _stored(server: LiveServer) -> list[dict[str, Any]]:
    db = open_database(server.settings)
    try:
        with db.read() as conn:
            rows = [
                dict(r) for r in conn.execute(sa.select(ratings).order_by(ratings.c.id)).mappings()
            ]
            for row in rows:
                row["answers"] = {
                    (a.questionnaire, a.code): a.score
                    for a in conn.execute(
                        sa.select(rating_answers).where(rating_answers.c.rating_id == row["id"])
                    )
                }
        return rows
    finally:
        db.dispose()


def test_portrait_journey_scan_type_followup_and_refusals(
    server: LiveServer, scanner: PtyScanner, tmp_path: Path
) -> None:
    first = served_ticket(server)
    second = served_ticket(server, 1)
    waiting = served_ticket(server, finish=False)
    skipped_all = [c for c in skm.SKM_CODES] + ["K1", "K2", "K3", "K4"]
    summary = run_rating_driver(
        {
            "scenario": "full_journey",
            "shot_prefix": "portrait-",
            "settings": _settings(server, scanner, tmp_path, orientation="portrait"),
            "tickets": {"second_number": second["number"], "waiting_number": waiting["number"]},
            "skip_all": skipped_all,
        },
        tmp_path,
        hooks={"scan_first": lambda: scanner.scan(first["tracking_url"])},
    )
    assert summary["first_screen_s"] < 10
    # the terminal shows the service and counter, never a name
    assert "Loket" in summary["target_line"] or "loket" in summary["target_line"].lower()
    assert summary["skd_shown"] is True
    assert "sudah dinilai" in summary["notice_again"]
    assert "belum selesai" in summary["notice_waiting"]
    stored = _stored(server)
    assert len(stored) == 2
    one, two = stored
    assert one["channel"] == "terminal" and one["overall"] == 4 and one["contact_me"] is True
    assert one["suggestion"] == "Ruang tunggu nyaman"
    # nine elements minus the skipped U8, best answer each; IPAK all "yes"
    skm_answers = {code: s for (q, code), s in one["answers"].items() if q == "skm9"}
    assert skm_answers == {c: 4 for c in skm.SKM_CODES if c != "U8"}
    assert {code: s for (q, code), s in one["answers"].items() if q == "ipak"} == {
        "K1": 1, "K2": 1, "K3": 1, "K4": 1,
    }  # fmt: skip
    assert two["overall"] == 1 and two["answers"] == {}
    assert two["followup_reasons"] == ["wait"] and two["followup_text"] == "lama"
    for name in ("start", "overall", "question-U1", "question-K1", "suggestion", "thanks",
                 "followup", "notice"):  # fmt: skip
        assert (SHOTS / f"portrait-{name}.png").stat().st_size > 10_000, name


def test_landscape_english_offline_outbox_delivers_once_and_idle_reset(
    server: LiveServer, scanner: PtyScanner, tmp_path: Path
) -> None:
    first = served_ticket(server)
    second = served_ticket(server)
    summary = run_rating_driver(
        {
            "scenario": "offline_landscape",
            "shot_prefix": "landscape-",
            "settings": _settings(
                server,
                scanner,
                tmp_path,
                orientation="landscape",
                language="id",
                idle_timeout_seconds=4.0,
                idle_grace_seconds=2.0,
                thanks_seconds=60.0,
            ),
            "tickets": {"second_number": second["number"]},
        },
        tmp_path,
        hooks={
            "scan_first": lambda: scanner.scan(first["tracking_url"]),
            "server_down": server.stop,
            "server_up": server.start,
        },
    )
    assert "saved" in summary["thanks_text"] and summary["outbox_waiting"] == 1
    assert len(summary["delivered"]) == 1
    assert summary["after_idle"] is None
    stored = _stored(server)
    assert len(stored) == 1  # delivered exactly once; the idle-wiped second rating never sent
    assert stored[0]["overall"] == 3 and stored[0]["channel"] == "terminal"
    assert {c for (q, c) in stored[0]["answers"] if q == "skm9"} == set(skm.SKM_CODES)
    for name in ("start", "overall", "question-U1", "question-K1", "suggestion", "thanks",
                 "followup"):  # fmt: skip
        assert (SHOTS / f"landscape-{name}.png").stat().st_size > 10_000, name
    assert summary["idle_prompt_seen"] is True
