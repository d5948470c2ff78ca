"""The async entry to the one write path (``Database.run_write``), on SQLite and PostgreSQL.

Coroutines and blocking threads write at the same time into the same
group-commit batches: each piece is all-or-nothing, a coroutine hears "done"
only when its row is visible to a fresh connection (on disk), and a nested
write from inside the work is refused instead of hanging.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from server.db.database import Database, create_db_engine, mark_changed
from server.db.group_commit import NestedWriteError
from server.db.schema import units
from server.store.common import utcnow


def _insert(conn: Connection, code: str, fail: bool) -> str:
    conn.execute(sa.insert(units).values(code=code, name=code, settings={}, created_at=utcnow()))
    mark_changed(conn, 1)
    if fail:
        raise ValueError(f"{code} failed after writing")
    return code


def _visible_elsewhere(url: str, code: str) -> bool:
    """Read through a brand-new engine: only committed rows are there."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(sa.select(units.c.code).where(units.c.code == code)).first()
        return found is not None
    finally:
        engine.dispose()


def test_coroutines_and_threads_share_batches_and_fail_alone(db: Database) -> None:
    woken: list[set[int]] = []
    db.on_change = woken.append
    url = db.engine.url.render_as_string(hide_password=False)
    seen_on_disk: list[bool] = []

    async def one(i: int) -> str:
        code = await db.run_write(lambda conn: _insert(conn, f"A{i}", fail=i % 4 == 0))
        seen_on_disk.append(await asyncio.to_thread(_visible_elsewhere, url, code))
        return code

    def blocking(i: int) -> None:
        try:
            with db.write() as conn:
                _insert(conn, f"T{i}", fail=i % 4 == 0)
        except ValueError:
            pass

    async def main() -> list[str | BaseException]:
        return await asyncio.gather(*(one(i) for i in range(24)), return_exceptions=True)

    threads = [threading.Thread(target=blocking, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    results = asyncio.run(main())
    for t in threads:
        t.join()

    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(failed) == 6 and all(isinstance(r, ValueError) for r in failed)
    assert sorted(r for r in results if isinstance(r, str)) == sorted(
        f"A{i}" for i in range(24) if i % 4
    )
    assert seen_on_disk == [True] * 18
    with db.read() as conn:
        stored = set(conn.execute(sa.select(units.c.code)).scalars())
    expected = {f"A{i}" for i in range(24) if i % 4} | {f"T{i}" for i in range(12) if i % 4}
    assert expected <= stored
    assert not {f"A{i}" for i in range(0, 24, 4)} & stored
    assert not {f"T{i}" for i in range(0, 12, 4)} & stored
    assert woken and all(w == {1} for w in woken)


def test_nested_write_inside_run_write_is_refused(tmp_path: Path) -> None:
    db = Database(create_db_engine(f"sqlite:///{tmp_path / 'nested.sqlite3'}"))

    def nested(conn: Connection) -> None:
        with db.write():
            pass

    with pytest.raises(NestedWriteError):
        asyncio.run(db.run_write(nested))
    # the writer is still alive and writes afterwards
    assert (
        asyncio.run(db.run_write(lambda conn: conn.exec_driver_sql("SELECT 41 + 1").scalar())) == 42
    )
    db.dispose()
