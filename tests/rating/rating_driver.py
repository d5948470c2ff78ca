"""Drive the real rating terminal window with real touch input, in its own process.

``python -m tests.rating.rating_driver CONFIG.json`` starts the real
:class:`kiosk.rating.app.RatingApp` and plays a scenario with the kiosk
driver's machinery (:class:`tests.kiosk.kiosk_driver.Driver`: finger touches
through Kivy's input pipeline, on-screen keyboard taps, bounded waits,
screenshots). A QR scan is asked of the test process (``ask_test``), which
writes the ticket URL into the other end of the scanner's pty.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tests.kiosk.kiosk_driver import Driver, Wait


class RatingDriver(Driver):
    def begin(self) -> None:
        from kivy.clock import Clock

        self.steps = SCENARIOS[self.config["scenario"]](self)
        self.summary["started_at"] = time.monotonic()
        Clock.schedule_interval(self._tick, 0)

    def ask_test(self, name: str) -> Wait:
        """Like the kiosk driver's, but a hook may be asked more than once."""
        (Path(self.config["sync_dir"]) / f"{name}.done").unlink(missing_ok=True)
        return super().ask_test(name)

    @property
    def flow(self) -> Any:
        return self.app.core.flow

    def answer_best(self) -> None:
        """Tap the first (best) answer of the current question."""
        self.tap(self.buttons_in(self.screen.ids.answers)[0])


def _answer_all(d: RatingDriver, skip: set[str], shoot: set[str]) -> Iterator[Wait]:
    while d.flow.step.value == "question":
        code = d.flow.question.code
        if code in shoot:
            d.shot(f"question-{code}")
        index = d.flow.index
        if code in skip:
            d.tap(d.screen.ids.skip)
        else:
            d.answer_best()
        yield d.until(
            f"past {code}", lambda i=index: d.flow.index != i or d.flow.step.value != "question"
        )
        yield d.frames(2)


def full_journey(d: RatingDriver) -> Iterator[Wait]:
    tickets = d.config["tickets"]
    yield d.on_screen("start")
    d.summary["first_screen_s"] = round(time.monotonic() - d.summary["started_at"], 3)
    d.shot("start")
    # 1) scan the QR of a served ticket; best faces; skip U8; IPAK yes; suggestion + contact me
    yield d.ask_test("scan_first")
    yield d.on_screen("overall")
    d.summary["target_line"] = d.screen.ids.target.text
    d.shot("overall")
    d.tap(d.screen.ids.face4)
    yield d.on_screen("question")
    yield from _answer_all(d, skip={"U8"}, shoot={"U1", "K1"})
    yield d.on_screen("suggestion")
    d.type(d.screen.ids.keyboard, "Ruang tunggu nyaman")
    d.tap(d.screen.ids.contact)
    yield d.frames(2)
    d.shot("suggestion")
    d.tap(d.screen.ids.send)
    yield d.on_screen("thanks")
    d.summary["thanks_text"] = d.screen.ids.text.text
    d.summary["skd_shown"] = bool(d.screen.ids.skd.shown)
    d.shot("thanks")
    d.tap(d.screen.ids.done)
    yield d.on_screen("start")
    # 2) type the number of a second ticket; a low face asks what went wrong
    d.type(d.screen.ids.keyboard, tickets["second_number"])
    d.tap(d.screen.ids.go)
    yield d.on_screen("overall")
    d.tap(d.screen.ids.face1)
    yield d.on_screen("followup")
    d.tap(d.buttons_in(d.screen.ids.reasons)[0])
    yield d.frames(2)
    d.type(d.screen.ids.keyboard, "lama")
    yield d.frames(3)
    d.shot("followup")
    d.tap(d.screen.ids.next)
    yield d.on_screen("question")
    yield from _answer_all(d, skip=set(d.config["skip_all"]), shoot=set())
    yield d.on_screen("suggestion")
    d.tap(d.screen.ids.send)
    yield d.on_screen("thanks")
    d.tap(d.screen.ids.done)
    yield d.on_screen("start")
    # 3) the first ticket again: politely refused
    yield d.ask_test("scan_first")
    yield d.on_screen("notice")
    d.summary["notice_again"] = d.screen.ids.text.text
    d.shot("notice")
    d.tap(d.screen.ids.done)
    yield d.on_screen("start")
    # 4) a ticket still waiting: not served yet
    d.type(d.screen.ids.keyboard, tickets["waiting_number"])
    d.tap(d.screen.ids.go)
    yield d.on_screen("notice")
    d.summary["notice_waiting"] = d.screen.ids.text.text


def offline_landscape(d: RatingDriver) -> Iterator[Wait]:
    """English, landscape; the server goes away before "send": the outbox keeps the rating."""
    tickets = d.config["tickets"]
    yield d.on_screen("start")
    d.tap(d.screen.ids.lang)
    yield d.until("English", lambda: d.app.lang == "en")
    yield d.frames(2)
    d.shot("start")
    yield d.ask_test("scan_first")
    yield d.on_screen("overall")
    d.summary["target_line"] = d.screen.ids.target.text
    d.shot("overall")
    d.tap(d.screen.ids.face3)
    yield d.on_screen("question")
    yield from _answer_all(d, skip=set(), shoot={"U1", "K1"})
    yield d.on_screen("suggestion")
    d.shot("suggestion")
    yield d.ask_test("server_down")
    d.tap(d.screen.ids.send)
    yield d.on_screen("thanks")
    d.summary["thanks_text"] = d.screen.ids.text.text
    d.shot("thanks")
    d.summary["outbox_waiting"] = d.app.core.outbox.count()
    yield d.ask_test("server_up")
    yield d.until(
        "outbox delivered",
        lambda: d.app.core.outbox.count() == 0 and bool(d.app.core.delivered),
    )
    d.summary["delivered"] = list(d.app.core.delivered)
    d.tap(d.screen.ids.done)
    yield d.on_screen("start")
    # the second ticket with a low face: follow-up screen in landscape
    d.type(d.screen.ids.keyboard, tickets["second_number"])
    d.tap(d.screen.ids.go)
    yield d.on_screen("overall")
    d.tap(d.screen.ids.face2)
    yield d.on_screen("followup")
    d.shot("followup")
    # leave it: the idle prompt appears, then everything typed is wiped
    yield d.until("idle prompt", lambda: d.app.idle_prompt is not None)
    d.summary["idle_prompt_seen"] = True
    yield d.on_screen("start")
    d.summary["after_idle"] = d.flow.overall


def _show(d: RatingDriver, frame: bytes) -> Wait:
    """Put ``frame`` before the camera; wait until the terminal decoded it (or stopped looking:
    it decodes only on the start screen)."""
    from tests.rating.camera_source import FrameCamera

    FrameCamera.frame = frame
    camera = d.app.camera
    target = camera.frames_decoded + 3  # the one in flight may hold the previous frame
    return d.until(
        "frames decoded",
        lambda: camera.frames_decoded >= target or d.app.root.current != "start",
    )


def camera_journey(d: RatingDriver) -> Iterator[Wait]:
    """The camera reads a picture with no code, a code that is not a ticket, then the ticket."""
    from tests.rating.camera_source import blank_frame, qr_frame

    yield d.on_screen("start")
    yield d.until("camera opened", lambda: d.app.camera_ready)
    yield d.frames(3)
    d.summary["hint"] = d.screen.ids.hint.text
    d.summary["camera_hint"] = d.screen.ids.camera_hint.text
    d.summary["preview_shown"] = bool(d.screen.ids.preview.shown)
    d.summary["preview_has_picture"] = d.screen.ids.preview.texture is d.app.camera.camera.texture
    yield _show(d, blank_frame())
    d.summary["after_blank"] = d.app.root.current
    d.shot("camera-start")
    yield _show(d, qr_frame(d.config["foreign_qr"]))
    yield d.on_screen("notice")
    d.summary["foreign_notice"] = d.screen.ids.text.text
    d.shot("camera-notice")
    yield _show(d, blank_frame())  # the code is taken away before the visitor taps "Selesai"
    d.tap(d.screen.ids.done)
    yield d.on_screen("start")
    yield _show(d, qr_frame(d.config["tickets"]["tracking_url"]))
    yield d.on_screen("overall")
    d.summary["target_line"] = d.screen.ids.target.text
    d.summary["token"] = d.flow.token
    d.shot("camera-overall")


def camera_broken(d: RatingDriver) -> Iterator[Wait]:
    """The camera is switched on but will not open: the number still works, nothing false said."""
    yield d.on_screen("start")
    yield d.frames(5)
    d.summary["camera"] = repr(d.app.camera)
    d.summary["hint"] = d.screen.ids.hint.text
    d.summary["camera_hint"] = d.screen.ids.camera_hint.text
    d.summary["preview_shown"] = bool(d.screen.ids.preview.shown)
    d.shot("camera-broken-start")
    d.type(d.screen.ids.keyboard, d.config["tickets"]["number"])
    d.tap(d.screen.ids.go)
    yield d.on_screen("overall")
    d.summary["target_line"] = d.screen.ids.target.text


SCENARIOS: dict[str, Callable[[RatingDriver], Iterator[Wait]]] = {
    "full_journey": full_journey,
    "offline_landscape": offline_landscape,
    "camera_journey": camera_journey,
    "camera_broken": camera_broken,
}


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text())
    from kiosk.rating.cli import build_app
    from kiosk.rating.settings import RatingSettings

    settings = RatingSettings(**config["settings"])
    app = build_app(settings)  # Kivy is configured: the camera provider may be imported now
    if config.get("camera_provider"):  # no camera exists here: a provider with real frames
        import kiosk.camera
        from tests.rating import camera_source

        kiosk.camera.PROVIDER = getattr(camera_source, config["camera_provider"])
    driver = RatingDriver(app, config)
    from kivy.clock import Clock

    Clock.schedule_once(lambda _dt: driver.begin(), 0)
    app.run()
    Path(config["result"]).write_text(json.dumps(driver.summary, indent=2))
    return 0 if driver.summary.get("finished") else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
