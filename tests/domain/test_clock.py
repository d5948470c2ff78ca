"""The unit's local day: the one rule behind the daily number reset."""

from __future__ import annotations

from datetime import UTC, datetime

from server.domain.clock import local_day


def test_local_day_turns_at_local_midnight_not_utc() -> None:
    # 23:59 and 00:01 WIB (UTC+7) fall on different local days but the same UTC day
    assert local_day(datetime(2026, 11, 23, 16, 59, tzinfo=UTC), "Asia/Jakarta").day == 23
    assert local_day(datetime(2026, 11, 23, 17, 1, tzinfo=UTC), "Asia/Jakarta").day == 24
    # WIT (UTC+9) turns two hours earlier
    assert local_day(datetime(2026, 11, 23, 15, 1, tzinfo=UTC), "Asia/Jayapura").day == 24
    assert local_day(datetime(2026, 11, 23, 15, 1, tzinfo=UTC), "Asia/Jakarta").day == 23
