"""The event log behind the live stream (SSE): one row per queue change.

Events are written in the same transaction as the change they describe, so a
client that resumes from its last event never misses or invents a change, and
every server process reads the same log. A stream's position is a
:class:`~server.domain.events.Cursor`; the client gets it as the SSE ``id``.

**SQLite**: events follow their ``id``. The one write lock gives ids and
commits in the same order, so a stream that read id N never later meets a
committed id below N.

**PostgreSQL**: an id comes from a sequence at insert time, and two
transactions of one unit may commit in the opposite order of their ids. So each
row also records its writing transaction (``tx``, from ``pg_current_xact_id()``
in the same INSERT), and a reader delivers only events whose transaction is
older than every transaction still running, in ``(tx, id)`` order:

    tx < pg_snapshot_xmin(pg_current_snapshot())   -- read in the same statement

*Why nothing is skipped.* Call that bound ``xmin``. Every transaction below
``xmin`` has ended when the statement's snapshot is taken, so the statement
sees all of its events (committed) or none ever will exist (rolled back): the
rows it returns below ``xmin`` are final. A transaction still running then, or
starting later, has an id ``>= xmin`` (ids are handed out in increasing order,
and ``xmin`` is the smallest one running). The stream moves its cursor to the
last ``(tx, id)`` it delivered, which is below ``xmin``; every event that
becomes visible later has ``tx >= xmin``, so it sorts after the cursor. The
bound only grows, so the next read delivers it. Events of one transaction keep
their insert order (``id``).

*A new stream* starts at ``(xmin, 0)`` of the moment it connects: every
transaction that commits after that has ``tx >= xmin``, so no event committed
after connecting is missed; an event committed in the instant before, while an
older transaction was still running, may also arrive (never lost, at worst
shown once more).

*An old plain-integer Last-Event-ID* (sent before this change) is converted
through that event's ``tx``: rows written before migration ``0012`` have
``tx = 0`` and sort in id order ahead of every new event, which the old
per-unit lock made commit order. An id that is unknown (another unit, a
removed row) starts the stream from now.

*The cost.* An event is delivered only once every older write transaction has
ended — of any unit, and of any database in the same PostgreSQL cluster
(transaction ids are cluster-wide). Ticket writes last milliseconds; a long
one, such as an erasure's ``VACUUM FULL`` of a large table, a migration or a
session left idle in a transaction, holds every board's next event back until
it ends (set ``idle_in_transaction_session_timeout``). Readers see such held
events (``Batch.held``) and look again soon, since the transaction they wait
for may belong to another unit and wake nobody here. Writers of one unit no
longer wait for each other.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping

from server.db.database import mark_changed
from server.db.schema import events
from server.domain.events import Cursor
from server.store.common import utcnow

_INSERT = sa.insert(events)
# The top-level transaction's id (xid8, never wraps), assigned here if the transaction
# has none yet; text then bigint because SQLAlchemy knows no xid8.
_CURRENT_TX = sa.cast(sa.cast(sa.func.pg_current_xact_id(), sa.Text), sa.BigInteger)
_INSERT_PG = sa.insert(events).values(tx=_CURRENT_TX)
_XMIN = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"

# One statement: the snapshot's xmin, the page of deliverable events after the cursor
# (below xmin, in (tx, id) order), and whether committed events wait behind it (held).
_AFTER_PG = sa.text(
    f"""
    SELECT x.xmin,
           coalesce((SELECT max(h.tx) FROM events h WHERE h.unit_id = :unit_id), 0) >= x.xmin
             AS held,
           e.id, e.unit_id, e.type, e.payload, e.created_at, e.tx
    FROM (SELECT {_XMIN} AS xmin) AS x
    LEFT JOIN LATERAL (
        SELECT * FROM events
        WHERE unit_id = :unit_id AND tx < x.xmin AND (tx, id) > (:tx, :id)
        ORDER BY tx, id
        LIMIT :limit
    ) AS e ON true
    ORDER BY e.tx, e.id
    """
).columns(
    sa.column("xmin", sa.BigInteger),
    sa.column("held", sa.Boolean),
    events.c.id,
    events.c.unit_id,
    events.c.type,
    events.c.payload,
    events.c.created_at,
    events.c.tx,
)
_NOW_PG = sa.text(f"SELECT {_XMIN}")


class Batch(NamedTuple):
    """One read of a stream: the events to deliver, in order, each with its cursor."""

    rows: list[dict[str, Any]]
    # PostgreSQL: committed events of the unit wait behind an older running transaction.
    held: bool


def emit(conn: Connection, *, unit_id: int, type: str, payload: dict[str, Any]) -> None:
    """Record one change of ``unit_id`` in the caller's transaction."""
    params = {"unit_id": unit_id, "type": type, "payload": payload, "created_at": utcnow()}
    conn.execute(_INSERT_PG if conn.dialect.name == "postgresql" else _INSERT, params)
    mark_changed(conn, unit_id)


def cursor_of(row: RowMapping | dict[str, Any]) -> Cursor:
    """The stream position just after ``row`` (its SSE id)."""
    tx = row.get("tx")
    return Cursor(None if tx is None else int(tx), int(row["id"]))


def events_after(conn: Connection, *, unit_id: int, after: Cursor, limit: int = 500) -> Batch:
    """The unit's events a stream at ``after`` may deliver now, in delivery order."""
    if conn.dialect.name != "postgresql":
        query = (
            sa.select(events)
            .where(events.c.unit_id == unit_id, events.c.id > after.id)
            .order_by(events.c.id)
            .limit(limit)
        )
        return Batch([dict(r) for r in conn.execute(query).mappings()], held=False)
    params = {"unit_id": unit_id, "tx": after.tx or 0, "id": after.id, "limit": limit}
    result = list(conn.execute(_AFTER_PG, params).mappings())
    rows = [
        {k: r[k] for k in ("id", "unit_id", "type", "payload", "created_at", "tx")}
        for r in result
        if r["id"] is not None
    ]
    return Batch(rows, held=bool(result[0]["held"]))


def start_cursor(conn: Connection, *, unit_id: int, last: Cursor | None = None) -> Cursor:
    """Where a stream starts: after ``last`` (the client's Last-Event-ID) or from now.

    A value this database cannot have given is treated as no value (start from now):
    on SQLite a ``tx-id`` pair or an id above the unit's newest, on PostgreSQL a
    pair whose ``tx`` is above the current bound (a stream's cursor never is) or
    a plain id the unit does not have; so a forged or stale id never makes a
    stream wait past events that are yet to come.
    """
    if conn.dialect.name != "postgresql":
        query = sa.select(sa.func.max(events.c.id)).where(events.c.unit_id == unit_id)
        newest = int(conn.execute(query).scalar() or 0)
        if last is not None and last.tx is None and last.id <= newest:
            return last
        return Cursor(None, newest)
    xmin = int(conn.execute(_NOW_PG).scalar_one())
    if last is not None and last.tx is not None and last.tx <= xmin:
        return last
    if last is not None and last.tx is None:
        query = sa.select(events.c.tx).where(events.c.unit_id == unit_id, events.c.id == last.id)
        tx = conn.execute(query).scalar()
        if tx is not None:
            return Cursor(int(tx), last.id)
    return Cursor(xmin, 0)
