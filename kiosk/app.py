"""The guestbook kiosk's Kivy App: wires settings, server client, outbox, printer, scanner and screens.

All behaviour lives in :class:`kiosk.core.KioskCore` and the screens; the look,
worker, screen building and idle reset come from the shared shell
(:class:`kiosk.shell.TouchApp`). This class builds the core, loads its .kv
files, shows the screen of the journey's current step after each change,
and adds its own periodic duties: outbox retry, heartbeat, and configuration
reload while the server is unreachable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.uix.screenmanager import NoTransition, Screen, ScreenManager

from kiosk.client import KioskClient
from kiosk.core import KioskCore
from kiosk.journey import Step
from kiosk.outbox import Outbox
from kiosk.printing import TicketPrinting
from kiosk.scanner import MrzReader
from kiosk.screens import SCREEN_MODULES
from kiosk.screens.consent import ConsentScreen
from kiosk.screens.guestbook import GuestbookScreen
from kiosk.screens.identity import IdentityScreen
from kiosk.screens.notice import NoticeScreen
from kiosk.screens.priority import PriorityScreen
from kiosk.screens.summary import SummaryScreen
from kiosk.screens.ticket import TicketScreen
from kiosk.screens.welcome import WelcomeScreen
from kiosk.settings import KioskSettings
from kiosk.shell import KIOSK_DIR, TouchApp
from kiosk.widgets import keyboard, section  # noqa: F401 - register widgets for the .kv files

#: steps after which nothing typed is left: return to the start without asking
_RESTING_STEPS = (Step.TICKET, Step.DECLINED, Step.OFFLINE, Step.FAILED)
LOAD_RETRY_SECONDS = 10.0


def _notice(name: str) -> Callable[[], Screen]:
    return lambda: NoticeScreen(name=name, title_key=f"{name}_title", text_key=f"{name}_text")


class KioskApp(TouchApp):
    NAMESPACE = "kiosk"

    def __init__(self, settings: KioskSettings, **kwargs: Any) -> None:
        super().__init__(settings, **kwargs)
        self.settings = settings
        self.rest_seconds = settings.ticket_screen_seconds
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
            on_change=self.request_refresh,
        )
        self._last_load = time.monotonic()

    def build(self) -> ScreenManager:
        self.core.load()  # fetch the configuration while the window is being built
        self.title = self.tr("app_title")
        self.size_look(base=1080, font=34, key_h=(88, 76), pad=(56, 36))
        self.load_kv_files([KIOSK_DIR / "screens" / f"{module}.kv" for module in SCREEN_MODULES])
        manager = ScreenManager(transition=NoTransition())
        manager.add_widget(WelcomeScreen())  # the others are built after the first frame
        return manager

    def screen_factories(self) -> dict[str, Callable[[], Screen]]:
        return {
            "consent": ConsentScreen,
            "summary": SummaryScreen,
            "guestbook": GuestbookScreen,
            "identity": IdentityScreen,
            "priority": PriorityScreen,
            "ticket": TicketScreen,
            "declined": _notice("declined"),
            "offline": _notice("offline"),
            "failed": _notice("failed"),
        }

    def on_start(self) -> None:
        self.start_shell(tick_seconds=1.0)
        self.worker.submit(self.core.printing.warm_up)
        self.core.flush_outbox()
        self.core.send_heartbeat()
        Clock.schedule_interval(
            lambda _dt: self.core.flush_outbox(), self.settings.outbox_retry_seconds
        )
        Clock.schedule_interval(
            lambda _dt: self.core.send_heartbeat(), self.settings.heartbeat_seconds
        )
        if self.settings.scanner_port:
            scanner = MrzReader(
                self.settings.scanner_port,
                self.on_ui_thread(self.core.scanned),
                baudrate=self.settings.scanner_baudrate,
            )
            scanner.start()
            self.readers.append(scanner)
        if self.settings.camera:
            from kiosk.camera import IdCamera

            self.core.camera = IdCamera(self.settings.camera_index)  # type: ignore[attr-defined]
        self._refresh()

    def on_stop(self) -> None:
        super().on_stop()
        self.core.printing.close()

    def _refresh(self, *_args: Any) -> None:
        self.show_step(self.core.journey.step.value, self.core.journey.language)

    # --- the shell's hooks ----------------------------------------------------------------

    def on_tick(self, now: float) -> None:
        core = self.core
        if core.load_state == "failed" and now - self._last_load >= LOAD_RETRY_SECONDS:
            self._last_load = now  # the server was unreachable: try again every 10 s
            core.load_state = "loading"
            core.load()

    def resting(self) -> bool:
        return self.core.journey.step in _RESTING_STEPS

    def journey_active(self) -> bool:
        return bool(self.core.journey_active)

    def rest_over(self) -> None:
        self.core.reset()

    def idle_expired(self) -> None:
        self.core.idle_expired()
