"""Fixtures for the printer tests: a sample ticket and real byte channels."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from escpos.capabilities import get_profile

from printers import TicketContent
from printers.profiles import resolve_spec
from tests.printers.escpos_reader import Printout, read_escpos
from tests.printers.fakes import NetworkPrinter, SocatPair

TRACKING_URL = "https://pst1906.example.id/t/8f3k2m9q"


@pytest.fixture
def content() -> TicketContent:
    return TicketContent(
        number="R007",
        service_name="Konsultasi Statistik",
        issued_at=datetime(2025, 11, 24, 9, 5, tzinfo=ZoneInfo("Asia/Jakarta")),
        people_ahead=3,
        estimated_wait_minutes=15,
        tracking_url=TRACKING_URL,
        unit_name="BPS Kabupaten Belitung Timur",
        unit_address="Jl. Raya Manggarawan, Desa Padang Manggar 33512",
        counter_area="Loket PST 2",
        complaint_channels=("lapor.go.id", "bps1906@bps.go.id", "WhatsApp 081278563877"),
    )


def read_ticket(data: bytes, *, paper: str | None = None, profile: str | None = None) -> Printout:
    """Interpret bytes with the code pages of the printer profile they were made for."""
    spec = resolve_spec(paper, profile)
    pages = get_profile(spec.profile_name).get_code_pages()
    names = {int(number): name.lower() for name, number in pages.items() if name != "Unknown"}
    return read_escpos(data, names)


@pytest.fixture
def socat_pair() -> Iterator[SocatPair]:
    pair = SocatPair()
    yield pair
    pair.unplug()


@pytest.fixture
def network_printer() -> Iterator[Callable[..., NetworkPrinter]]:
    started: list[NetworkPrinter] = []

    def start(**kwargs: object) -> NetworkPrinter:
        printer = NetworkPrinter(**kwargs)  # type: ignore[arg-type]
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.stop()
