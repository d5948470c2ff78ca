"""Request and response bodies of the rating API and the IKM report."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, StrictInt

from server.api.schemas import Strict


class BlockIn(Strict):
    """Answers to one questionnaire, keyed by element code; a skipped element is left out."""

    questionnaire: str = Field(min_length=1, max_length=16)
    version: StrictInt = Field(ge=1, le=1000)
    answers: dict[str, StrictInt] = Field(max_length=32)


class RatingIn(Strict):
    tracking_token: str | None = Field(default=None, min_length=8, max_length=64)
    ticket_number: str | None = Field(default=None, min_length=2, max_length=8)
    overall: StrictInt
    blocks: list[BlockIn] = Field(default_factory=list, max_length=5)
    suggestion: str | None = Field(default=None, max_length=1000)
    contact_me: bool = False
    followup_reasons: list[str] = Field(default_factory=list, max_length=10)
    followup_text: str | None = Field(default=None, max_length=500)


class RatingRowOut(BaseModel):
    """One rating for staff: what was said, the ticket and its visit id (for the audited
    guestbook path when the visitor asked to be contacted) — never a name or contact —
    and, for a "contact me" rating, who marked it handled and when."""

    id: int
    day: date
    ticket_number: str
    service: str
    channel: str
    overall: int
    suggestion: str
    contact_me: bool
    followup_reasons: list[str]
    followup_text: str
    visit_id: int | None
    contact_handled_at: datetime | None
    contact_handled_by: str | None


class RatingOut(BaseModel):
    id: int
    ticket_number: str
    overall: int
    answers: int
    contact_me: bool


class Text(BaseModel):
    id: str
    en: str


class ItemOut(BaseModel):
    code: str
    element: Text
    question: Text
    answers: list[Text]


class QuestionnaireOut(BaseModel):
    id: str
    version: int
    kind: str
    low: int
    high: int
    title: Text
    items: list[ItemOut]


class ReasonOut(BaseModel):
    code: str
    label: Text


class TargetOut(BaseModel):
    """The ticket being rated: number, service and counter — never the visitor."""

    number: str
    status: str
    ratable: bool
    rated: bool
    service: Text
    counter_number: int | None
    counter_name: str | None
    blocks: list[QuestionnaireOut]
    followup_reasons: list[ReasonOut]
    low_overall: int
    skd_url: str


class ElementOut(BaseModel):
    code: str
    element: Text
    respondents: int
    total: int
    nrr: float | None
    nrr_weighted: float | None


class GradeOut(BaseModel):
    letter: str
    label: Text


class BlockSummaryOut(BaseModel):
    code: str
    respondents: int
    yes: int


class IkmOut(BaseModel):
    period_from: date
    period_to: date
    service: str | None
    respondents: int
    served: int
    minimum_respondents: int
    minimum_reached: bool
    elements: list[ElementOut]
    ikm: float | None
    grade: GradeOut | None
    weakest: list[str]
    contact_requests: int
    ipak: list[BlockSummaryOut]
    profile: dict[str, dict[str, int]]


class FollowupIn(Strict):
    element_code: str = Field(min_length=2, max_length=8)
    period_from: date
    period_to: date
    service: str | None = Field(default=None, max_length=40)
    action: str = Field(min_length=1, max_length=500)
    owner: str = Field(min_length=1, max_length=200)
    due_date: date


class FollowupPatch(Strict):
    action: str | None = Field(default=None, min_length=1, max_length=500)
    owner: str | None = Field(default=None, min_length=1, max_length=200)
    due_date: date | None = None
    done: bool | None = None


class FollowupOut(BaseModel):
    id: int
    element_code: str
    period_from: date
    period_to: date
    service_id: int | None
    action: str
    owner: str
    due_date: date
    done: bool
