"""The kiosk's core: the journey plus the server, outbox and printer around it.

:class:`KioskCore` holds one :class:`~kiosk.journey.Journey` and performs its
side effects: loading the form and services, looking a returning visitor up,
sending the registration (or storing it in the outbox when the server is
unreachable), printing the ticket and its on-screen preview, and reporting the
printer's state. Slow calls go through a :class:`~kiosk.worker.Worker`; after
every change ``on_change`` is called (on the UI thread in the app), and the
screens redraw from the core's state. No Kivy import here: tests drive the
core with an inline worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiosk.client import ApiResult, KioskClient, Outcome
from kiosk.forms import GuestbookForm, Service, Unit, services_from_json
from kiosk.journey import IncompleteRegistration, Journey, JourneyError, Step, TicketInfo
from kiosk.outbox import FlushReport, Outbox
from kiosk.printing import PrintOutcome, TicketPrinting, ticket_content
from kiosk.settings import KioskSettings
from kiosk.worker import Worker
from server.domain.identity import IdentityError, MrzInfo
from server.i18n import LANGUAGES

if TYPE_CHECKING:
    from printers import TicketContent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loaded:
    """Everything fetched at start-up (or the reason it failed)."""

    unit: Unit
    services: tuple[Service, ...]
    forms: dict[str, GuestbookForm]
    error: str = ""


class KioskCore:
    """Journey state plus the side effects; screens read it, taps call it."""

    def __init__(
        self,
        settings: KioskSettings,
        *,
        client: KioskClient,
        outbox: Outbox,
        printing: TicketPrinting,
        worker: Worker,
        on_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.settings = settings
        self.client = client
        self.outbox = outbox
        self.printing = printing
        self.worker = worker
        self.on_change = on_change
        self.journey = Journey(language=settings.language, camera_enabled=settings.camera)
        self.unit = Unit()
        self.forms: dict[str, GuestbookForm] = {}
        self.load_state = "loading"  # loading | ready | failed
        self.busy = False
        self.lookup_state = ""  # "" | searching | found | not_found | failed | error
        self.lookup_error = ""
        self.scan_state = ""  # "" | scanned | error
        self.print_state = ""  # "" | printing | printed | failed
        self.preview_png: bytes | None = None
        self.ticket_content: TicketContent | None = None
        self.print_listeners: list[Callable[[PrintOutcome], None]] = []
        self._flushing = threading.Lock()

    def changed(self) -> None:
        self.on_change()

    # --- start-up ----------------------------------------------------------------------

    def load(self) -> None:
        """Fetch unit, services and the form in every language (in the background)."""
        self.worker.submit(self._fetch, self._loaded)

    def _fetch(self) -> Loaded:
        with ThreadPoolExecutor(max_workers=2 + len(LANGUAGES)) as pool:  # in parallel
            unit_call, services_call = (
                pool.submit(self.client.unit),
                pool.submit(self.client.services),
            )
            form_calls = {lang: pool.submit(self.client.guestbook_form, lang) for lang in LANGUAGES}
            unit, services = unit_call.result(), services_call.result()
            forms = {lang: call.result() for lang, call in form_calls.items()}
        results = [unit, services, *forms.values()]
        failed = next((r for r in results if not r.ok), None)
        if failed is not None:
            return Loaded(Unit(), (), {}, failed.outcome.value)
        return Loaded(
            Unit.from_json(unit.data),
            services_from_json(services.data),
            {lang: GuestbookForm.from_json(r.data) for lang, r in forms.items()},
        )

    def _loaded(self, loaded: Loaded) -> None:
        if loaded.error:
            log.warning("kiosk could not load its configuration: %s", loaded.error)
            self.load_state = "failed" if not self.journey.ready else "ready"
        else:
            self.unit, self.forms = loaded.unit, loaded.forms
            self.journey.load(self.forms[self.journey.language], loaded.services)
            self.journey.mail_enabled = loaded.unit.mail_enabled
            self.load_state = "ready"
        self.changed()

    # --- navigation --------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        self.journey.set_language(language)
        form = self.forms.get(self.journey.language)
        if form is not None:
            self.journey.form = form
        self.changed()

    def start(self, service_id: int) -> None:
        """A service tile on the welcome screen starts a journey for that service."""
        if not self.journey.ready:
            self.load()
            return
        self.reset(self.journey.language)
        self.journey.start(service_id)
        self.changed()

    def back(self) -> None:
        self.journey.back()
        self.changed()

    def reset(self, language: str | None = None) -> None:
        """Wipe everything typed and the last ticket; back to the welcome screen.

        The configuration is fetched again in the background, so what an admin
        changed (services, office details, mail) reaches the next visitor
        without restarting the kiosk."""
        self.journey.reset()
        self.load()
        self.set_language(language or self.settings.language)
        self.busy = False
        self.lookup_state = self.lookup_error = self.scan_state = self.print_state = ""
        self.preview_png = None
        self.ticket_content = None
        self.changed()

    def accept_consent(self, *, photo: bool) -> None:
        self.journey.accept_consent(photo=photo)
        self.changed()

    def decline_consent(self) -> None:
        self.journey.decline_consent()
        self.changed()

    # --- ID, returning visitor, guestbook ------------------------------------------------

    def today(self) -> dt.date:
        """The unit's local date (NIK birth dates and age groups are counted in it)."""
        try:
            return dt.datetime.now(ZoneInfo(self.unit.timezone)).date()
        except (ZoneInfoNotFoundError, ValueError):
            return dt.date.today()

    def set_id_type(self, id_type: str) -> None:
        self.journey.set_id_type(id_type)
        self.scan_state = ""
        self.changed()

    def confirm_id(self) -> None:
        """Check the ID; a NIK is then looked up (a returning visitor sees a summary)."""
        if self.lookup_state == "searching":
            return
        if self.journey.confirm_id(self.today()) is None:
            nik = self.journey.lookup_nik
            if nik is not None:
                self.lookup_state, self.lookup_error = "searching", ""
                self.worker.submit(lambda: self.client.lookup({"nik": nik}), self._looked_up)
        self.changed()

    def _looked_up(self, result: ApiResult) -> None:
        self.lookup_state = ""
        if self.journey.step != Step.IDENTITY:
            return
        if result.ok and isinstance(result.data, dict):
            self.journey.lookup_result(result.data)
        else:  # not found, or the server cannot say: a first visit's questions
            self.journey.lookup_result(None)
        self.changed()

    def confirm_match(self, correct: bool) -> None:
        self.journey.confirm_match(correct)
        self.changed()

    def correct_from_id(self) -> None:
        self.journey.correct_from_id()
        self.changed()

    def set_value(self, name: str, value: str) -> None:
        self.journey.set_value(name, value)

    def choose(self, name: str, value: str) -> bool:
        """A tile tapped; ``True`` when the page is complete (the screen moves on)."""
        return self.journey.choose(name, value)

    def next_field(self) -> None:
        self.journey.next_page()
        self.changed()

    def scanned(self, result: MrzInfo | IdentityError) -> None:
        """A passport MRZ was read; only used while the visitor is on the ID step."""
        if self.journey.step != Step.IDENTITY:
            return
        if isinstance(result, MrzInfo):
            self.journey.id_from_mrz(
                result.document_number,
                sex=result.sex,
                birth_date=result.birth_date,
                today=self.today(),
            )
            self.scan_state = "scanned"
        else:
            self.journey.errors["id_number"] = result.code
            self.scan_state = "error"
        self.changed()

    def set_photo(self, jpeg: bytes | None) -> None:
        self.journey.set_photo(jpeg)
        self.changed()

    # --- registration and ticket -------------------------------------------------------------

    def set_priority(self, reason: str | None) -> None:
        self.journey.set_priority(reason)
        self.changed()

    def take_ticket(self, reason: str | None = None) -> None:
        """One tap on the priority screen: the reason (or none), then send the registration
        once; a second tap while sending does nothing."""
        if self.busy or self.journey.step != Step.PRIORITY:
            return
        self.journey.set_priority(reason)
        try:
            payload = self.journey.registration()
        except IncompleteRegistration as error:
            self.journey.server_rejected_fields(error.fields)
            self.changed()
            return
        self.busy = True
        self.print_state = ""
        self.changed()
        self.worker.submit(
            lambda: self._register_and_print(payload), lambda r: self._registered(payload, *r)
        )

    def _register_and_print(
        self, payload: dict[str, Any]
    ) -> tuple[ApiResult, TicketContent | None]:
        """Worker thread: send the registration and, once accepted, start printing at once.

        Printing starts here rather than on the UI thread so the ticket reaches the
        printer without waiting for the next frame; the screen follows.
        """
        result = self.client.register(payload)
        if not (result.ok and isinstance(result.data, dict) and "ticket" in result.data):
            return result, None
        content = self._content_for(TicketInfo.from_json(result.data["ticket"]))
        self.worker.submit(lambda: self.printing.print_ticket(content), self._printed)
        return result, content

    def _registered(
        self, payload: dict[str, Any], result: ApiResult, content: TicketContent | None
    ) -> None:
        self.busy = False
        if content is not None and isinstance(result.data, dict):
            self.journey.ticket_issued(result.data)
            self.ticket_content = content
            if not self.print_state:  # the print may already have finished
                self.print_state = "printing"
            self.worker.submit(lambda: self.printing.preview(content), self._previewed)
        elif result.transient:
            self.outbox.add(payload)
            self.journey.queued_offline()
        elif result.outcome == Outcome.REJECTED and result.fields:
            self.journey.server_rejected_fields(result.fields)
        else:
            self.journey.failed()
        self.changed()

    def _content_for(self, ticket: TicketInfo) -> TicketContent:
        service = next((s for s in self.journey.services if s.id == ticket.service_id), None)
        name = service.name(self.journey.language) if service else ""
        return ticket_content(ticket, name, self.unit, self.journey.language)

    def reprint(self) -> None:
        content = self.ticket_content
        if content is None or self.print_state == "printing":
            return
        self.print_state = "printing"
        self.changed()
        self.worker.submit(lambda: self.printing.print_ticket(content), self._printed)

    def _printed(self, outcome: PrintOutcome) -> None:
        self.print_state = "printed" if outcome.ok else "failed"
        for listener in self.print_listeners:
            listener(outcome)
        self.send_heartbeat()
        self.changed()

    def _previewed(self, png: bytes) -> None:
        if self.journey.step == Step.TICKET:
            self.preview_png = png
            self.changed()

    # --- background duties ------------------------------------------------------------------

    def send_heartbeat(self) -> None:
        state = self.printing.last_state
        self.worker.submit(lambda: self.client.heartbeat(state))

    def flush_outbox(self) -> None:
        """Send stored registrations if any (one flush at a time)."""
        if not self._flushing.acquire(blocking=False):
            return

        def flush() -> FlushReport:
            try:
                return self.outbox.flush(self.client.register)
            finally:
                self._flushing.release()

        self.worker.submit(flush)

    def idle_expired(self) -> None:
        """Nobody touched the screen: wipe the journey."""
        log.info("idle timeout: journey wiped")
        self.reset()

    @property
    def journey_active(self) -> bool:
        """Whether a visitor is mid-journey (so the idle timeout applies)."""
        return self.journey.step != Step.WELCOME


__all__ = ["JourneyError", "KioskCore", "Loaded"]
