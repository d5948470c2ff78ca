"""The look-up budget on its own, with a controlled clock."""

from __future__ import annotations

from server.config import Settings
from server.privacy import lookup_limit
from server.privacy.lookup_limit import LookupLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _limiter(clock: Clock) -> LookupLimiter:
    settings = Settings(
        lookup_device_limit=3,
        lookup_device_window_seconds=60,
        lookup_identifier_limit=2,
        lookup_identifier_window_seconds=30,
    )
    return LookupLimiter(settings, clock=clock)


def test_device_budget_refuses_with_retry_time_and_alerts_once() -> None:
    clock = Clock()
    limiter = _limiter(clock)
    assert all(limiter.check(caller="k1", identifier=f"id{n}").allowed for n in range(3))
    clock.now += 20
    first = limiter.check(caller="k1", identifier="id9")
    assert (first.allowed, first.limited_by, first.alert, first.retry_after) == (
        False,
        "device",
        True,
        40,
    )
    again = limiter.check(caller="k1", identifier="id9")
    assert not again.allowed and again.alert is False  # one alert per window
    assert limiter.check(caller="k2", identifier="id9").allowed  # other devices go on
    clock.now += 40
    assert limiter.check(caller="k1", identifier="id8").allowed  # the window has passed


def test_identifier_budget_across_devices() -> None:
    clock = Clock()
    limiter = _limiter(clock)
    assert limiter.check(caller="k1", identifier="nik").allowed
    assert limiter.check(caller="k2", identifier="nik").allowed
    clock.now += 10
    third = limiter.check(caller="k3", identifier="nik")
    assert (third.allowed, third.limited_by, third.retry_after, third.alert) == (
        False,
        "identifier",
        20,
        False,
    )
    clock.now += 20
    assert limiter.check(caller="k3", identifier="nik").allowed


def test_memory_is_swept() -> None:
    clock = Clock()
    limiter = _limiter(clock)
    for n in range(lookup_limit.SWEEP_EVERY - 1):
        limiter.check(caller=f"k{n}", identifier=f"id{n}")
    clock.now += 61
    limiter.check(caller="last", identifier="last")
    assert len(limiter._seen) == 2
