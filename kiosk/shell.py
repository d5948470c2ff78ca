"""The shell both touch apps share: the look, the worker, screens, idle reset, readers.

:class:`TouchApp` is the one home of what the guestbook kiosk
(:class:`kiosk.app.KioskApp`) and the exit rating terminal
(:class:`kiosk.rating.app.RatingApp`) have in common:

- the look: the colours and sizes the shared ``kiosk.kv`` rules read, scaled
  to the window (:meth:`size_look`), and the language property;
- catalog text (:meth:`tr`, in the app's :attr:`NAMESPACE`), .kv files
  loaded by path (never by Kivy's naming convention);
- the worker whose results come back on the UI thread (drained every frame);
- the first screen at once, the others built one per frame after it, and
  :meth:`show_step` to show the screen of the journey's current step;
- the periodic tick: after a resting screen (ticket, thanks, a notice) has
  stayed untouched long enough, back to the start; during a journey, the
  idle watch asks "Masih di sini?" and then wipes it;
- scanners and cameras started with the app and stopped with it; their
  callbacks are moved onto the UI thread (:meth:`on_ui_thread`).

Each app says what differs: its settings, core, screens and the hooks
:meth:`resting`, :meth:`journey_active`, :meth:`rest_over`, :meth:`idle_expired`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, TypeVar

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
from kivy.uix.screenmanager import Screen

from kiosk.idle import IdleState, IdleWatch
from kiosk.screens.idle import IdlePrompt
from kiosk.worker import Worker
from server.i18n import t

KIOSK_DIR = Path(__file__).parent
#: the look every touch app shares (kiosk.kv) and the idle prompt
SHARED_KV = (KIOSK_DIR / "kiosk.kv", KIOSK_DIR / "screens" / "idle.kv")
T = TypeVar("T")


class ShellSettings(Protocol):
    @property
    def language(self) -> str: ...
    @property
    def orientation(self) -> str: ...
    @property
    def idle_timeout_seconds(self) -> float: ...
    @property
    def idle_grace_seconds(self) -> float: ...
    @property
    def window_size(self) -> tuple[int, int]: ...


class Reader(Protocol):
    def stop(self) -> None: ...


class TouchApp(App):
    """Base class of the kiosk and the rating terminal (see the module docstring)."""

    NAMESPACE = "kiosk"

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

    #: seconds a resting screen (ticket, thanks, notice) stays without a touch
    rest_seconds: float = 30.0

    def __init__(self, settings: ShellSettings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.lang = settings.language
        self.landscape = settings.orientation == "landscape"
        self.worker = Worker()
        self.idle = IdleWatch(
            settings.idle_timeout_seconds, settings.idle_grace_seconds, time.monotonic()
        )
        self.idle_prompt: IdlePrompt | None = None
        self.readers: list[Reader] = []
        self._window_size = settings.window_size
        self._refresh_trigger = Clock.create_trigger(self._refresh)

    # --- text, look, kv -------------------------------------------------------------------

    def tr(self, name: str, _lang: str | None = None, **params: Any) -> str:
        """Catalog text ``<NAMESPACE>.<name>`` in the current language (kv passes ``app.lang``)."""
        return t(f"{self.NAMESPACE}.{name}", _lang or self.lang, **params)

    def load_kv(self, filename: str | None = None) -> bool:
        """No Kivy naming-convention loading: :meth:`load_kv_files` loads .kv files by path."""
        return False

    def load_kv_files(self, paths: Iterable[Path]) -> None:
        for path in (*SHARED_KV, *paths):
            Builder.load_file(str(path))

    def size_look(
        self, *, base: int, font: float, key_h: tuple[int, int], pad: tuple[int, int]
    ) -> None:
        """Font scaled to the window's short side (``font`` px at ``base`` px); key height and
        padding for (portrait, landscape)."""
        width, height = self._window_size
        self.fs = min(width, height) / base * font
        self.key_h = key_h[self.landscape]
        self.pad = pad[self.landscape]

    # --- screens --------------------------------------------------------------------------

    def screen_factories(self) -> dict[str, Callable[[], Screen]]:
        """Every screen but the first, by name (built one per frame after start)."""
        raise NotImplementedError

    def _ensure_screen(self, name: str) -> None:
        manager = self.root
        if manager is not None and not manager.has_screen(name):
            manager.add_widget(self.screen_factories()[name]())

    def _build_next_screen(self, _dt: float) -> bool:
        """Build one missing screen per frame, so the first screen shows at once."""
        missing = [n for n in self.screen_factories() if not self.root.has_screen(n)]
        if missing:
            self._ensure_screen(missing[0])
        return len(missing) > 1

    def request_refresh(self) -> None:
        """Redraw after the core changed (batched: at most once a frame)."""
        self._refresh_trigger()

    def _refresh(self, *_args: Any) -> None:
        raise NotImplementedError

    def show_step(self, step: str, language: str) -> None:
        """Show the screen of ``step`` (a step counts as activity) and redraw it."""
        self.lang = language
        manager = self.root
        if manager is None:
            return
        self._ensure_screen(step)
        if manager.current != step:
            self.idle.touched(time.monotonic())
            manager.current = step
        manager.current_screen.refresh()

    # --- running --------------------------------------------------------------------------

    def start_shell(self, *, tick_seconds: float) -> None:
        """Touches, the worker's results, screen building and the tick (call from on_start)."""
        Window.bind(on_touch_down=self._touched)
        Clock.schedule_interval(self.worker.drain, 1 / 60)
        Clock.schedule_interval(self._build_next_screen, 0)
        Clock.schedule_interval(self._tick, tick_seconds)

    def on_stop(self) -> None:
        for reader in self.readers:
            reader.stop()
        self.worker.shutdown()

    def on_ui_thread(self, handler: Callable[[T], Any]) -> Callable[[T], None]:
        """A callback for a reader thread that runs ``handler`` on the UI thread."""

        def forward(value: T) -> None:
            Clock.schedule_once(lambda _dt: handler(value), 0)

        return forward

    def _touched(self, *_args: Any) -> None:
        self.idle.touched(time.monotonic())

    # --- idle reset -----------------------------------------------------------------------

    def resting(self) -> bool:
        """A resting screen shows (nothing typed is left on it)."""
        raise NotImplementedError

    def journey_active(self) -> bool:
        """Something typed or chosen is pending that an idle timeout must wipe."""
        raise NotImplementedError

    def rest_over(self) -> None:
        """A resting screen stayed long enough: back to the start."""
        raise NotImplementedError

    def idle_expired(self) -> None:
        """Nobody answered "Masih di sini?": wipe the journey."""
        raise NotImplementedError

    def on_tick(self, now: float) -> None:
        """Periodic duties of the app itself (override)."""

    def _tick(self, _dt: float) -> None:
        now = time.monotonic()
        self.on_tick(now)
        if self.resting():
            if now - self.idle.last_touch >= self.rest_seconds:
                self.rest_over()
            return
        state = self.idle.state(now, journey_active=self.journey_active())
        if state == IdleState.WARN:
            if self.idle_prompt is None:
                self.idle_prompt = IdlePrompt()
                self.idle_prompt.open()
            self.idle_prompt.seconds = self.idle.seconds_left(now)
            return
        if self.idle_prompt is not None:
            self.idle_prompt.dismiss()
            self.idle_prompt = None
        if state == IdleState.EXPIRE:
            self.idle_expired()
