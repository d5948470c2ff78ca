"""Idle timeout: ask "Masih di sini?", then wipe the journey.

:class:`IdleWatch` is a pure clock-driven rule: after ``timeout`` seconds
without a touch it says ``WARN``; after ``grace`` more seconds it says
``EXPIRE``, and the app wipes everything typed and returns to the welcome
screen. On the welcome screen nothing is pending, so it always says ``ACTIVE``.
"""

from __future__ import annotations

from enum import StrEnum


class IdleState(StrEnum):
    ACTIVE = "active"
    WARN = "warn"
    EXPIRE = "expire"


class IdleWatch:
    """Tracks the last touch; :meth:`state` tells what to do now."""

    def __init__(self, timeout: float, grace: float, now: float = 0.0) -> None:
        self.timeout = timeout
        self.grace = grace
        self.last_touch = now

    def touched(self, now: float) -> None:
        self.last_touch = now

    def state(self, now: float, *, journey_active: bool) -> IdleState:
        if not journey_active:
            return IdleState.ACTIVE
        idle = now - self.last_touch
        if idle >= self.timeout + self.grace:
            return IdleState.EXPIRE
        if idle >= self.timeout:
            return IdleState.WARN
        return IdleState.ACTIVE

    def seconds_left(self, now: float) -> int:
        """Whole seconds until the journey is wiped (for the warning text)."""
        return max(0, round(self.timeout + self.grace - (now - self.last_touch)))
