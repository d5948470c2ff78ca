"""Satisfaction survey rules (SKM/IKM, PermenPANRB 14/2017): questionnaires, answers, index.

Pure functions and data only. Questionnaires are data in
``server/domain/data/questionnaires.json`` (SKM-9 with the official wording,
the IPAK yes/no block, a template of BPS's SKD-16), each with a version; an
answer is keyed by element code (U1..U9), never by position, because the form
asks U9 before U8. The index: NRR per element = sum of scores / respondents
who answered that element (a skipped element counts only in its own NRR);
IKM = 25 × the mean of the nine NRR with weights exactly 1/9, computed with
exact fractions and graded on the IKM rounded half-up to 2 decimals. The
Krejcie–Morgan table (data beside this module) gives the minimum respondents.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
SKM = "skm9"
IPAK = "ipak"
SKD = "skd16"
SKM_CODES = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
OVERALL_SCALE = (1, 4)
LOW_OVERALL = 2  # an overall score at or below this asks what went wrong
WEAKEST_COUNT = 3
SUGGESTION_MAX = 1000
FOLLOWUP_TEXT_MAX = 500


class RatingRuleError(ValueError):
    """An answer set that breaks a rule; ``code`` is stable for the API."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Item:
    code: str
    element: Mapping[str, str]
    question: Mapping[str, str]
    answers: tuple[Mapping[str, str], ...]


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    kind: str  # "scale" or "yes_no"
    low: int
    high: int
    in_index: bool
    title: Mapping[str, str]
    items: tuple[Item, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(item.code for item in self.items)

    def score_of(self, answer_index: int) -> int:
        """The score of the n-th answer label (0-based), as stored."""
        return self.low + answer_index


@dataclass(frozen=True)
class Grade:
    letter: str
    label_id: str
    label_en: str


GRADES = (  # (lowest IKM, rounded to 2 decimals, that earns the grade)
    (Decimal("88.31"), Grade("A", "Sangat Baik", "Very good")),
    (Decimal("76.61"), Grade("B", "Baik", "Good")),
    (Decimal("65.00"), Grade("C", "Kurang Baik", "Fair")),
    (Decimal("25.00"), Grade("D", "Tidak Baik", "Poor")),
)


@cache
def _document() -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (DATA_DIR / "questionnaires.json").read_text(encoding="utf-8")
    )
    return data


def _parse(raw: Mapping[str, object]) -> Questionnaire:
    scale = raw["scale"]
    assert isinstance(scale, list)
    items = raw["items"]
    assert isinstance(items, list)
    return Questionnaire(
        id=str(raw["id"]),
        version=int(str(raw["version"])),
        kind=str(raw["kind"]),
        low=int(scale[0]),
        high=int(scale[1]),
        in_index=bool(raw["in_index"]),
        title=dict(raw["title"]),  # type: ignore[call-overload]
        items=tuple(
            Item(
                code=i["code"],
                element=i["element"],
                question=i["question"],
                answers=tuple(i["answers"]),
            )
            for i in items
        ),
    )


@cache
def questionnaires() -> dict[tuple[str, int], Questionnaire]:
    """Every questionnaire version that answers may still be given under."""
    raw = _document()["questionnaires"]
    assert isinstance(raw, list)
    return {(q.id, q.version): q for q in map(_parse, raw)}


def current(questionnaire_id: str) -> Questionnaire:
    """The newest version of a questionnaire."""
    versions = [q for (qid, _), q in questionnaires().items() if qid == questionnaire_id]
    if not versions:
        raise RatingRuleError(
            f"Unknown questionnaire {questionnaire_id!r}.", "unknown_questionnaire"
        )
    return max(versions, key=lambda q: q.version)


def get(questionnaire_id: str, version: int) -> Questionnaire:
    found = questionnaires().get((questionnaire_id, version))
    if found is None:
        raise RatingRuleError(
            f"Questionnaire {questionnaire_id} version {version} does not exist (any more).",
            "unknown_questionnaire_version",
        )
    return found


def followup_reasons() -> tuple[Mapping[str, object], ...]:
    """The choices offered after a low overall score (code + label id/en)."""
    raw = _document()["followup_reasons"]
    assert isinstance(raw, list)
    return tuple(raw)


def blocks_for(settings: Mapping[str, object]) -> tuple[Questionnaire, ...]:
    """The questionnaires a unit asks, in order: SKM-9 always, IPAK and SKD-16 when turned on."""
    chosen = [current(SKM)]
    if settings.get("rating_ipak"):
        chosen.append(current(IPAK))
    if settings.get("rating_skd16"):
        chosen.append(current(SKD))
    return tuple(chosen)


@dataclass(frozen=True)
class Answer:
    questionnaire: str
    version: int
    code: str
    score: int


@dataclass(frozen=True)
class RatingInput:
    overall: int
    answers: tuple[Answer, ...]
    suggestion: str
    contact_me: bool
    followup_reasons: tuple[str, ...]
    followup_text: str


def validate(
    *,
    overall: int,
    blocks: Iterable[tuple[str, int, Mapping[str, int]]],
    suggestion: str | None = None,
    contact_me: bool = False,
    followup_reasons_given: Iterable[str] = (),
    followup_text: str | None = None,
) -> RatingInput:
    """Check one rating; ``blocks`` are ``(questionnaire, version, {code: score})``.

    Every element may be skipped (left out), but a given score must be on its
    questionnaire's scale and its code must belong to that version.
    """
    if not OVERALL_SCALE[0] <= overall <= OVERALL_SCALE[1]:
        raise RatingRuleError("overall must be 1, 2, 3 or 4.", "score_out_of_scale")
    answers: list[Answer] = []
    seen: set[str] = set()
    for questionnaire_id, version, scores in blocks:
        if questionnaire_id in seen:
            raise RatingRuleError(f"{questionnaire_id} was sent twice.", "duplicate_block")
        seen.add(questionnaire_id)
        questionnaire = get(questionnaire_id, version)
        for code, score in scores.items():
            if code not in questionnaire.codes:
                raise RatingRuleError(
                    f"{code!r} is not an element of {questionnaire_id} v{version}.",
                    "unknown_element",
                )
            if isinstance(score, bool) or not questionnaire.low <= score <= questionnaire.high:
                raise RatingRuleError(
                    f"{code} must be scored {questionnaire.low}..{questionnaire.high}.",
                    "score_out_of_scale",
                )
            answers.append(Answer(questionnaire_id, version, code, score))
    reasons = tuple(dict.fromkeys(followup_reasons_given))
    known = {str(r["code"]) for r in followup_reasons()}
    unknown = [r for r in reasons if r not in known]
    if unknown:
        raise RatingRuleError(f"Unknown follow-up reason {unknown[0]!r}.", "unknown_reason")
    text = (followup_text or "").strip()
    if (reasons or text) and overall > LOW_OVERALL:
        raise RatingRuleError("A follow-up is asked only after a low score.", "followup_not_asked")
    note = (suggestion or "").strip()
    if len(note) > SUGGESTION_MAX or len(text) > FOLLOWUP_TEXT_MAX:
        raise RatingRuleError("The text is too long.", "text_too_long")
    return RatingInput(overall, tuple(answers), note, contact_me, reasons, text)


def needs_followup(overall: int) -> bool:
    return overall <= LOW_OVERALL


@dataclass(frozen=True)
class ElementResult:
    code: str
    respondents: int
    total: int

    @property
    def nrr(self) -> Fraction | None:
        return Fraction(self.total, self.respondents) if self.respondents else None


@dataclass(frozen=True)
class IndexResult:
    elements: tuple[ElementResult, ...]  # U1..U9 in code order
    ikm: Decimal | None  # rounded to 2 decimals; None while an element has no answer
    grade: Grade | None
    weakest: tuple[str, ...]


def round2(value: Fraction) -> Decimal:
    """Round half-up to 2 decimals, from the exact fraction (no float drift)."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade_of(ikm: Decimal) -> Grade:
    """The grade of an IKM already rounded to 2 decimals."""
    for lowest, grade in GRADES:
        if ikm >= lowest:
            return grade
    raise RatingRuleError("An IKM below 25 is impossible on a 1-4 scale.", "ikm_out_of_range")


def ikm_from_nrr(nrr: Mapping[str, Fraction]) -> Decimal:
    """IKM = 25 × mean of the nine NRR (weights exactly 1/9), rounded to 2 decimals."""
    missing = [code for code in SKM_CODES if code not in nrr]
    if missing:
        raise RatingRuleError(f"No answers for {', '.join(missing)}.", "incomplete")
    return round2(25 * sum((nrr[c] for c in SKM_CODES), Fraction(0)) / len(SKM_CODES))


def index(sums: Mapping[str, tuple[int, int]]) -> IndexResult:
    """The index from ``{code: (respondents, sum of scores)}`` per SKM element."""
    elements = tuple(ElementResult(code, *sums.get(code, (0, 0))) for code in SKM_CODES)
    nrr = {e.code: e.nrr for e in elements if e.nrr is not None}
    ikm = ikm_from_nrr(nrr) if len(nrr) == len(SKM_CODES) else None
    ranked = sorted(nrr.items(), key=lambda pair: (pair[1], pair[0]))
    return IndexResult(
        elements=elements,
        ikm=ikm,
        grade=grade_of(ikm) if ikm is not None else None,
        weakest=tuple(code for code, _ in ranked[:WEAKEST_COUNT]),
    )


def index_of_ratings(ratings: Iterable[Mapping[str, int]]) -> IndexResult:
    """The index of individual ratings (``{code: score}`` each, skipped codes absent)."""
    sums: dict[str, tuple[int, int]] = {}
    for rating in ratings:
        for code, score in rating.items():
            count, total = sums.get(code, (0, 0))
            sums[code] = (count + 1, total + score)
    return index(sums)


@cache
def _krejcie_morgan() -> tuple[tuple[int, int], ...]:
    raw = json.loads((DATA_DIR / "krejcie_morgan.json").read_text(encoding="utf-8"))
    return tuple((int(n), int(s)) for n, s in raw["rows"])


def minimum_respondents(population: int) -> int:
    """Krejcie–Morgan minimum sample for ``population`` people served.

    Below the table's first row everybody is needed; between rows the next
    larger population's row applies (never under-sample); beyond the last, 384.
    """
    if population <= 0:
        return 0
    table = _krejcie_morgan()
    if population < table[0][0]:
        return population
    for size, sample in table:
        if population <= size:
            return sample
    return table[-1][1]
