"""Queue rules: ticket states, legal transitions, numbering and call order.

Pure functions and data only — no database, no clock, no I/O — so every rule
is tested directly. The store applies these rules inside a transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
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

#: states in which a ticket still stands at its counter
AT_COUNTER = frozenset({Status.CALLED, Status.SERVING})

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


#: what staff do to one ticket through ``/tickets/{id}/<action>`` (CALL goes through the
#: counter's call-next and ISSUE through the kiosk, so neither is a ticket action)
TICKET_ACTIONS = (
    Action.RECALL,
    Action.START,
    Action.FINISH,
    Action.NO_SHOW,
    Action.REQUEUE,
    Action.TRANSFER,
    Action.CANCEL,
)


@dataclass(frozen=True)
class RecallRule:
    """A unit's recall limits: at most ``max_recalls`` recalls, and at least
    ``recalls_before_no_show`` recalls before a no-show."""

    max_recalls: int = 3
    recalls_before_no_show: int = 1


def allowed_actions(status: Status, recall_count: int, rule: RecallRule) -> list[Action]:
    """The ticket actions allowed now, in :data:`TICKET_ACTIONS` order.

    The state machine (:data:`TRANSITIONS`) decides first; a called ticket may
    then be recalled only below the recall limit and marked no-show only after
    enough recalls. The API sends this list with every ticket so that screens
    never keep their own copy of these rules.
    """
    allowed = []
    for action in TICKET_ACTIONS:
        if status not in TRANSITIONS[action][0]:
            continue
        if action is Action.RECALL and not recall_allowed(recall_count, rule.max_recalls):
            continue
        if action is Action.NO_SHOW and not no_show_allowed(
            recall_count, rule.recalls_before_no_show
        ):
            continue
        allowed.append(action)
    return allowed


@dataclass(frozen=True)
class WaitingTicket:
    """What the call order needs to know of a waiting ticket."""

    id: int
    service_id: int
    priority: bool
    queued_at: datetime


def people_ahead_counts(waiting: Iterable[WaitingTicket]) -> dict[int, int]:
    """For every waiting ticket, how many of its service's waiting tickets are called first.

    Within a service every priority ticket goes before every regular one; inside
    each lane the earlier arrival (then the lower id) goes first. One pass over
    the sorted list instead of one count per ticket.
    """
    ordered = sorted(waiting, key=lambda w: (w.queued_at, w.id))
    priority_total: dict[int, int] = {}
    for w in ordered:
        if w.priority:
            priority_total[w.service_id] = priority_total.get(w.service_id, 0) + 1
    seen: dict[tuple[int, bool], int] = {}
    out: dict[int, int] = {}
    for w in ordered:
        lane = (w.service_id, w.priority)
        earlier_in_lane = seen.get(lane, 0)
        out[w.id] = earlier_in_lane + (0 if w.priority else priority_total.get(w.service_id, 0))
        seen[lane] = earlier_in_lane + 1
    return out


class CounterBusy(ValueError):
    """*Call next* while the counter still holds a called or serving ticket."""

    def __init__(self, number: str, status: Status) -> None:
        todo = (
            "start it, recall it, mark it no-show, transfer or cancel it"
            if status == Status.CALLED
            else "finish or transfer it"
        )
        super().__init__(
            f"Ticket {number} is still {status.value} at this counter; "
            f"{todo} before calling the next visitor."
        )
        self.number = number
        self.status = status


def ensure_counter_free(held: tuple[str, Status] | None) -> None:
    """One visitor per counter: calling the next is refused while one is still there.

    ``held`` is the number and state of the counter's ticket that is still
    called or being served, or None. The console offers *call next* only when
    the counter holds no ticket, so the API refuses (:class:`CounterBusy`)
    instead of silently leaving a called visitor behind.
    """
    if held is not None and held[1] in AT_COUNTER:
        raise CounterBusy(*held)
