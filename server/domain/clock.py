"""Calendar rules about time: which local day a moment belongs to.

Pure functions: the caller passes the moment (the store reads the clock). A
unit's ticket numbers reset when its local calendar day changes, and reports
and guestbook entries are filed under the same day, so there is one definition.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_day(now: datetime, timezone: str) -> date:
    """The unit's calendar day at ``now`` (an aware datetime) in ``timezone``."""
    return now.astimezone(_zone(timezone)).date()
