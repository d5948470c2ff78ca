"""Device rules: when a printer report becomes an alert, and when a device counts as online.

Pure functions, no I/O: :mod:`server.store.devices` applies them when a
heartbeat is stored and the device list is read. A printer report is a dict
``{"online": bool, "paper": "ok" | "near_end" | "out" | "unknown", "error": str | None}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

#: a device whose last heartbeat is older than this is shown as offline
ONLINE_WITHIN = timedelta(minutes=2)
#: paper states that need staff to act
PAPER_ALERTS = frozenset({"out", "near_end"})


def printer_faulty(printer: Mapping[str, Any] | None) -> bool:
    """A printer that is offline or (nearly) out of paper needs staff."""
    if not printer:
        return False
    return not printer.get("online") or printer.get("paper") in PAPER_ALERTS


def printer_alert(before: Mapping[str, Any] | None, now: Mapping[str, Any] | None) -> bool:
    """Raise an alert when a printer is faulty and its report changed (not on every beat)."""
    return printer_faulty(now) and dict(now or {}) != dict(before or {})


def is_online(last_seen: datetime | None, now: datetime) -> bool:
    """Whether a device was heard from recently enough to count as online."""
    return last_seen is not None and now - last_seen < ONLINE_WITHIN
