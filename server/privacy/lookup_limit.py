"""The look-up budget: how often one device, and one NIK or e-mail, may be looked up.

The kiosk's returning-visitor look-up answers "is this NIK known?", so without a
bound it is an oracle. :class:`LookupLimiter` keeps a sliding window per caller
(device or staff user) and per identifier (its keyed hash, never the value) in
memory, like the login throttle: a restart clears it. A refused look-up says
how many seconds to wait; the first refusal of a caller in a window asks for a
staff alert (``alert``), later ones in the same window do not.
:func:`spend_lookup` applies it to one request: a 429 with a retry time, and
the console alert (:mod:`server.store.lookups`) when a device goes over.
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from server.config import Settings
from server.db.database import Database
from server.errors import TooManyRequests
from server.store import lookups
from server.store.accounts import Principal


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0  # whole seconds until a look-up would be allowed again
    limited_by: str | None = None  # "device" or "identifier"
    alert: bool = False  # the caller just went over its budget: tell staff once


class LookupLimiter:
    """Sliding-window budgets per caller and per identifier (thread-safe)."""

    def __init__(
        self, settings: Settings, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.device_limit = settings.lookup_device_limit
        self.device_window = settings.lookup_device_window_seconds
        self.identifier_limit = settings.lookup_identifier_limit
        self.identifier_window = settings.lookup_identifier_window_seconds
        self._clock = clock
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._alerted_until: dict[str, float] = {}
        self._lock = threading.Lock()
        self._checks = 0

    def _recent(self, key: str, window: float, now: float) -> deque[float]:
        stamps = self._seen[key]
        while stamps and now - stamps[0] >= window:
            stamps.popleft()
        return stamps

    def check(self, *, caller: str, identifier: str) -> Verdict:
        """Count one look-up by ``caller`` for ``identifier`` if the budgets allow it."""
        now = self._clock()
        with self._lock:
            self._checks += 1
            if self._checks % SWEEP_EVERY == 0:
                self._sweep(now)
            mine = self._recent("caller:" + caller, self.device_window, now)
            if len(mine) >= self.device_limit:
                alert = self._alerted_until.get(caller, 0.0) <= now
                if alert:
                    self._alerted_until[caller] = mine[0] + self.device_window
                wait = mine[0] + self.device_window - now
                return Verdict(False, _seconds(wait), "device", alert)
            theirs = self._recent("id:" + identifier, self.identifier_window, now)
            mine.append(now)  # probing one identifier still spends the caller's budget
            if len(theirs) >= self.identifier_limit:
                wait = theirs[0] + self.identifier_window - now
                return Verdict(False, _seconds(wait), "identifier")
            theirs.append(now)
            return Verdict(True)

    def _sweep(self, now: float) -> None:
        """Forget callers and identifiers with nothing left in their window (bounded memory)."""
        window = max(self.device_window, self.identifier_window)
        for key in [k for k, v in self._seen.items() if not v or now - v[-1] >= window]:
            del self._seen[key]
        for key in [k for k, until in self._alerted_until.items() if until <= now]:
            del self._alerted_until[key]


SWEEP_EVERY = 1000


def spend_lookup(
    limiter: LookupLimiter, principal: Principal, db: Database, *, identifier: str
) -> None:
    """Count one look-up; 429 with a retry time when a budget is spent (and alert once)."""
    caller = f"device:{principal.device_id}" if principal.device_id else f"user:{principal.user_id}"
    verdict = limiter.check(caller=caller, identifier=identifier)
    if verdict.allowed:
        return
    if verdict.alert:
        with db.write() as conn:
            lookups.alert_over_budget(
                conn,
                unit_id=principal.unit_id,
                device_id=principal.device_id,
                username=principal.username,
                limit=limiter.device_limit,
                window_seconds=limiter.device_window,
            )
    what = "this device" if verdict.limited_by == "device" else "this ID number or e-mail"
    raise TooManyRequests(
        f"Too many look-ups for {what}; try again in {verdict.retry_after} seconds.",
        code="lookup_limited",
        retry_after=verdict.retry_after,
        limited_by=verdict.limited_by,
    )


def _seconds(wait: float) -> int:
    return max(1, math.ceil(wait))
