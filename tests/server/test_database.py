"""The write path: group commit on SQLite keeps each transaction's all-or-nothing."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from server.db.database import Database, create_db_engine, mark_changed
from server.db.group_commit import NestedWriteError
from server.db.schema import units
from server.store.common import utcnow


def add_unit(db: Database, code: str, fail: bool = False) -> None:
    with db.write() as conn:
        conn.execute(
            sa.insert(units).values(code=code, name=code, settings={}, created_at=utcnow())
        )
        mark_changed(conn, 1)
        if fail:
            raise ValueError("the block failed after writing")


def codes(db: Database) -> set[str]:
    with db.read() as conn:
        return set(conn.execute(sa.select(units.c.code)).scalars())


def test_concurrent_writers_commit_and_failures_roll_back_alone(db: Database) -> None:
    woken: list[set[int]] = []
    db.on_change = woken.append
    errors: list[BaseException] = []

    def writer(i: int) -> None:
        try:
            add_unit(db, f"U{i}", fail=i % 3 == 0)
        except ValueError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(30)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes(db) == {f"U{i}" for i in range(30) if i % 3 != 0}
    assert len(errors) == 10
    assert woken and all(w == {1} for w in woken)


def test_unique_violation_fails_only_its_own_block(db: Database) -> None:
    add_unit(db, "SAME")
    with pytest.raises(sa.exc.IntegrityError):
        add_unit(db, "SAME")
    add_unit(db, "AFTER")
    assert codes(db) == {"SAME", "AFTER"}


def test_nested_write_is_refused_not_deadlocked(tmp_path: Path) -> None:
    """Group commit is SQLite's: a nested write there would wait for itself forever."""
    db = Database(create_db_engine(f"sqlite:///{tmp_path / 'nested.sqlite3'}"))
    with db.write(), pytest.raises(NestedWriteError), db.write():
        pass
    db.dispose()
