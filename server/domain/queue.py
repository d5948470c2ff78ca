"""Queue rules: ticket states, legal transitions, numbering and call order.

Pure functions and data only — no database, no clock, no I/O — so every rule
is tested directly. The store applies these rules inside a transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server.domain import guestbook


class Status(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


class Action(StrEnum):
    ISSUE = "issue"
    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no_show"
    REQUEUE = "requeue"
    TRANSFER = "transfer"
    CANCEL = "cancel"


# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status]] = {
    Action.CALL: (frozenset({Status.WAITING}), Status.CALLED),
    Action.RECALL: (frozenset({Status.CALLED}), Status.CALLED),
    Action.START: (frozenset({Status.CALLED}), Status.SERVING),
    Action.FINISH: (frozenset({Status.SERVING}), Status.DONE),
    Action.NO_SHOW: (frozenset({Status.CALLED}), Status.NO_SHOW),
    Action.REQUEUE: (frozenset({Status.NO_SHOW, Status.CALLED}), Status.WAITING),
    Action.TRANSFER: (frozenset({Status.WAITING, Status.CALLED, Status.SERVING}), Status.WAITING),
    Action.CANCEL: (frozenset({Status.WAITING, Status.CALLED}), Status.CANCELLED),
}

PRIORITY_REASONS = guestbook.PRIORITY_REASONS  # one list, in data/guestbook.json


class TransitionError(ValueError):
    """An action that the ticket's current state does not allow."""

    def __init__(self, number: str, status: Status, action: Action) -> None:
        super().__init__(f"Ticket {number} is {status.value}; it cannot be {_PAST[action]}.")
        self.number = number
        self.status = status
        self.action = action


_PAST = {
    Action.ISSUE: "issued",
    Action.CALL: "called",
    Action.RECALL: "recalled",
    Action.START: "started",
    Action.FINISH: "finished",
    Action.NO_SHOW: "marked as no-show",
    Action.REQUEUE: "requeued",
    Action.TRANSFER: "transferred",
    Action.CANCEL: "cancelled",
}


def next_status(number: str, status: Status, action: Action) -> Status:
    """The state ``action`` leads to from ``status``, or :class:`TransitionError`."""
    allowed_from, target = TRANSITIONS[action]
    if status not in allowed_from:
        raise TransitionError(number, status, action)
    return target


def format_number(prefix: str, seq: int) -> str:
    """Ticket number shown to people: the service prefix and at least 3 digits (A001)."""
    if seq < 1:
        raise ValueError("ticket sequence starts at 1")
    return f"{prefix}{seq:03d}"


@dataclass(frozen=True)
class FairnessRule:
    """Priority visitors go first, but at most ``max_priority_in_row`` in a row per counter."""

    max_priority_in_row: int = 2

    def __post_init__(self) -> None:
        if self.max_priority_in_row < 1:
            raise ValueError("max_priority_in_row must be at least 1")


def choose_lane(
    *, priority_waiting: bool, regular_waiting: bool, streak: int, rule: FairnessRule
) -> bool | None:
    """Which lane a counter calls from next: True priority, False regular, None nothing.

    ``streak`` is how many priority tickets this counter called in a row. Once it
    reaches the rule's maximum and a regular visitor waits, the regular visitor is
    called, so neither lane can starve the other.
    """
    if priority_waiting and (not regular_waiting or streak < rule.max_priority_in_row):
        return True
    if regular_waiting:
        return False
    return None


def next_streak(streak: int, called_priority: bool) -> int:
    """The counter's priority streak after a call."""
    return streak + 1 if called_priority else 0


def recall_allowed(recall_count: int, max_recalls: int) -> bool:
    """Whether another recall is allowed before the ticket must be marked no-show."""
    return recall_count < max_recalls


def no_show_allowed(recall_count: int, min_recalls: int) -> bool:
    """A called ticket may be marked no-show only after ``min_recalls`` recalls."""
    return recall_count >= min_recalls
