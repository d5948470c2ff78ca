"""The one home of the ticket state machine for screens, and the one-pass queue order."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from server.domain.devices import is_online, printer_alert, printer_faulty
from server.domain.queue import (
    TICKET_ACTIONS,
    TRANSITIONS,
    Action,
    RecallRule,
    Status,
    WaitingTicket,
    allowed_actions,
    people_ahead_counts,
)

RULE = RecallRule(max_recalls=3, recalls_before_no_show=1)


def test_allowed_actions_follow_the_state_machine_and_the_recall_limits() -> None:
    assert allowed_actions(Status.WAITING, 0, RULE) == [Action.TRANSFER, Action.CANCEL]
    # Called, never recalled: no-show needs a recall first.
    assert allowed_actions(Status.CALLED, 0, RULE) == [
        Action.RECALL,
        Action.START,
        Action.REQUEUE,
        Action.TRANSFER,
        Action.CANCEL,
    ]
    assert Action.NO_SHOW in allowed_actions(Status.CALLED, 1, RULE)
    assert Action.RECALL not in allowed_actions(Status.CALLED, 3, RULE)  # limit reached
    assert allowed_actions(Status.CALLED, 0, RecallRule(3, 0))[2] == Action.NO_SHOW
    assert allowed_actions(Status.SERVING, 0, RULE) == [Action.FINISH, Action.TRANSFER]
    assert allowed_actions(Status.NO_SHOW, 1, RULE) == [Action.REQUEUE]
    assert allowed_actions(Status.DONE, 0, RULE) == []
    assert allowed_actions(Status.CANCELLED, 0, RULE) == []


def test_allowed_actions_never_contradict_the_transitions() -> None:
    for status in Status:
        for recalls in range(5):
            for action in allowed_actions(status, recalls, RULE):
                assert action in TICKET_ACTIONS
                assert status in TRANSITIONS[action][0]


def _slow_people_ahead(waiting: list[WaitingTicket], me: WaitingTicket) -> int:
    """The rule as store/tickets.people_ahead states it in SQL, one ticket at a time."""

    def earlier(other: WaitingTicket) -> bool:
        return (other.queued_at, other.id) < (me.queued_at, me.id)

    return sum(
        1
        for other in waiting
        if other.id != me.id
        and other.service_id == me.service_id
        and (
            (other.priority and earlier(other))
            if me.priority
            else (other.priority or earlier(other))
        )
    )


def test_people_ahead_in_one_pass_matches_the_per_ticket_rule() -> None:
    rng = random.Random(9)
    t0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    waiting = [
        WaitingTicket(
            id=i,
            service_id=rng.choice([1, 2, 3]),
            priority=rng.random() < 0.3,
            queued_at=t0 + timedelta(seconds=rng.choice([0, 5, 10, 20, 40])),  # ties too
        )
        for i in rng.sample(range(1, 500), 80)
    ]
    counts = people_ahead_counts(waiting)
    assert counts == {w.id: _slow_people_ahead(waiting, w) for w in waiting}
    assert people_ahead_counts([]) == {}


def test_printer_alert_rule() -> None:
    ok = {"online": True, "paper": "ok", "error": None}
    out = {"online": True, "paper": "out", "error": None}
    offline = {"online": False, "paper": "unknown", "error": "timeout"}
    assert not printer_faulty(ok) and not printer_faulty(None) and not printer_faulty({})
    assert printer_faulty(out) and printer_faulty(offline)
    assert printer_faulty({"online": True, "paper": "near_end"})
    assert printer_alert(ok, out)  # newly out of paper
    assert not printer_alert(out, dict(out))  # same fault again: no second alert
    assert printer_alert(out, offline)  # a different fault
    assert not printer_alert(out, ok)  # recovered


def test_online_means_heard_from_within_two_minutes() -> None:
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert is_online(now - timedelta(seconds=119), now)
    assert not is_online(now - timedelta(minutes=2), now)
    assert not is_online(None, now)
