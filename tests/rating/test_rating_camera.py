"""The rating terminal reads the ticket's QR code with a camera: real frames, real window, live server.

No camera exists on the test machine, so the frames come from a Kivy camera
provider (``tests/rating/camera_source.py``) that blits real RGBA bytes of a
rendered ticket QR into its texture; the terminal reads them back out of the
GL texture and decodes them with pyzbar, as it would a tablet camera's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kiosk.camera import decode_qr
from server.i18n import t
from tests.live import LiveServer
from tests.rating.frames import SIZE, blank_frame, qr_frame
from tests.rating.helpers import SHOTS, run_rating_driver, served_ticket

FOREIGN_QR = "https://www.bps.go.id/id/pressrelease"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(tmp_path_factory.mktemp("camera-server")).setup(
        devices={"kiosk": "Kios", "rating": "Tablet keluar"}
    )
    live.start()
    yield live
    live.stop()


def _run_camera(
    server: LiveServer, tmp_path: Path, scenario: str, provider: str, **config: Any
) -> dict[str, Any]:
    """The terminal with the camera on (no serial scanner) and ``provider`` as its camera."""
    return run_rating_driver(
        {
            "scenario": scenario,
            "shot_prefix": f"{scenario.replace('_', '-')}-",
            "camera_provider": provider,
            "settings": {
                "server_url": server.url,
                "device_token": server.tokens["rating"],
                "camera": True,
                "data_dir": str(tmp_path / "terminal"),
            },
            **config,
        },
        tmp_path,
    )


def test_decode_reads_a_ticket_qr_from_bottom_up_texture_bytes() -> None:

    url = "https://pst.example/t/AbCdEfGh12345678_-xyz"
    upright = Image.frombytes("RGBA", SIZE, qr_frame(url))
    texture_bytes = upright.transpose(Image.Transpose.FLIP_TOP_BOTTOM).tobytes()  # GL row order
    assert decode_qr(SIZE, texture_bytes) == [url]
    assert decode_qr(SIZE, blank_frame()) == []


def test_camera_reads_nothing_then_a_foreign_code_then_the_ticket(
    server: LiveServer, tmp_path: Path
) -> None:
    ticket = served_ticket(server)
    summary = _run_camera(
        server,
        tmp_path,
        "camera_journey",
        "FrameCamera",
        tickets={"tracking_url": ticket["tracking_url"]},
        foreign_qr=FOREIGN_QR,
    )
    # the screen mentions the camera (and shows its picture) once it delivers frames;
    # no serial scanner is set up, so it does not say "scan" for one
    assert summary["camera_hint"] == t("rating.start_camera", "id")
    assert summary["hint"] == t("rating.start_hint_type", "id")
    assert summary["preview_shown"] is True and summary["preview_has_picture"] is True
    assert summary["after_blank"] == "start"  # a picture without a code changes nothing
    assert summary["foreign_notice"] == t("rating.notice_unreadable", "id")
    assert summary["token"] == ticket["tracking_token"]
    # the service and counter being rated (the counter is "Loket 1"), never a name
    assert summary["target_line"].startswith("Anda menilai layanan ")
    assert " di Loket" in summary["target_line"]
    for name in ("camera-start", "camera-notice", "camera-overall"):
        assert (SHOTS / f"camera-journey-{name}.png").stat().st_size > 10_000, name


def test_a_camera_that_will_not_open_leaves_the_typed_number_and_says_nothing_false(
    server: LiveServer, tmp_path: Path
) -> None:
    ticket = served_ticket(server)
    summary = _run_camera(
        server, tmp_path, "camera_broken", "BrokenCamera", tickets={"number": ticket["number"]}
    )
    assert summary["camera"] == "None"
    assert summary["camera_hint"] == "" and summary["preview_shown"] is False
    assert summary["hint"] == t("rating.start_hint_type", "id")
    assert summary["target_line"].startswith("Anda menilai layanan ")
