"""The Kivy App: wires settings, server client, outbox, printer, scanner and screens.

All behaviour lives in :class:`kiosk.core.KioskCore` and the screens; this
class only builds them, loads the .kv files explicitly, switches to the
screen of the journey's current step after each change (batched with a
Clock trigger), and runs the periodic duties: idle timeout, outbox retry,
heartbeat, and configuration reload while the server is unreachable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

from kiosk.client import KioskClient
from kiosk.core import KioskCore
from kiosk.idle import IdleState, IdleWatch
from kiosk.journey import Step
from kiosk.outbox import Outbox
from kiosk.printing import TicketPrinting
from kiosk.scanner import Result, ScannerReader
from kiosk.screens import SCREEN_MODULES
from kiosk.screens.consent import ConsentScreen
from kiosk.screens.guestbook import GuestbookScreen
from kiosk.screens.identity import IdentityScreen
from kiosk.screens.idle import IdlePrompt
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.priority import PriorityScreen
from kiosk.screens.summary import SummaryScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.settings import KioskSettings
from kiosk.texts import tr
from kiosk.widgets import keyboard, section  # noqa: F401 - register widgets for the .kv files
from kiosk.worker import Worker

HERE = Path(__file__).parent
#: steps after which nothing typed is left: return to the start without asking
_RESTING_STEPS = (Step.TICKET, Step.DECLINED, Step.OFFLINE, Step.FAILED)


class KioskApp(App):
    lang = StringProperty("id")
    landscape = BooleanProperty(False)
    fs = NumericProperty(34)
    key_h = NumericProperty(88)  # on-screen key height (px), well above the 64 px minimum
    pad = NumericProperty(56)
    c_bg = ListProperty([0.96, 0.97, 0.98, 1])
    c_text = ListProperty([0.10, 0.12, 0.16, 1])
    c_muted = ListProperty([0.35, 0.38, 0.44, 1])
    c_primary = ListProperty([0.04, 0.30, 0.56, 1])
    c_primary_dark = ListProperty([0.02, 0.20, 0.40, 1])
    c_secondary = ListProperty([0.86, 0.89, 0.93, 1])
    c_secondary_dark = ListProperty([0.74, 0.78, 0.84, 1])
    c_selected = ListProperty([0.04, 0.45, 0.35, 1])
    c_accent = ListProperty([0.90, 0.42, 0.05, 1])
    c_accent_dark = ListProperty([0.70, 0.30, 0.02, 1])
    c_error = ListProperty([0.72, 0.08, 0.08, 1])
    c_ok = ListProperty([0.05, 0.45, 0.20, 1])

    def __init__(self, settings: KioskSettings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.lang = settings.language
        self.landscape = settings.orientation == "landscape"
        self.worker = Worker()
        self.core = KioskCore(
            settings,
            client=KioskClient(
                settings.server_url,
                settings.device_token,
                timeout=settings.request_timeout_seconds,
            ),
            outbox=Outbox(settings.outbox_path),
            printing=TicketPrinting(
                settings.resolved_printer_url, timeout=settings.print_timeout_seconds
            ),
            worker=self.worker,
            on_change=self._request_refresh,
        )
        self.idle = IdleWatch(
            settings.idle_timeout_seconds, settings.idle_grace_seconds, time.monotonic()
        )
        self.idle_prompt: IdlePrompt | None = None
        self.scanner: ScannerReader | None = None
        self._refresh_trigger = Clock.create_trigger(self._refresh)
        self._last_load = time.monotonic()

    def tr(self, name: str, _lang: str | None = None, **params: Any) -> str:
        """Catalog text in the current language (kv passes ``app.lang`` to re-bind)."""
        return tr(name, _lang or self.lang, **params)

    def load_kv(self, filename: str | None = None) -> bool:
        """No Kivy naming-convention loading: :meth:`build` loads our .kv files by path."""
        return False

    def build(self) -> ScreenManager:
        self.core.load()  # fetch the configuration while the window is being built
        self.title = self.tr("app_title")
        width, height = self.settings.window_size
        self.fs = min(width, height) / 1080 * 34
        self.key_h = 76 if self.landscape else 88
        self.pad = 36 if self.landscape else 56
        Builder.load_file(str(HERE / "kiosk.kv"))
        for module in SCREEN_MODULES:
            Builder.load_file(str(HERE / "screens" / f"{module}.kv"))
        manager = ScreenManager(transition=NoTransition())
        manager.add_widget(WelcomeScreen())  # the others are built after the first frame
        return manager

    def _screen_factories(self) -> dict[str, Callable[[], Screen]]:
        return {
            "consent": ConsentScreen,
            "summary": SummaryScreen,
            "guestbook": GuestbookScreen,
            "identity": IdentityScreen,
            "priority": PriorityScreen,
            "ticket": TicketScreen,
            "declined": lambda: NoticeScreen(
                name="declined", title_key="declined_title", text_key="declined_text"
            ),
            "offline": lambda: NoticeScreen(
                name="offline", title_key="offline_title", text_key="offline_text"
            ),
            "failed": lambda: NoticeScreen(
                name="failed", title_key="failed_title", text_key="failed_text"
            ),
        }

    def _ensure_screen(self, name: str) -> None:
        manager = self.root
        if manager is not None and not manager.has_screen(name):
            manager.add_widget(self._screen_factories()[name]())

    def _build_next_screen(self, _dt: float) -> bool:
        """Build one missing screen per frame, so the Welcome screen shows at once."""
        missing = [n for n in self._screen_factories() if not self.root.has_screen(n)]
        if missing:
            self._ensure_screen(missing[0])
        return len(missing) > 1

    def on_start(self) -> None:
        Window.bind(on_touch_down=self._touched)
        Clock.schedule_interval(self.worker.drain, 1 / 60)
        Clock.schedule_interval(self._build_next_screen, 0)
        self.worker.submit(self.core.printing.warm_up)
        self.core.flush_outbox()
        self.core.send_heartbeat()
        Clock.schedule_interval(self._tick, 1.0)
        Clock.schedule_interval(
            lambda _dt: self.core.flush_outbox(), self.settings.outbox_retry_seconds
        )
        Clock.schedule_interval(
            lambda _dt: self.core.send_heartbeat(), self.settings.heartbeat_seconds
        )
        if self.settings.scanner_port:
            self.scanner = ScannerReader(
                self.settings.scanner_port, self._scanned, baudrate=self.settings.scanner_baudrate
            )
            self.scanner.start()
        if self.settings.camera:
            from kiosk.camera import IdCamera

            self.core.camera = IdCamera(self.settings.camera_index)  # type: ignore[attr-defined]
        self._refresh()

    def on_stop(self) -> None:
        if self.scanner is not None:
            self.scanner.stop()
        self.core.printing.close()
        self.worker.shutdown()

    # --- wiring ---------------------------------------------------------------------------

    def _request_refresh(self) -> None:
        self._refresh_trigger()

    def _refresh(self, *_args: Any) -> None:
        self.lang = self.core.journey.language
        manager = self.root
        if manager is None:
            return
        step = self.core.journey.step.value
        if step != "welcome":
            self._ensure_screen(step)
        if manager.current != step:
            self.idle.touched(time.monotonic())  # a new step counts as activity
            manager.current = step
        manager.current_screen.refresh()

    def _scanned(self, result: Result) -> None:
        Clock.schedule_once(lambda _dt: self.core.scanned(result), 0)

    def _touched(self, *_args: Any) -> None:
        self.idle.touched(time.monotonic())

    def _tick(self, _dt: float) -> None:
        now = time.monotonic()
        core = self.core
        if core.load_state == "failed" and now - self._last_load >= 10:
            self._last_load = now  # the server was unreachable: try again every 10 s
            core.load_state = "loading"
            core.load()
        step = core.journey.step
        if step in _RESTING_STEPS:
            if now - self.idle.last_touch >= self.settings.ticket_screen_seconds:
                core.reset()
            return
        state = self.idle.state(now, journey_active=core.journey_active)
        if state == IdleState.ACTIVE:
            if self.idle_prompt is not None:
                self.idle_prompt.dismiss()
                self.idle_prompt = None
        elif state == IdleState.WARN:
            if self.idle_prompt is None:
                self.idle_prompt = IdlePrompt()
                self.idle_prompt.open()
            self.idle_prompt.seconds = self.idle.seconds_left(now)
        else:
            if self.idle_prompt is not None:
                self.idle_prompt.dismiss()
                self.idle_prompt = None
            core.idle_expired()
