"""One visitor per counter: *call next* is refused while one still stands there."""

from __future__ import annotations

import pytest

from server.domain import queue
from server.domain.queue import Status


def test_a_free_counter_may_call() -> None:
    queue.ensure_counter_free(None)


@pytest.mark.parametrize(
    ("status", "hint"),
    [(Status.CALLED, "mark it no-show"), (Status.SERVING, "finish or transfer it")],
)
def test_a_held_counter_is_refused_with_what_to_do(status: Status, hint: str) -> None:
    with pytest.raises(queue.CounterBusy) as caught:
        queue.ensure_counter_free(("P007", status))
    assert "P007" in str(caught.value) and hint in str(caught.value)
    assert caught.value.status is status


@pytest.mark.parametrize("status", [Status.DONE, Status.NO_SHOW, Status.CANCELLED])
def test_finished_tickets_do_not_hold_the_counter(status: Status) -> None:
    queue.ensure_counter_free(("P007", status))
