"""The ESC/POS bytes of a ticket: QR payload, text, code page, widths, size."""

from __future__ import annotations

import dataclasses

import pytest
from pyzbar.pyzbar import decode

from printers import TicketContent, render_escpos
from printers.profiles import resolve_spec
from tests.printers.conftest import TRACKING_URL, read_ticket

PAPERS = ["58mm", "80mm"]


@pytest.mark.parametrize("paper", PAPERS)
def test_native_qr_payload_is_exactly_the_tracking_url(content: TicketContent, paper: str) -> None:
    printout = read_ticket(render_escpos(content, paper=paper), paper=paper)
    assert printout.qr_payloads == [TRACKING_URL.encode()]
    assert printout.qr_settings["printed"] == 1
    assert printout.qr_settings["ec"] == 49  # error correction M
    assert printout.images == []  # no raster image where the printer draws QR itself


@pytest.mark.parametrize("paper", PAPERS)
def test_ticket_text_is_in_the_bytes(content: TicketContent, paper: str) -> None:
    # wrapped lines joined back with spaces, as a reader would read them
    text = " ".join(read_ticket(render_escpos(content, paper=paper), paper=paper).lines)
    for expected in (
        "R007",
        "BPS Kabupaten Belitung Timur",
        "NOMOR ANTREAN",
        "24/11/2025 pukul 09.05 WIB",
        "Antrean sebelum Anda: 3 orang",
        "Perkiraan waktu tunggu: 15 menit",
        "Tempat layanan: Loket PST 2",
        "Layanan ini tidak dipungut biaya",
        "Pengaduan:",
        "lapor.go.id",
        "WhatsApp 081278563877",
        "Tiket ini tidak memuat data pribadi Anda.",
    ):
        assert expected in text
    assert "Konsultasi" in text and "Statistik" in text


@pytest.mark.parametrize("paper", PAPERS)
def test_lines_fit_the_paper_columns(content: TicketContent, paper: str) -> None:
    spec = resolve_spec(paper)
    long = dataclasses.replace(
        content,
        unit_name="Badan Pusat Statistik Kabupaten Belitung Timur, Kepulauan Bangka Belitung",
        service_name="Penjualan Produk Statistik (publikasi, mikrodata, peta)",
    )
    printout = read_ticket(render_escpos(long, paper=paper), paper=paper)
    widest = max(len(line) * scale for line, scale in printout.scaled_lines)
    assert widest <= spec.columns
    assert "-" * spec.columns in printout.lines  # rules span the full width
    profile = spec.profile()
    has_cutter = profile.supports("paperPartCut") or profile.supports("paperFullCut")
    assert printout.cuts == (1 if has_cutter else 0)


def test_paper_widths_come_from_the_profiles() -> None:
    narrow, wide = resolve_spec("58mm"), resolve_spec("80mm")
    assert (narrow.columns, narrow.pixel_width) == (32, 384)
    assert (wide.columns, wide.pixel_width) == (48, 576)
    assert narrow.native_qr and wide.native_qr


@pytest.mark.parametrize("paper", PAPERS)
def test_native_ticket_is_small(content: TicketContent, paper: str) -> None:
    assert len(render_escpos(content, paper=paper)) < 2048


def test_english_ticket_uses_the_english_catalog(content: TicketContent) -> None:
    english = dataclasses.replace(
        content, language="en", people_ahead=0, priority=True, estimated_wait_minutes=0
    )
    text = read_ticket(render_escpos(english, paper="80mm"), paper="80mm").text
    assert "This service is free of charge" in text
    assert "Nobody is ahead of you" in text
    assert "You will be served shortly" in text and "0 minutes" not in text
    assert "PRIORITY" in text
    assert "24/11/2025 at 09:05 WIB" in text
    assert "tidak dipungut" not in text


def test_indonesian_text_uses_a_latin_code_page(content: TicketContent) -> None:
    fancy = dataclasses.replace(
        content,
        unit_name="Kafé “Data” – Belitung…",
        counter_area="Ruang ‘Ikhtisar’ — lantai 1",
    )
    printout = read_ticket(render_escpos(fancy, paper="80mm"), paper="80mm")
    assert printout.code_pages == [19]  # ESC t 19 = PC858 on Epson-compatible printers
    assert 'Kafé "Data" - Belitung...' in printout.text
    assert "Ruang 'Ikhtisar' - lantai 1" in printout.text
    assert "?" not in printout.text


def test_characters_outside_the_code_page_are_transliterated(content: TicketContent) -> None:
    fancy = dataclasses.replace(content, unit_name="Łódź Ærø — 統計")
    # TM-U220 has only CP437: no Ł, Æ or ø there
    printout = read_ticket(render_escpos(fancy, profile="TM-U220"), profile="TM-U220")
    assert printout.code_pages == [0]
    # CP437 holds ó and Æ; ź and ø are transliterated, CJK has no sensible form
    assert "Lódz Æro - ??" in printout.text


def test_ticket_content_has_no_personal_data_fields() -> None:
    names = {f.name for f in dataclasses.fields(TicketContent)}
    assert not names & {"name", "visitor_name", "phone", "email", "nik", "id_number"}


@pytest.mark.parametrize(("profile", "width"), [("POS-5890", 384), ("TH230", 576)])
def test_raster_fallback_qr_scans_to_the_url(
    content: TicketContent, profile: str, width: int
) -> None:
    data = render_escpos(content, profile=profile)
    printout = read_ticket(data, profile=profile)
    assert printout.qr_payloads == []  # profile has no native QR
    assert len(printout.images) == 1
    image = printout.images[0]
    assert image.width <= width
    decoded = [symbol.data.decode() for symbol in decode(image)]
    assert decoded == [TRACKING_URL]
    assert "Layanan ini tidak dipungut biaya" in printout.text
