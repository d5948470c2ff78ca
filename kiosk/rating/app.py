"""The rating terminal's Kivy App: wires settings, client, outbox, scanner and screens.

Behaviour lives in :class:`kiosk.rating.core.RatingCore` (and the pure flow);
this class builds it, loads the kiosk's shared look (``kiosk/kiosk.kv``, the
idle prompt) and the rating screens' .kv files by path, shows the screen of
the flow's current step after each change (batched with a Clock trigger),
and runs the periodic duties: idle reset, thanks/notice timeout, outbox retry.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from kiosk.idle import IdleState, IdleWatch
from kiosk.outbox import Outbox
from kiosk.rating.client import RatingClient
from kiosk.rating.core import RatingCore
from kiosk.rating.flow import Step
from kiosk.rating.scan import QrScannerReader
from kiosk.rating.screens import SCREENS
from kiosk.rating.settings import RatingSettings
from kiosk.screens.idle import IdlePrompt
from kiosk.widgets import face, keyboard, section  # noqa: F401 - register widgets for .kv
from kiosk.worker import Worker
from server.i18n import t

HERE = Path(__file__).parent
KIOSK_DIR = HERE.parent
NAMESPACE = "rating"


class RatingApp(App):
    lang = StringProperty("id")
    landscape = BooleanProperty(False)
    fs = NumericProperty(28)
    key_h = NumericProperty(72)
    pad = NumericProperty(32)
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

    def __init__(self, settings: RatingSettings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.settings = settings
        self.lang = settings.language
        self.landscape = settings.orientation == "landscape"
        self.worker = Worker()
        self.core = RatingCore(
            client=RatingClient(
                settings.server_url, settings.device_token, timeout=settings.request_timeout_seconds
            ),
            outbox=Outbox(settings.outbox_path),
            worker=self.worker,
            language=settings.language,
            on_change=self._request_refresh,
        )
        self.idle = IdleWatch(
            settings.idle_timeout_seconds, settings.idle_grace_seconds, time.monotonic()
        )
        self.idle_prompt: IdlePrompt | None = None
        self.scanner: QrScannerReader | None = None
        self._refresh_trigger = Clock.create_trigger(self._refresh)

    def rt(self, name: str, _lang: str | None = None, **params: Any) -> str:
        """Text ``rating.<name>`` in the current language (kv passes ``app.lang`` to re-bind)."""
        return t(f"{NAMESPACE}.{name}", _lang or self.lang, **params)

    def tr(self, name: str, _lang: str | None = None, **params: Any) -> str:
        """The same, under the name the kiosk's shared .kv rules (keyboard, idle prompt) call."""
        return self.rt(name, _lang, **params)

    def load_kv(self, filename: str | None = None) -> bool:
        return False  # .kv files are loaded by path in build()

    def build(self) -> ScreenManager:
        self.title = self.rt("app_title")
        width, height = self.settings.window_size
        self.fs = min(width, height) / 800 * 28
        self.key_h = 64 if self.landscape else 72
        self.pad = 24 if self.landscape else 32
        Builder.load_file(str(KIOSK_DIR / "kiosk.kv"))
        Builder.load_file(str(KIOSK_DIR / "screens" / "idle.kv"))
        Builder.load_file(str(HERE / "rating.kv"))
        for name in SCREENS:
            Builder.load_file(str(HERE / "screens" / f"{name}.kv"))
        manager = ScreenManager(transition=NoTransition())
        manager.add_widget(SCREENS["start"](name="start"))  # the others after the first frame
        return manager

    def _ensure_screen(self, name: str) -> None:
        if self.root is not None and not self.root.has_screen(name):
            self.root.add_widget(SCREENS[name](name=name))

    def _build_next_screen(self, _dt: float) -> bool:
        """Build one missing screen per frame, so the start screen shows at once."""
        missing = [n for n in SCREENS if not self.root.has_screen(n)]
        if missing:
            self._ensure_screen(missing[0])
        return len(missing) > 1

    def on_start(self) -> None:
        Window.bind(on_touch_down=self._touched)
        Clock.schedule_interval(self.worker.drain, 1 / 60)
        Clock.schedule_interval(self._tick, 0.5)
        Clock.schedule_interval(self._build_next_screen, 0)
        Clock.schedule_interval(
            lambda _dt: self.core.flush_outbox(), self.settings.outbox_retry_seconds
        )
        self.core.flush_outbox()
        if self.settings.scanner:
            self.scanner = QrScannerReader(
                self.settings.scanner_port, self._scanned, baudrate=self.settings.scanner_baudrate
            )
            self.scanner.start()
        self._refresh()

    def on_stop(self) -> None:
        if self.scanner is not None:
            self.scanner.stop()
        self.worker.shutdown()

    def _request_refresh(self) -> None:
        self._refresh_trigger()

    def _refresh(self, *_args: Any) -> None:
        flow = self.core.flow
        self.lang = flow.language
        manager = self.root
        if manager is None:
            return
        step = flow.step.value
        self._ensure_screen(step)
        if manager.current != step:
            self.idle.touched(time.monotonic())
            manager.current = step
        manager.current_screen.refresh()

    def _scanned(self, token: str | None) -> None:
        Clock.schedule_once(lambda _dt: self.core.scanned(token), 0)

    def _touched(self, *_args: Any) -> None:
        self.idle.touched(time.monotonic())

    def _tick(self, _dt: float) -> None:
        now = time.monotonic()
        flow = self.core.flow
        if flow.step in (Step.THANKS, Step.NOTICE):
            if now - self.idle.last_touch >= self.settings.thanks_seconds:
                self.core.reset()
            return
        state = self.idle.state(now, journey_active=flow.active and not flow.busy)
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
            self.core.reset()
