"""What the SKM report holds (the numbers :mod:`server.reports.skm` computes and
:mod:`server.reports.skm_pdf` draws), apart from the PDF library so that the
server does not load fpdf2 until a PDF is asked for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class SkmElement:
    code: str
    name: str
    respondents: int
    nrr: float  # 1..4


@dataclass(frozen=True)
class SkmService:
    name: str
    respondents: int
    ikm: float | None
    grade: str


@dataclass(frozen=True)
class SkmFollowup:
    element: str
    action: str
    owner: str
    due: date
    done: bool


@dataclass
class SkmReport:
    unit_name: str
    unit_code: str
    start: date
    end: date
    respondents: int
    population: int  # served in the period the minimum is taken from
    minimum: int  # Krejcie–Morgan minimum for that population
    elements: list[SkmElement]
    ikm: float | None
    grade_letter: str
    grade_label: str
    weakest: list[SkmElement]
    services: list[SkmService] = field(default_factory=list)
    profile: Mapping[str, Sequence[tuple[str, int]]] = field(default_factory=dict)
    followups: list[SkmFollowup] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
