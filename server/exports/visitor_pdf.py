"""Render a visitor's data export (a subject access request) as a PDF.

Takes the dictionary :func:`server.privacy.subject.export` returns — everything
held about one visitor — and lays out exactly that: identity, profile, every
visit and every ID photo. Labels come from the ``admin`` catalog in the
visitor's language. Uses fpdf2 with DejaVu Sans when installed (any Unicode
name prints), else the PDF core font with unsupported characters replaced.
"""

from __future__ import annotations

import base64
import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fpdf import FPDF

from server.i18n import t

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class _Pdf(FPDF):
    unicode = False

    def setup_fonts(self) -> None:
        regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            self.add_font("body", "", str(regular))
            self.add_font("body", "B", str(bold))
            self.unicode = True

    def font(self, style: str = "", size: int = 10) -> None:
        self.set_font("body" if self.unicode else "helvetica", style, size)

    def text_of(self, value: Any) -> str:
        if value is None or value == "":
            return "-"
        if isinstance(value, datetime):
            text = value.strftime("%Y-%m-%d %H:%M:%S %Z").strip()
        elif isinstance(value, date):
            text = value.isoformat()
        elif isinstance(value, bool):
            text = "ya" if value else "tidak"
        else:
            text = str(value)
        return text if self.unicode else text.encode("latin-1", "replace").decode("latin-1")


def _rows(pdf: _Pdf, rows: list[tuple[str, Any]]) -> None:
    for label, value in rows:
        pdf.font("B", 10)
        pdf.cell(55, 6, pdf.text_of(label))
        pdf.font("", 10)
        pdf.multi_cell(0, 6, pdf.text_of(value), new_x="LMARGIN", new_y="NEXT")


def render_visitor_pdf(data: dict[str, Any], *, unit_name: str, lang: str = "id") -> bytes:
    """The PDF bytes of one export (``data`` as ``subject.export`` returns it)."""
    pdf = _Pdf(format="A4")
    pdf.set_title(t("admin.pdf_title", lang))
    pdf.set_creator("Loket")
    pdf.setup_fonts()
    pdf.add_page()
    pdf.font("B", 14)
    pdf.multi_cell(0, 8, pdf.text_of(t("admin.pdf_title", lang)), new_x="LMARGIN", new_y="NEXT")
    pdf.font("", 10)
    pdf.multi_cell(0, 6, pdf.text_of(unit_name), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    identity = data["identity"]
    _rows(
        pdf,
        [
            (t("admin.pdf_visitor_id", lang), data["visitor_id"]),
            (t("admin.pdf_exported_at", lang), data["exported_at"]),
            (t("admin.field_name", lang), identity.get("name")),
            (t("admin.field_email", lang), identity.get("email")),
            (t("admin.field_phone", lang), identity.get("phone")),
            (t("admin.field_id_number", lang), identity.get("id_number")),
            (t("admin.field_id_type", lang), identity.get("id_type")),
            *[(t(f"admin.field_{k}", lang), v) for k, v in data["profile"].items()],
            (t("admin.pdf_created_at", lang), data["created_at"]),
            (t("admin.pdf_last_visit_at", lang), data["last_visit_at"]),
        ],
    )
    pdf.ln(3)
    pdf.font("B", 12)
    pdf.cell(0, 8, pdf.text_of(t("admin.pdf_visits", lang, count=len(data["visits"]))))
    pdf.ln(8)
    for visit in data["visits"]:
        _rows(pdf, [(t(f"admin.pdf_visit_{k}", lang), v) for k, v in visit.items()])
        pdf.ln(2)
    pdf.font("B", 12)
    pdf.cell(0, 8, pdf.text_of(t("admin.pdf_photos", lang, count=len(data["id_photos"]))))
    pdf.ln(8)
    for photo in data["id_photos"]:
        _rows(
            pdf,
            [
                (t("admin.pdf_visit_id", lang), photo["visit_id"]),
                (t("admin.pdf_created_at", lang), photo["created_at"]),
            ],
        )
        jpeg = base64.b64decode(photo["jpeg_base64"])
        pdf.image(io.BytesIO(jpeg), w=70)
        pdf.ln(3)
    return bytes(pdf.output())
