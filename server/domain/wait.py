"""Estimated wait for a new ticket, from recent service times. Pure functions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median

MIN_SAMPLES = 3


def typical_service_minutes(recent_minutes: Sequence[float], default: float) -> float:
    """Median of recent service durations (robust to one long visit), else ``default``."""
    usable = [m for m in recent_minutes if m > 0]
    if len(usable) < MIN_SAMPLES:
        return default
    return float(median(usable))


def estimate_wait_minutes(*, people_ahead: int, service_minutes: float, open_counters: int) -> int:
    """Minutes until a ticket with ``people_ahead`` is likely called (rounded up)."""
    if people_ahead <= 0:
        return 0
    counters = max(1, open_counters)
    return math.ceil(people_ahead * service_minutes / counters)
