"""The case lifecycle engine: kinds, their steps and who may take them, as data.

A *kind* (``data/case_kinds.json``: the recommendation request, a short
follow-up for other services, complaints by category) lists its steps; each
step names the roles that may take it, the steps allowed after it, whether it
may happen again (the verification loop "perlu perbaikan"), the fields it
records and the mail it sends. :func:`check_step` decides whether a step may
follow the steps already done and returns its cleaned fields, or raises
:class:`StepRefused` saying why and which steps are allowed. Pure: no I/O
beyond reading the packaged data file, no clock reads.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "case_kinds.json"
ROLES = ("admin", "supervisor", "staff", "system", "public")


class StepRefused(ValueError):
    """A step that may not be taken now; ``reason`` is unknown/order/repeat/role/field/closed."""

    def __init__(
        self, reason: str, message: str, *, allowed: list[str], fields: dict[str, str] | None = None
    ):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.allowed = allowed
        self.fields = fields or {}


@dataclass(frozen=True)
class FieldDef:
    name: str
    required: bool = False
    max: int = 500
    type: str = "text"  # text | date
    choices: tuple[str, ...] = ()
    to_visitor: bool = False  # told to the visitor (a mail, a complaint's answer)

    @property
    def free_text(self) -> bool:
        """Typed freely by staff (no date, no choice): may name the visitor or anyone."""
        return self.type == "text" and not self.choices


@dataclass(frozen=True)
class StepDef:
    code: str
    roles: tuple[str, ...]
    next: tuple[str, ...]
    repeatable: bool = False
    round: bool = False
    final: bool = False
    mail: str | None = None
    fields: tuple[FieldDef, ...] = ()


@dataclass(frozen=True)
class KindDef:
    code: str
    clock_days: int
    clock_start_steps: tuple[str, ...]
    steps: dict[str, StepDef]
    first_step: str
    complaint: bool = False
    first_response_days: int | None = None
    service_codes: tuple[str, ...] = ()
    requires_email: bool = False

    def step(self, code: str) -> StepDef:
        return self.steps[code]


def _field(name: str, raw: dict[str, Any]) -> FieldDef:
    return FieldDef(
        name=name,
        required=bool(raw.get("required", False)),
        max=int(raw.get("max", 500)),
        type=str(raw.get("type", "text")),
        choices=tuple(raw.get("choices", ())),
        to_visitor=bool(raw.get("to_visitor", False)),
    )


def parse_kinds(data: dict[str, Any]) -> dict[str, KindDef]:
    """Kinds from their JSON form; raises ValueError when a step points nowhere."""
    kinds: dict[str, KindDef] = {}
    for code, raw in data["kinds"].items():
        steps = {
            s["code"]: StepDef(
                code=s["code"],
                roles=tuple(s["roles"]),
                next=tuple(s["next"]),
                repeatable=bool(s.get("repeatable", False)),
                round=bool(s.get("round", False)),
                final=bool(s.get("final", False)),
                mail=s.get("mail"),
                fields=tuple(_field(n, f) for n, f in s.get("fields", {}).items()),
            )
            for s in raw["steps"]
        }
        for step in steps.values():
            unknown = [n for n in step.next if n not in steps]
            bad_roles = [r for r in step.roles if r not in ROLES]
            if unknown or bad_roles:
                raise ValueError(f"kind {code}, step {step.code}: unknown {unknown + bad_roles}")
        starts = tuple(raw.get("clock_start_steps", ()))
        if any(s not in steps for s in starts):
            raise ValueError(f"kind {code}: a clock start step is not a step")
        kinds[code] = KindDef(
            code=code,
            clock_days=int(raw["clock_days"]),
            clock_start_steps=starts,
            steps=steps,
            first_step=raw["steps"][0]["code"],
            complaint=bool(raw.get("complaint", False)),
            first_response_days=raw.get("first_response_days"),
            service_codes=tuple(raw.get("service_codes", ())),
            requires_email=bool(raw.get("requires_email", False)),
        )
    return kinds


@cache
def kinds() -> dict[str, KindDef]:
    """The packaged kinds."""
    return parse_kinds(json.loads(DATA_FILE.read_text(encoding="utf-8")))


def get_kind(code: str) -> KindDef:
    found = kinds().get(code)
    if found is None:
        raise StepRefused(
            "unknown_kind", f"There is no case kind {code!r}.", allowed=sorted(kinds())
        )
    return found


def kind_for_service(service_code: str, configured: str | None = None) -> KindDef:
    """The kind a served ticket of this service opens: the admin's choice for the
    service (``services.case_kind``) when it names a known request kind, else the
    kind whose data lists the service, else the short kind."""
    known = kinds()
    if configured and configured in known and not known[configured].complaint:
        return known[configured]
    for kind in known.values():
        if service_code in kind.service_codes:
            return kind
    return kinds()["service"]


@cache
def free_text_fields() -> frozenset[str]:
    """Names of the step fields that are free text in any kind.

    Retention and a visitor's erasure remove these from a step's data (with the
    step's note); dates and choices (an outcome, a channel) stay for reports.
    A name that is free text in one kind is removed wherever it appears.
    """
    return frozenset(
        f.name
        for kind in kinds().values()
        for step in kind.steps.values()
        for f in step.fields
        if f.free_text
    )


def without_free_text(data: dict[str, Any]) -> dict[str, Any]:
    """A step's data with the free-text fields removed (what retention keeps)."""
    drop = free_text_fields()
    return {k: v for k, v in data.items() if k not in drop}


def to_visitor(kind_code: str, step: str, data: dict[str, Any]) -> dict[str, Any]:
    """The values of a step that were addressed to the visitor (still held).

    Staff-internal fields (an examiner, a ROMANTIK reference, a finding) and
    steps the kind does not define (a recomputed due date) give nothing.
    """
    kind = kinds().get(kind_code)
    if kind is None or step not in kind.steps:
        return {}
    return {
        f.name: data[f.name]
        for f in kind.steps[step].fields
        if f.to_visitor and data.get(f.name) not in (None, "")
    }


def requires_email(service_code: str, configured: str | None = None) -> bool:
    """Whether a visit to the service needs an active e-mail: its case kind says so
    (the recommendation does: the standard requires an active e-mail)."""
    return kind_for_service(service_code, configured).requires_email


def allowed_next(kind: KindDef, done: list[str]) -> list[str]:
    """The steps that may follow ``done`` (the steps taken so far, oldest first)."""
    if not done:
        return [kind.first_step]
    current = kind.steps[done[-1]]
    return [code for code in current.next if kind.steps[code].repeatable or code not in done]


def rounds(kind: KindDef, done: list[str]) -> int:
    """How many verification rounds (steps marked ``round``) have been taken."""
    return sum(1 for code in done if kind.steps[code].round)


def clean_fields(step: StepDef, values: dict[str, Any]) -> dict[str, str]:
    """The step's fields, checked; raises :class:`StepRefused` (``field``) naming bad ones."""
    errors: dict[str, str] = {}
    cleaned: dict[str, str] = {}
    known = {f.name for f in step.fields}
    for name in values:
        if name not in known:
            errors[name] = "unknown_field"
    for f in step.fields:
        raw = values.get(f.name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if f.required:
                errors[f.name] = "required"
            continue
        if len(text) > f.max:
            errors[f.name] = "too_long"
        elif f.choices and text not in f.choices:
            errors[f.name] = "not_a_choice"
        elif f.type == "date":
            try:
                text = date.fromisoformat(text).isoformat()
            except ValueError:
                errors[f.name] = "not_a_date"
        cleaned[f.name] = text
    if errors:
        raise StepRefused(
            "field",
            "Some fields of step "
            + step.code
            + " are missing or invalid: "
            + ", ".join(sorted(errors))
            + ".",
            allowed=[],
            fields=errors,
        )
    return cleaned


def check_step(
    kind: KindDef, done: list[str], step: str, *, role: str, values: dict[str, Any]
) -> dict[str, str]:
    """Whether ``step`` may follow ``done`` for ``role``; returns the cleaned fields."""
    allowed = allowed_next(kind, done)
    if step not in kind.steps:
        raise StepRefused(
            "unknown", f"Step {step!r} does not exist for {kind.code}.", allowed=allowed
        )
    if done and kind.steps[done[-1]].final:
        raise StepRefused("closed", "The case is closed; no step may follow.", allowed=[])
    if step not in allowed:
        reason = "repeat" if step in done else "order"
        raise StepRefused(
            reason,
            f"Step {step} may not follow {done[-1] if done else 'nothing'}; allowed next: "
            + (", ".join(allowed) or "none")
            + ".",
            allowed=allowed,
        )
    definition = kind.steps[step]
    if role not in definition.roles:
        raise StepRefused("role", f"The role {role} may not take step {step}.", allowed=allowed)
    return clean_fields(definition, values)


def starts_clock(kind: KindDef, step: str, configured: str | None) -> bool:
    """Whether taking ``step`` starts the kind's clock (a unit chooses among the kind's starts)."""
    if configured in kind.clock_start_steps:
        return step == configured
    return bool(kind.clock_start_steps) and step == kind.clock_start_steps[0]


def whatsapp_link(phone: str | None, text: str) -> str | None:
    """A wa.me click-to-chat link with ``text`` prefilled; Indonesian 0-numbers become 62."""
    from urllib.parse import quote

    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if len(digits) < 8:
        return None
    return f"https://wa.me/{digits}?text={quote(text)}"
