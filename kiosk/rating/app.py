"""The rating terminal's Kivy App: wires settings, client, outbox, scanner, camera and screens.

Behaviour lives in :class:`kiosk.rating.core.RatingCore` (and the pure flow);
the look, worker, screen building and idle reset come from the shared shell
(:class:`kiosk.shell.TouchApp`). This class builds the core, loads the rating
screens' .kv files, shows the screen of the flow's current step after each
change, retries the outbox, and starts the ticket readers: the serial QR
scanner and, when the setting is on, the camera (:class:`kiosk.camera.QrCamera`);
both hand the scanned token to :meth:`RatingCore.scanned` on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from kivy.clock import Clock
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

from kiosk.outbox import Outbox
from kiosk.rating.client import RatingClient
from kiosk.rating.core import RatingCore
from kiosk.rating.flow import Step
from kiosk.rating.screens import SCREENS
from kiosk.rating.settings import RatingSettings
from kiosk.scanner import QrReader
from kiosk.shell import KIOSK_DIR, TouchApp
from kiosk.widgets import face, keyboard, section  # noqa: F401 - register widgets for .kv

HERE = KIOSK_DIR / "rating"


class RatingApp(TouchApp):
    NAMESPACE = "rating"

    def __init__(self, settings: RatingSettings, **kwargs: Any) -> None:
        super().__init__(settings, **kwargs)
        self.settings = settings
        self.rest_seconds = settings.thanks_seconds
        self.core = RatingCore(
            client=RatingClient(
                settings.server_url, settings.device_token, timeout=settings.request_timeout_seconds
            ),
            outbox=Outbox(settings.outbox_path),
            worker=self.worker,
            language=settings.language,
            on_change=self.request_refresh,
        )
        self.camera: Any = None  # a kiosk.camera.QrCamera when the setting is on

    def rt(self, name: str, _lang: str | None = None, **params: Any) -> str:
        """Text ``rating.<name>`` (the rating screens' name for :meth:`tr`)."""
        return self.tr(name, _lang, **params)

    @property
    def scanner_ready(self) -> bool:
        """A serial QR scanner is configured (the start screen may say "scan")."""
        return bool(self.settings.scanner)

    @property
    def camera_ready(self) -> bool:
        """The camera is on and delivers frames (only then does the screen mention it)."""
        return self.camera is not None and bool(self.camera.opened)

    def build(self) -> ScreenManager:
        self.title = self.tr("app_title")
        self.size_look(base=800, font=28, key_h=(72, 64), pad=(32, 24))
        self.load_kv_files([HERE / "rating.kv", *(HERE / "screens" / f"{n}.kv" for n in SCREENS)])
        manager = ScreenManager(transition=NoTransition())
        manager.add_widget(SCREENS["start"](name="start"))  # the others after the first frame
        return manager

    def screen_factories(self) -> dict[str, Callable[[], Screen]]:
        return {name: partial(SCREENS[name], name=name) for name in SCREENS}

    def on_start(self) -> None:
        self.start_shell(tick_seconds=0.5)
        Clock.schedule_interval(
            lambda _dt: self.core.flush_outbox(), self.settings.outbox_retry_seconds
        )
        self.core.flush_outbox()
        scanned = self.on_ui_thread(self.core.scanned)
        if self.settings.scanner:
            scanner = QrReader(
                self.settings.scanner_port, scanned, baudrate=self.settings.scanner_baudrate
            )
            scanner.start()
            self.readers.append(scanner)
        if self.settings.camera:
            self._start_camera()
        self._refresh()

    def _start_camera(self) -> None:
        from kiosk.camera import QrCamera

        camera = QrCamera(
            self.settings.camera_index,
            self.core.scanned,  # QrCamera calls back on the UI thread already
            worker=self.worker,
            on_open=self.request_refresh,
            wanted=lambda: self.core.flow.step == Step.START and not self.core.flow.busy,
        )
        if camera.start():
            self.camera = camera
            self.readers.append(camera)

    def _refresh(self, *_args: Any) -> None:
        self.show_step(self.core.flow.step.value, self.core.flow.language)

    # --- the shell's hooks ----------------------------------------------------------------

    def resting(self) -> bool:
        return self.core.flow.step in (Step.THANKS, Step.NOTICE)

    def journey_active(self) -> bool:
        flow = self.core.flow
        return flow.active and not flow.busy

    def rest_over(self) -> None:
        self.core.reset()

    def idle_expired(self) -> None:
        self.core.reset()
