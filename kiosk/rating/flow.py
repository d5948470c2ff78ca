"""The rating journey as a pure state machine (no Kivy, no network).

Start (scan or type the ticket) → overall question with four faces → a
follow-up after a low score (choices + text) → each element of each block
(SKM-9, optional IPAK), one at a time, skippable, one tap moves on →
suggestion and "contact me" → sending → thanks (or a polite notice). The
questionnaires and the low-score rule come from :mod:`server.domain.skm`
(imported, never copied); :meth:`Flow.payload` is the body of
``POST /api/v1/ratings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from server.domain import skm


class Step(StrEnum):
    START = "start"
    OVERALL = "overall"
    FOLLOWUP = "followup"
    QUESTION = "question"
    SUGGESTION = "suggestion"
    THANKS = "thanks"
    NOTICE = "notice"


@dataclass(frozen=True)
class Question:
    questionnaire: str
    version: int
    code: str
    text: dict[str, str]
    answers: tuple[dict[str, str], ...]
    low: int

    def score_of(self, index: int) -> int:
        return self.low + index


def questions_of(blocks: list[dict[str, Any]]) -> list[Question]:
    """Flatten the blocks sent by the server (``TargetOut.blocks``) into single questions."""
    return [
        Question(
            questionnaire=b["id"],
            version=int(b["version"]),
            code=item["code"],
            text=item["question"],
            answers=tuple(item["answers"]),
            low=int(b["low"]),
        )
        for b in blocks
        for item in b["items"]
    ]


def offline_blocks() -> list[dict[str, Any]]:
    """SKM-9 from the shared domain data, for when the server cannot be asked."""
    q = skm.current(skm.SKM)
    return [
        {
            "id": q.id,
            "version": q.version,
            "low": q.low,
            "items": [
                {
                    "code": i.code,
                    "question": dict(i.question),
                    "answers": [dict(a) for a in i.answers],
                }
                for i in q.items
            ],
        }
    ]


@dataclass
class Flow:
    language: str = "id"
    step: Step = Step.START
    token: str | None = None
    number: str | None = None
    target: dict[str, Any] | None = None  # TargetOut, or None while offline
    questions: list[Question] = field(default_factory=list)
    index: int = 0
    overall: int | None = None
    scores: dict[tuple[str, int], dict[str, int]] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    followup_text: str = ""
    suggestion: str = ""
    contact_me: bool = False
    notice: str = ""
    queued: bool = False
    busy: bool = False
    skd_url: str = ""

    # --- start ----------------------------------------------------------------------------

    def begin(self, target: dict[str, Any] | None, blocks: list[dict[str, Any]]) -> None:
        """The ticket is ratable (or the server is unreachable): ask the first question."""
        self.target = target
        self.questions = questions_of(blocks)
        if target is not None:
            self.skd_url = str(target.get("skd_url") or "")
        self.step = Step.OVERALL
        self.busy = False

    def refuse(self, notice: str) -> None:
        self.notice = notice
        self.step = Step.NOTICE
        self.busy = False

    # --- answers --------------------------------------------------------------------------

    def choose_overall(self, score: int) -> None:
        if not skm.OVERALL_SCALE[0] <= score <= skm.OVERALL_SCALE[1]:
            raise ValueError(score)
        self.overall = score
        if skm.needs_followup(score):
            self.step = Step.FOLLOWUP
        else:
            self.reasons, self.followup_text = [], ""
            self._to_questions()

    def toggle_reason(self, code: str) -> None:
        if code in self.reasons:
            self.reasons.remove(code)
        else:
            self.reasons.append(code)

    def followup_done(self) -> None:
        self._to_questions()

    def _to_questions(self) -> None:
        self.index = 0
        self.step = Step.QUESTION if self.questions else Step.SUGGESTION

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    def answer(self, answer_index: int | None) -> None:
        """Score the current question (``None`` skips it) and move on."""
        q = self.question
        block = self.scores.setdefault((q.questionnaire, q.version), {})
        if answer_index is None:
            block.pop(q.code, None)
        else:
            if not 0 <= answer_index < len(q.answers):
                raise ValueError(answer_index)
            block[q.code] = q.score_of(answer_index)
        if self.index + 1 < len(self.questions):
            self.index += 1
        else:
            self.step = Step.SUGGESTION

    def back(self) -> None:
        if self.step == Step.QUESTION and self.index > 0:
            self.index -= 1
        elif self.step == Step.QUESTION:
            self.step = (
                Step.FOLLOWUP if self.overall and skm.needs_followup(self.overall) else Step.OVERALL
            )
        elif self.step == Step.SUGGESTION and self.questions:
            self.step, self.index = Step.QUESTION, len(self.questions) - 1
        elif self.step in (Step.FOLLOWUP, Step.SUGGESTION):
            self.step = Step.OVERALL

    # --- sending --------------------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        if self.overall is None:
            raise ValueError("no overall score")
        body: dict[str, Any] = {
            "overall": self.overall,
            "blocks": [
                {"questionnaire": qid, "version": version, "answers": dict(answers)}
                for (qid, version), answers in self.scores.items()
            ],
            "suggestion": self.suggestion.strip() or None,
            "contact_me": self.contact_me,
            "followup_reasons": list(self.reasons) if skm.needs_followup(self.overall) else [],
            "followup_text": (self.followup_text.strip() or None)
            if skm.needs_followup(self.overall)
            else None,
        }
        if self.token:
            body["tracking_token"] = self.token
        else:
            body["ticket_number"] = self.number
        return body

    def sent(self, *, queued: bool) -> None:
        self.queued = queued
        self.step = Step.THANKS
        self.busy = False

    @property
    def active(self) -> bool:
        """Something is pending that the idle timeout should wipe."""
        return self.step not in (Step.START, Step.THANKS, Step.NOTICE)
