"""The pure queue rules: transitions, numbering, fairness and waiting estimates."""

from __future__ import annotations

import pytest

from server.domain import queue
from server.domain.queue import Action, FairnessRule, Status
from server.domain.wait import estimate_wait_minutes, typical_service_minutes


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        (Status.WAITING, Action.CALL, Status.CALLED),
        (Status.CALLED, Action.RECALL, Status.CALLED),
        (Status.CALLED, Action.START, Status.SERVING),
        (Status.SERVING, Action.FINISH, Status.DONE),
        (Status.CALLED, Action.NO_SHOW, Status.NO_SHOW),
        (Status.NO_SHOW, Action.REQUEUE, Status.WAITING),
        (Status.SERVING, Action.TRANSFER, Status.WAITING),
        (Status.WAITING, Action.CANCEL, Status.CANCELLED),
    ],
)
def test_legal_transitions(status: Status, action: Action, expected: Status) -> None:
    assert queue.next_status("A001", status, action) is expected


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.DONE, Action.CALL),
        (Status.WAITING, Action.START),
        (Status.WAITING, Action.FINISH),
        (Status.CANCELLED, Action.REQUEUE),
        (Status.SERVING, Action.NO_SHOW),
        (Status.DONE, Action.CANCEL),
        (Status.SERVING, Action.CANCEL),
    ],
)
def test_illegal_transitions_explain_themselves(status: Status, action: Action) -> None:
    with pytest.raises(queue.TransitionError) as info:
        queue.next_status("R007", status, action)
    assert "R007" in str(info.value)
    assert status.value in str(info.value)


def test_every_action_but_issue_has_a_rule() -> None:
    assert set(queue.TRANSITIONS) == set(Action) - {Action.ISSUE}


@pytest.mark.parametrize(
    ("seq", "number"), [(1, "A001"), (42, "A042"), (999, "A999"), (1000, "A1000")]
)
def test_number_format(seq: int, number: str) -> None:
    assert queue.format_number("A", seq) == number


def test_number_starts_at_one() -> None:
    with pytest.raises(ValueError):
        queue.format_number("A", 0)


def simulate(lanes: list[bool], rule: FairnessRule) -> list[bool]:
    """Call a whole queue (True = priority ticket, in arrival order); return the call order."""
    priority = [x for x in lanes if x]
    regular = [x for x in lanes if not x]
    streak, order = 0, []
    while priority or regular:
        lane = queue.choose_lane(
            priority_waiting=bool(priority), regular_waiting=bool(regular), streak=streak, rule=rule
        )
        assert lane is not None
        (priority if lane else regular).pop()
        order.append(lane)
        streak = queue.next_streak(streak, lane)
    return order


def test_priority_first_but_never_more_than_n_in_a_row() -> None:
    order = simulate([True] * 6 + [False] * 3, FairnessRule(max_priority_in_row=2))
    assert order == [True, True, False, True, True, False, True, True, False]


def test_regular_only_and_priority_only_queues_drain() -> None:
    assert simulate([False] * 3, FairnessRule(2)) == [False] * 3
    assert simulate([True] * 4, FairnessRule(1)) == [True] * 4


def test_nothing_waiting_means_no_lane() -> None:
    lane = queue.choose_lane(
        priority_waiting=False, regular_waiting=False, streak=0, rule=FairnessRule()
    )
    assert lane is None


def test_fairness_rule_needs_at_least_one() -> None:
    with pytest.raises(ValueError):
        FairnessRule(max_priority_in_row=0)


def test_recall_and_no_show_limits() -> None:
    assert queue.recall_allowed(2, 3) and not queue.recall_allowed(3, 3)
    assert not queue.no_show_allowed(0, 1) and queue.no_show_allowed(1, 1)


def test_typical_service_time_uses_median_and_default() -> None:
    assert typical_service_minutes([5, 6, 60], default=7) == 6
    assert typical_service_minutes([5, 6], default=7) == 7  # too few samples


@pytest.mark.parametrize(
    ("ahead", "minutes", "counters", "expected"),
    [(0, 7, 1, 0), (3, 7, 1, 21), (3, 7, 2, 11), (1, 6.5, 0, 7)],
)
def test_estimated_wait(ahead: int, minutes: float, counters: int, expected: int) -> None:
    assert (
        estimate_wait_minutes(people_ahead=ahead, service_minutes=minutes, open_counters=counters)
        == expected
    )
