"""Drive a real kiosk window with real touch input, in its own process.

Kivy allows one window per process, so each window test runs this module as
a subprocess: ``python -m tests.kiosk.kiosk_driver CONFIG.json``. It starts the
real :class:`kiosk.app.KioskApp`, then plays a scenario: every action is a
``UnitTestTouch`` down/up at a widget's window position (dispatched through
Kivy's input pipeline, like a finger), typing goes through the on-screen
keyboard's keys, and each step waits until the screen shows what it should.
Screenshots of every screen go to ``shots_dir``; a JSON summary (what was
seen, timings) is written to ``result``. Exit code 0 means the scenario
finished; assertions on the server and printer are made by the test.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

Wait = Callable[[], bool]


def main(config_path: str) -> int:
    config = json.loads(Path(config_path).read_text())
    from kiosk.cli import build_app
    from kiosk.settings import KioskSettings

    settings = KioskSettings(**config["settings"])
    app = build_app(settings)
    driver = Driver(app, config)
    from kivy.clock import Clock

    Clock.schedule_once(lambda _dt: driver.begin(), 0)
    app.run()
    Path(config["result"]).write_text(json.dumps(driver.summary, indent=2))
    return 0 if driver.summary.get("finished") else 1


class Driver:
    """Runs a scenario generator: each ``yield`` is a condition to wait for."""

    def __init__(self, app: Any, config: dict[str, Any]) -> None:
        self.app = app
        self.config = config
        self.shots = Path(config["shots_dir"])
        self.shots.mkdir(parents=True, exist_ok=True)
        self.prefix = config.get("shot_prefix", "")
        self.summary: dict[str, Any] = {"screens": [], "finished": False}
        self.deadline = 0.0
        self.steps: Iterator[Wait] = iter(())
        self.waiting: Wait | None = None
        self.waiting_what = ""
        self.wait_started = 0.0
        self.counting = False
        self.counts = {"taps": 0, "keys": 0, "screens": []}

    def begin(self) -> None:
        from kivy.clock import Clock

        self.steps = SCENARIOS[self.config["scenario"]](self)
        self.summary["started_at"] = time.monotonic()
        Clock.schedule_interval(self._tick, 0)

    def _tick(self, _dt: float) -> bool:
        try:
            if self.waiting is not None:
                if not self.waiting():
                    if time.monotonic() > self.deadline:
                        raise TimeoutError(f"timed out waiting for: {self.waiting_what}")
                    return True
                self.waiting = None
                self.summary.setdefault("waits", []).append(
                    [self.waiting_what, round(time.monotonic() - self.wait_started, 2)]
                )
            step_started = time.monotonic()
            self.waiting = next(self.steps)
            self.summary.setdefault("actions", []).append(
                [self.waiting_what, round(time.monotonic() - step_started, 2)]
            )
            self.wait_started = time.monotonic()
            self.waiting_what = getattr(self.waiting, "what", repr(self.waiting))
            self.deadline = time.monotonic() + float(self.config.get("step_timeout", 20))
            return True
        except StopIteration:
            self.summary["finished"] = True
        except Exception as error:
            self.summary["error"] = "".join(traceback.format_exception(error))
        self.app.stop()
        return False

    # --- helpers for scenarios ------------------------------------------------------

    @property
    def screen(self) -> Any:
        return self.app.root.current_screen

    def on_screen(self, name: str, frames: int = 2) -> Wait:
        """The screen shows, and has been laid out for a few frames (positions are final)."""
        seen = {"n": 0}

        def check() -> bool:
            if self.app.root.current == name and self._settled():
                seen["n"] += 1
            else:
                seen["n"] = 0
            return seen["n"] > frames

        check.what = f"screen {name}"  # type: ignore[attr-defined]
        return check

    def until(self, what: str, condition: Callable[[], bool]) -> Wait:
        condition.what = what  # type: ignore[attr-defined]
        return condition

    def ask_test(self, name: str) -> Wait:
        """Ask the test process to do something (stop the server...) and wait until done."""
        sync = Path(self.config["sync_dir"])
        (sync / f"{name}.ready").touch()
        return self.until(f"test hook {name}", lambda: (sync / f"{name}.done").exists())

    def keyboard_ready(self, keyboard: Any) -> Wait:
        """The keyboard is laid out where the visitor sees it (its keys have their size)."""

        def check() -> bool:
            keys = [b for row in keyboard.children for b in row.children]
            return (
                keyboard.width > 300
                and bool(keys)
                and all(k.width > 20 and k.height > 20 for k in keys)
                and not self.app._refresh_trigger.is_triggered
            )

        check.what = "keyboard laid out"  # type: ignore[attr-defined]
        return check

    def tiles_ready(self) -> Wait:
        """The Welcome screen's service tiles are laid out in their grid."""

        def check() -> bool:
            screen = self.app.root.current_screen
            box = screen.ids.get("services") if self.app.root.current == "welcome" else None
            tiles = list(box.children) if box is not None else []
            return bool(tiles) and all(t.width > 200 and not t.disabled and t.y > 0 for t in tiles)

        check.what = "service tiles laid out"  # type: ignore[attr-defined]
        return check

    def frames(self, count: int = 2) -> Wait:
        state = {"n": 0}

        def check() -> bool:
            state["n"] += 1
            return state["n"] > count

        check.what = f"{count} frames"  # type: ignore[attr-defined]
        return check

    def _settled(self) -> bool:
        # the app refreshes a screen on the frame after a change
        return not self.app._refresh_trigger.is_triggered

    def tap(self, widget: Any, *, key: bool = False) -> None:
        """A finger touch at the widget's centre, through Kivy's input pipeline.

        While counting (from the service tile to the ticket), on-screen keyboard
        keys count as typing, every other tap as a tap.
        """
        from kivy.tests.common import UnitTestTouch

        if self.counting:
            self.counts["keys" if key else "taps"] += 1
        if widget.disabled or widget.opacity == 0:
            raise AssertionError(f"cannot tap hidden/disabled widget {widget!r}")
        x, y = widget.to_window(*widget.center)
        touch = UnitTestTouch(x, y)
        touch.touch_down()
        touch.touch_up()

    def key(self, keyboard: Any, key: str) -> None:
        from kiosk.widgets.keyboard import KeyButton

        for row in keyboard.children:
            for button in row.children:
                if isinstance(button, KeyButton) and button.key == key:
                    self.tap(button, key=True)
                    return
        raise AssertionError(f"no key {key!r} on the {keyboard.layout} keyboard")

    def type(self, keyboard: Any, text: str) -> None:
        """Type ``text`` with on-screen key taps (shift for capitals)."""
        from kiosk.widgets.keyboard import SHIFT

        for char in text:
            if char.isalpha() and char.isupper():
                if not keyboard.shift:
                    self.key(keyboard, SHIFT)
                self.key(keyboard, char.lower())
            else:
                self.key(keyboard, char)

    def smallest_target(self) -> float:
        """The smallest visible, enabled button on screen (width or height, in px)."""
        from kivy.uix.button import Button

        sizes = [
            min(w.width, w.height)
            for w in self.app.root.current_screen.walk()
            if isinstance(w, Button)
            and not w.disabled
            and w.opacity > 0
            and w.height > 0
            and all(p.opacity > 0 for p in _parents(w))
        ]
        return min(sizes) if sizes else 0.0

    def seen(self, name: str) -> None:
        """A screen the visitor reads (counted once per visit of that screen)."""
        if self.counting:
            self.counts["screens"].append(name)

    def shot(self, name: str) -> None:
        targets = self.summary.setdefault("smallest_targets", {})
        targets[name] = self.smallest_target()
        path = self.shots / f"{self.prefix}{name}.png"
        started = time.monotonic()
        self.app.root.export_to_png(str(path))
        self.summary["shot_seconds"] = (
            self.summary.get("shot_seconds", 0) + time.monotonic() - started
        )
        self.summary["screens"].append(name)

    def buttons_in(self, box: Any) -> list[Any]:
        return list(reversed(box.children))


def _parents(widget: Any) -> Iterator[Any]:
    parent = widget.parent
    while parent is not None and parent is not parent.parent:
        yield parent
        parent = parent.parent


# --- scenarios ----------------------------------------------------------------------------


def full_journey(d: Driver) -> Iterator[Wait]:
    """Welcome (service tile) → consent → ID → summary or guestbook → priority → ticket."""
    cfg = d.config
    app = d.app
    journey = app.core.journey
    yield d.until("configuration loaded", lambda: app.core.load_state == "ready")
    yield d.on_screen("welcome")
    yield d.frames()
    d.shot("01-welcome")
    if not cfg.get("skip_language"):
        yield from _toggle_language(d)

    if cfg.get("decline_first"):
        yield d.tiles_ready()
        d.tap(d.buttons_in(d.screen.ids.services)[0])
        yield d.on_screen("consent")
        d.tap(d.screen.ids.decline)
        yield d.on_screen("declined")
        d.shot("02-declined")
        d.tap(d.screen.ids.done)
        yield d.on_screen("welcome")

    yield d.tiles_ready()
    d.counting = True
    started = time.monotonic()
    d.seen("welcome")
    d.tap(d.buttons_in(d.screen.ids.services)[cfg.get("service_index", 1)])
    yield d.on_screen("consent")
    d.seen("consent")
    d.shot("02-consent")
    d.tap(d.screen.ids.accept)
    yield from _identity(d)

    if app.root.current == "summary":
        d.seen("summary")
        yield d.frames(2)
        d.shot("04-summary")
        d.summary["summary_rows"] = [list(r) for r in journey.summary]
        d.tap(d.screen.ids.change if cfg.get("summary_change") else d.screen.ids.correct)
        yield d.frames(1)
        yield d.until("left summary", lambda: journey.step.value != "summary")

    yield from _guestbook(d, cfg.get("answers", {}), prefix="05-guestbook")

    yield d.on_screen("priority")
    prio = d.screen
    d.seen("priority")
    yield d.frames(2)
    d.shot("06-priority")
    if cfg.get("correct_sex"):
        yield from _correct_sex(d, cfg["correct_sex"])
        prio = d.screen
    if cfg.get("email_copy"):
        d.summary["email_copy_offered"] = prio.email_offered
        if prio.email_offered:
            d.tap(prio.ids.email_copy)
    printed_at: dict[str, float] = {}
    app.core.print_listeners.append(lambda outcome: printed_at.setdefault("t", time.perf_counter()))
    tapped = time.perf_counter()
    if cfg.get("priority_index") is not None:
        d.tap(d.buttons_in(prio.ids.reasons)[cfg["priority_index"]])
    else:
        d.tap(prio.ids.take)
    d.counting = False
    d.summary["counts"] = {**d.counts, "journey_seconds": round(time.monotonic() - started, 2)}
    yield d.on_screen("ticket")
    ticket_screen = d.screen
    yield d.until("print finished", lambda: app.core.print_state in ("printed", "failed"))
    # the printer's state has reached the server before the test asks it
    reported: dict[str, bool] = {}
    app.core.worker.submit(
        lambda: app.core.client.heartbeat(app.core.printing.last_state),
        lambda _result: reported.setdefault("done", True),
    )
    yield d.until("printer state reported", lambda: bool(reported))
    yield d.until("preview shown", lambda: ticket_screen.ids.preview.texture is not None)
    yield d.frames(2)
    d.shot("09-ticket")
    d.summary.update(
        ticket_number=ticket_screen.number,
        ticket_position=ticket_screen.position,
        ticket_wait=ticket_screen.wait,
        print_state=app.core.print_state,
        print_text=ticket_screen.print_text,
        tap_to_print_done_ms=round((printed_at.get("t", tapped) - tapped) * 1000, 1),
    )
    if cfg.get("reprint"):
        d.tap(ticket_screen.ids.reprint)
        yield d.until("reprint done", lambda: app.core.print_state in ("printed", "failed"))
        d.summary["reprint_state"] = app.core.print_state
    d.tap(ticket_screen.ids.done)
    yield d.on_screen("welcome")
    d.summary["values_after"] = dict(app.core.journey.values)


def idle_journey(d: Driver) -> Iterator[Wait]:
    """Start a journey, type a bit, then do nothing: the prompt, then a wipe."""
    app = d.app
    yield d.until("configuration loaded", lambda: app.core.load_state == "ready")
    yield d.on_screen("welcome")
    yield from _to_guestbook(d, d.config["id_number"])
    d.type(d.screen.ids.keyboard, "siti")
    yield d.until("idle prompt", lambda: app.idle_prompt is not None)
    yield d.frames(2)
    written = app.root_window.screenshot(name=str(d.shots / "idle-tmp.png"))
    Path(written).replace(d.shots / f"{d.prefix}10-idle-prompt.png")
    d.summary["screens"].append("10-idle-prompt")
    yield d.until("wiped to welcome", lambda: app.root.current == "welcome")
    d.summary["idle_values_after"] = dict(app.core.journey.values)


def _identity(d: Driver) -> Iterator[Wait]:
    """The ID step: pick the card, scan or type the number, move on."""
    cfg = d.config
    app = d.app
    journey = app.core.journey
    yield d.on_screen("identity")
    d.seen("identity")
    ident = d.screen
    yield d.keyboard_ready(ident.ids.keyboard)
    d.shot("03-identity-start")
    if cfg.get("id_type"):
        button = next(b for b in ident.ids.types.children if b.id_type == cfg["id_type"])
        d.tap(button)
        yield d.frames(2)
        d.shot(f"03-identity-{cfg['id_type']}")
    if cfg.get("scan_mrz"):
        yield d.ask_test("scan_mrz")
        yield d.until("passport scanned", lambda: journey.id_scanned and ident.feedback_ok)
        yield d.frames(2)
        d.summary["scan_feedback"] = ident.feedback
        d.shot("03-identity-scanned")
    if cfg.get("id_number_wrong"):
        d.type(ident.ids.keyboard, cfg["id_number_wrong"])
        yield d.until("inline id error", lambda: bool(ident.feedback) and not ident.feedback_ok)
        yield d.frames(1)
        d.summary["inline_error"] = ident.feedback
        d.shot("03-identity-error")
        for _ in cfg["id_number_wrong"]:
            d.key(ident.ids.keyboard, "<bs>")
    if cfg.get("id_number"):
        d.type(ident.ids.keyboard, cfg["id_number"][:-1])
        yield d.frames(2)
        d.shot("03-identity")  # "15 dari 16 angka"
        d.type(ident.ids.keyboard, cfg["id_number"][-1])  # a valid NIK moves on by itself
    yield d.until("valid id", lambda: ident.feedback_ok or journey.step.value != "identity")
    if journey.step.value == "identity" and not journey.nik_complete:
        yield d.frames(1)
        d.shot("03-identity-done")
        d.tap(ident.ids.next)
    yield d.until(
        "ID done",
        lambda: (
            journey.step.value in ("summary", "guestbook", "priority")
            and not d.app._refresh_trigger.is_triggered
        ),
    )
    yield d.frames(2)


def _guestbook(d: Driver, answers: dict[str, str], prefix: str) -> Iterator[Wait]:
    """Answer every page the journey asks: type text, tap a tile (which moves on)."""
    app = d.app
    journey = app.core.journey
    index = 0
    while journey.step.value == "guestbook":
        page = journey.page
        names = tuple(f.name for f in page)
        screen = d.screen
        yield d.until(f"page {names}", lambda n=names, s=screen: s._page_key == n)
        if screen.has_text:
            yield d.keyboard_ready(screen.ids.keyboard)
        yield d.frames(1)
        d.seen("guestbook:" + "+".join(names))
        for field in page:
            value = answers.get(field.name, "")
            if field.kind == "choice":
                continue
            if value and screen.ids.answer.text != value:
                for _ in screen.ids.answer.text:
                    d.key(screen.ids.keyboard, "<bs>")
                domain = value.split("@")[1] if "@" in value else ""
                if domain in ("gmail.com", "bps.go.id", "yahoo.com"):
                    d.type(screen.ids.keyboard, value.split("@")[0])
                    d.key(screen.ids.keyboard, "@" + domain)
                else:
                    d.type(screen.ids.keyboard, value)
        choice = page[-1] if page[-1].kind == "choice" else None
        yield d.frames(2)
        before = (journey.step, journey.page_index, names)
        if choice is not None:
            wanted = answers.get(choice.name) or journey.values.get(choice.name)
            wanted = wanted or choice.choices[0].value
            button = next(b for b in d.buttons_in(screen.ids.choices) if b.choice_value == wanted)
            d.tap(button)
            yield d.until("chosen shown", lambda s=screen: bool(s.chosen) or bool(s.error))
            yield d.frames(1)
            d.shot(f"{prefix}-{index + 1:02d}-{'+'.join(names)}")
            if screen.error:
                raise AssertionError(f"{names}: {screen.error}")
        else:
            d.shot(f"{prefix}-{index + 1:02d}-{'+'.join(names)}")
            d.tap(screen.ids.next)
        index += 1
        yield d.until(
            "next page",
            lambda b=before: (
                (journey.step, journey.page_index, tuple(f.name for f in journey.page)) != b
                and not d.app._refresh_trigger.is_triggered
            ),
        )


def _correct_sex(d: Driver, wrong: str) -> Iterator[Wait]:
    """ "Ubah" beside what the ID told: a sex contradicting the NIK is refused."""
    app = d.app
    journey = app.core.journey
    right = journey.told["sex"]
    d.tap(d.screen.ids.correct)
    yield d.on_screen("guestbook")
    screen = d.screen
    yield d.until("sex page", lambda: screen._page_key == ("sex",))
    yield d.frames(1)
    d.tap(next(b for b in d.buttons_in(screen.ids.choices) if b.choice_value == wrong))
    yield d.until("contradiction shown", lambda: bool(screen.error))
    yield d.frames(2)
    d.summary["contradiction_error"] = screen.error
    d.summary["step_after_contradiction"] = journey.step.value
    d.shot("07-contradiction")
    yield from _guestbook(d, {"sex": right}, prefix="07-correct")
    yield d.on_screen("priority")
    yield d.frames(2)


def _toggle_language(d: Driver) -> Iterator[Wait]:
    app = d.app
    d.tap(d.screen.ids.language)
    yield d.until("english", lambda: app.lang == "en")
    yield d.frames()
    d.shot("01-welcome-en")
    d.tap(d.screen.ids.language)
    yield d.until("indonesian", lambda: app.lang == "id")


def offline_journey(d: Driver) -> Iterator[Wait]:
    """The server goes down just before the last tap: the offline notice, then delivery later."""
    yield from _quick_journey(d)
    yield d.ask_test("stop_server")
    d.tap(d.screen.ids.take)
    yield d.on_screen("offline")
    d.shot("11-offline")
    d.summary["message"] = d.screen.ids.message.text
    d.summary["outbox_after_tap"] = d.app.core.outbox.count()
    d.summary["values_after_tap"] = dict(d.app.core.journey.values)
    yield d.ask_test("start_server")
    yield d.until("outbox delivered", lambda: d.app.core.outbox.count() == 0)
    d.tap(d.screen.ids.done)
    yield d.on_screen("welcome")


def _to_guestbook(d: Driver, id_number: str) -> Iterator[Wait]:
    """From the Welcome screen to the first guestbook question, as a first-time visitor."""
    yield d.tiles_ready()
    d.tap(d.buttons_in(d.screen.ids.services)[0])
    yield d.on_screen("consent")
    d.tap(d.screen.ids.accept)
    yield d.on_screen("identity")
    d.type(d.screen.ids.keyboard, id_number)
    yield d.on_screen("guestbook")


def _quick_journey(d: Driver) -> Iterator[Wait]:
    app = d.app
    yield d.until("configuration loaded", lambda: app.core.load_state == "ready")
    yield d.on_screen("welcome")
    yield from _to_guestbook(d, d.config["id_number"])
    yield from _guestbook(d, d.config["answers"], prefix="q")
    yield d.on_screen("priority")


SCENARIOS: dict[str, Callable[[Driver], Iterator[Wait]]] = {
    "full": full_journey,
    "offline": offline_journey,
    "idle": idle_journey,
}


if __name__ == "__main__":
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    sys.exit(main(sys.argv[1]))
