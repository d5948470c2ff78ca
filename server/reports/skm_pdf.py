"""The SKM report (Survei Kepuasan Masyarakat) as a PDF, in the form units publish.

Sections: unit and period; method (nine-element questionnaire of PermenPANRB
14/2017, respondents against the Krejcie–Morgan minimum); respondent profile
(cells under 3 respondents shown as "< 3"); NRR per element with the IKM and
its grade; IKM per service; the weakest elements; the follow-up plan (what, who,
by when); the suggestions received, as text only (a rating carries no name).
This module only lays out figures it is given (:class:`SkmReport`); gathering
them is :mod:`server.reports.skm`. Drawn with fpdf2, in DejaVu Sans when the
system has it (Indonesian and English text need more than Latin-1), otherwise
in the PDF core font with unsupported characters replaced.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from server.domain.reports import suppress
from server.i18n import t
from server.reports.skm_data import SkmReport

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.unicode = (FONT_DIR / "DejaVuSans.ttf").is_file()
        if self.unicode:
            self.add_font("body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.family = "body" if self.unicode else "helvetica"
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)

    def text_of(self, text: str) -> str:
        if self.unicode:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.cell(
            0,
            6,
            self.text_of(f"{self.footer_text} · {self.page_no()}"),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )

    def heading(self, text: str) -> None:
        self.ln(3)
        self.set_font(self.family, "B", 12)
        self.multi_cell(0, 7, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 10)

    def para(self, text: str) -> None:
        self.set_font(self.family, "", 10)
        self.multi_cell(0, 5.5, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[int],
        align: str = "LEFT",
    ) -> None:
        self.set_font(self.family, "", 9)
        with self.table(
            col_widths=tuple(widths),
            text_align=align,
            headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 242)),
            line_height=5.5,
        ) as table:
            row = table.row()
            for h in header:
                row.cell(self.text_of(h))
            for values in rows:
                row = table.row()
                for v in values:
                    row.cell(self.text_of(str(v)))
        self.ln(2)


def _num(value: float | None, digits: int, lang: str) -> str:
    if value is None:
        return "–"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if lang == "id" else text


def _day(value: date, lang: str) -> str:
    return value.strftime("%d-%m-%Y") if lang == "id" else value.isoformat()


def render(report: SkmReport, lang: str) -> bytes:
    """The SKM report as PDF bytes, in ``lang`` (``id`` or ``en``)."""

    def tr(key: str, **params: object) -> str:
        return t(f"reports.skm_{key}", lang, **params)

    period = tr("period", start=_day(report.start, lang), end=_day(report.end, lang))
    pdf = _Pdf(f"{report.unit_name} · {tr('title')} · {period}")
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 15)
    pdf.multi_cell(0, 8, pdf.text_of(tr("title")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, "", 11)
    pdf.multi_cell(
        0,
        6,
        pdf.text_of(f"{report.unit_name} ({report.unit_code})"),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.multi_cell(0, 6, pdf.text_of(period), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    pdf.heading(tr("h_method"))
    reached = report.respondents >= report.minimum
    pdf.para(tr("method"))
    pdf.para(
        tr(
            "sample",
            respondents=report.respondents,
            population=report.population,
            minimum=report.minimum,
            verdict=tr("reached") if reached else tr("not_reached"),
        )
    )

    pdf.heading(tr("h_profile"))
    for name, counts in report.profile.items():
        if not counts:
            continue
        profile_rows: list[tuple[object, ...]] = [(label, suppress(n)) for label, n in counts]
        pdf.grid([tr(f"profile_{name}"), tr("respondents")], profile_rows, (120, 54))

    pdf.heading(tr("h_results"))
    rows: list[tuple[object, ...]] = [
        (e.code, e.name, e.respondents, _num(e.nrr, 3, lang), _num(e.nrr / 9, 3, lang))
        for e in report.elements
    ]
    pdf.grid(
        [tr("code"), tr("element"), tr("respondents"), "NRR", tr("weighted")],
        rows,
        (14, 86, 26, 24, 24),
    )
    pdf.set_font(pdf.family, "B", 11)
    pdf.multi_cell(
        0,
        7,
        pdf.text_of(
            tr(
                "ikm_line",
                ikm=_num(report.ikm, 2, lang),
                grade=report.grade_letter,
                label=report.grade_label,
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(pdf.family, "", 10)
    pdf.para(tr("ikm_formula"))

    if report.services:
        pdf.heading(tr("h_services"))
        rows = [(s.name, s.respondents, _num(s.ikm, 2, lang), s.grade) for s in report.services]
        pdf.grid([tr("service"), tr("respondents"), "IKM", tr("grade")], rows, (94, 30, 25, 25))

    pdf.heading(tr("h_weakest"))
    pdf.grid(
        [tr("code"), tr("element"), "NRR"],
        [(e.code, e.name, _num(e.nrr, 3, lang)) for e in report.weakest],
        (16, 128, 30),
    )

    pdf.heading(tr("h_followup"))
    if report.followups:
        rows = [
            (f.element, f.action, f.owner, _day(f.due, lang), tr("done") if f.done else tr("open"))
            for f in report.followups
        ]
        pdf.grid(
            [tr("element"), tr("action"), tr("owner"), tr("due"), tr("status")],
            rows,
            (18, 72, 36, 26, 22),
        )
    else:
        pdf.para(tr("no_followup"))

    pdf.heading(tr("h_suggestions"))
    if report.suggestions:
        for n, text in enumerate(report.suggestions, 1):
            pdf.para(f"{n}. {text}")
    else:
        pdf.para(tr("no_suggestions"))
    return bytes(pdf.output())
