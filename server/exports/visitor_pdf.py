"""Render a visitor's data export (a subject access request) as a PDF.

Takes the dictionary :func:`server.privacy.subject.export` returns — everything
held about one visitor — and lays out exactly that: identity, profile, every
visit and every ID photo, their requests and complaints (steps with dates and
what was told to them) and the e-mails sent to them. Labels come from the
``admin`` catalog (kinds, steps, outcomes, channels and mail states from
``cases``) in the visitor's language. Uses fpdf2 with DejaVu Sans when installed (any Unicode
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
    _section(pdf, t("admin.pdf_cases", lang, count=len(data.get("cases", []))))
    for case in data.get("cases", []):
        _case(pdf, case, lang)
    _section(pdf, t("admin.pdf_complaints", lang, count=len(data.get("complaints", []))))
    for complaint in data.get("complaints", []):
        _case(
            pdf,
            complaint,
            lang,
            extra=[
                (
                    t("admin.pdf_complaint_channel", lang),
                    t(f"cases.channel_{complaint['channel']}", lang),
                ),
                (t("admin.pdf_complaint_filed", lang), complaint["filed_at"]),
                (t("admin.pdf_complaint_first_due", lang), complaint["first_response_due"]),
                (t("admin.pdf_complaint_text", lang), _held(complaint["text"], lang)),
            ],
        )
    _section(pdf, t("admin.pdf_mails", lang, count=len(data.get("mails", []))))
    for mail in data.get("mails", []):
        _rows(
            pdf,
            [
                (t("admin.pdf_mail_subject", lang), mail["subject"]),
                (t("admin.pdf_mail_created", lang), mail["created_at"]),
                (t("admin.pdf_mail_sent", lang), mail["sent_at"]),
                (t("admin.pdf_mail_status", lang), t(f"cases.mail_status_{mail['status']}", lang)),
                (t("admin.pdf_mail_to", lang), _held(mail["to"], lang)),
                (t("admin.pdf_mail_body", lang), _held(mail["body_text"], lang)),
            ],
        )
        pdf.ln(2)
    return bytes(pdf.output())


def _section(pdf: _Pdf, title: str) -> None:
    pdf.font("B", 12)
    pdf.cell(0, 8, pdf.text_of(title))
    pdf.ln(8)


def _held(value: Any, lang: str) -> Any:
    """A personal value, or a word that it was deleted after its retention period."""
    return t("admin.pdf_cleared", lang) if value is None else value


def _value(name: str, value: Any, lang: str) -> str:
    shown = t(f"cases.outcome_{value}", lang) if name == "outcome" else value
    return f"{t(f'admin.pdf_value_{name}', lang)}: {shown}"


def _case(
    pdf: _Pdf, case: dict[str, Any], lang: str, *, extra: list[tuple[str, Any]] | None = None
) -> None:
    """One request or complaint: its facts, contact, form and steps."""
    contact = case["contact"]
    form = case["request_form"]
    _rows(
        pdf,
        [
            (t("admin.pdf_case_id", lang), case["id"]),
            (t("admin.pdf_case_kind", lang), t(f"cases.kind_{case['kind']}", lang)),
            (t("admin.pdf_case_status", lang), t(f"admin.pdf_case_status_{case['status']}", lang)),
            (t("admin.pdf_case_current", lang), t(f"cases.step_{case['current_step']}", lang)),
            (t("admin.pdf_case_opened", lang), case["opened_at"]),
            (t("admin.pdf_case_due", lang), case["due_date"]),
            (t("admin.pdf_case_closed", lang), case["closed_at"]),
            *[(t(f"admin.field_{f}", lang), _held(v, lang)) for f, v in contact.items()],
            *(extra or []),
            (
                t("admin.pdf_case_form", lang),
                _held(None if form is None else _form_text(form), lang),
            ),
        ],
    )
    steps = [
        " ".join(
            [
                pdf.text_of(s["at"]),
                t(f"cases.step_{s['step']}", lang),
                *(f"— {_value(k, v, lang)}" for k, v in s["values"].items()),
            ]
        )
        for s in case["steps"]
    ]
    _rows(pdf, [(t("admin.pdf_case_steps", lang), "\n".join(steps))])
    pdf.ln(2)


def _form_text(form: dict[str, Any]) -> str:
    return "\n".join(
        f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in form.items()
    )
