"""Purge removes exactly what expired at an explicit ``now``, and keeps report counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from server.config import Settings
from server.db.database import Database
from server.db.privacy_schema import audit_log, id_photos, visitors, visits
from server.privacy.keys import key_file_for
from server.privacy.retention import expired_counts, purge
from tests.privacy.conftest import direct_registration
from tests.server.conftest import Unit

JPEG = b"\xff\xd8\xff\xe0photo"
T0 = datetime(2026, 1, 5, 3, 0, tzinfo=UTC)
RULES = Settings(retention_photo_days=30, retention_guestbook_days=730, retention_audit_days=1825)


def _count(db: Database, table: sa.Table, *where: object) -> int:
    with db.read() as conn:
        return int(
            conn.execute(sa.select(sa.func.count()).select_from(table).where(*where)).scalar_one()
        )


def test_purge_at_explicit_times(db: Database, unit: Unit, tmp_path: Path) -> None:
    ring = key_file_for(tmp_path / "keys.json").ring()
    old = direct_registration(db, ring, unit, serial=1, now=T0, photo=JPEG)
    recent = direct_registration(db, ring, unit, serial=2, now=T0 + timedelta(days=20), photo=JPEG)
    returning = direct_registration(db, ring, unit, serial=3, now=T0)
    direct_registration(db, ring, unit, serial=3, now=T0 + timedelta(days=400))

    # day 31: only the first photo (taken at T0) is past 30 days
    at = T0 + timedelta(days=31)
    assert expired_counts(db, settings=RULES, now=at).photos_deleted == 1
    result = purge(db, settings=RULES, now=at)
    assert (result.photos_deleted, result.visitors_erased) == (1, 0)
    with db.read() as conn:
        left = conn.execute(sa.select(id_photos.c.visit_id)).scalars().all()
    assert left == [recent.visit_id]
    assert purge(db, settings=RULES, now=at).photos_deleted == 0  # idempotent

    # day 731: visitor 1 (last seen T0) expires; visitor 3 came back on day 400
    at = T0 + timedelta(days=731)
    result = purge(db, settings=RULES, now=at)
    assert (result.photos_deleted, result.visitors_erased) == (1, 1)
    remaining = {
        r
        for r in (old.visitor_id, recent.visitor_id, returning.visitor_id)
        if _count(db, visitors, visitors.c.id == r)
    }
    assert remaining == {recent.visitor_id, returning.visitor_id}
    assert _count(db, visits) == 4  # every visit kept for reports
    with db.read() as conn:
        anon = conn.execute(sa.select(visits).where(visits.c.id == old.visit_id)).mappings().one()
    assert anon["visitor_id"] is None and anon["anonymised_at"] is not None
    assert (anon["service_id"], anon["education"], anon["purpose"]) == (
        unit.service_ids[0],
        "s2",
        "penelitian",
    )

    # day 400 + 731: the returning visitor expires too; audit rows from T0 are 5 years old later
    result = purge(db, settings=RULES, now=T0 + timedelta(days=1131))
    assert result.visitors_erased == 2
    assert _count(db, visitors) == 0 and _count(db, visits, visits.c.visitor_id.is_(None)) == 4
    before = _count(db, audit_log, audit_log.c.at < T0 + timedelta(days=1))
    assert before > 0
    result = purge(db, settings=RULES, now=T0 + timedelta(days=1826))
    assert result.audit_rows_deleted >= before
    assert _count(db, audit_log, audit_log.c.at < T0 + timedelta(days=1)) == 0
    with db.read() as conn:
        purges = conn.execute(
            sa.select(audit_log.c.action, audit_log.c.visitor_id).where(
                audit_log.c.action == "purge"
            )
        ).all()
    assert any(v is None for _, v in purges)  # the summary row


def test_retention_job_purges_inside_the_server(db: Database, unit: Unit, tmp_path: Path) -> None:
    import asyncio

    from server.privacy.retention import start_retention_job

    ring = key_file_for(tmp_path / "keys.json").ring()
    direct_registration(db, ring, unit, serial=1, now=T0, photo=JPEG)  # long expired photo

    async def run() -> None:
        task = start_retention_job(db, RULES, first_delay=0)
        for _ in range(200):
            await asyncio.sleep(0.02)
            if _count(db, id_photos) == 0:
                break
        task.cancel()

    asyncio.run(run())
    assert _count(db, id_photos) == 0


def _serve_with_note(db: Database, unit: Unit, ticket_id: int, note: str) -> None:
    from server.domain.queue import Action
    from server.store import tickets as ticket_store
    from server.store.common import Actor

    with db.write() as conn:
        ticket_store.transfer(
            conn,
            unit_id=unit.id,
            ticket_id=ticket_id,
            actor=Actor(),
            counter_id=unit.counter_ids[0],
            note=f"dipindah: {note}",
        )
        called = ticket_store.call_next(
            conn, unit_id=unit.id, counter_id=unit.counter_ids[0], actor=Actor()
        )
        assert called is not None and called["id"] == ticket_id
        for action, text in ((Action.START, None), (Action.FINISH, note)):
            ticket_store.apply_action(
                conn, unit_id=unit.id, ticket_id=ticket_id, action=action, actor=Actor(), note=text
            )


def _notes(db: Database, ticket_id: int) -> list[str]:
    from server.db.schema import ticket_transitions, tickets

    with db.read() as conn:
        on_ticket = conn.execute(
            sa.select(tickets.c.note).where(tickets.c.id == ticket_id)
        ).scalar_one()
        on_changes = conn.execute(
            sa.select(ticket_transitions.c.note).where(ticket_transitions.c.ticket_id == ticket_id)
        ).scalars()
        return [n for n in [on_ticket, *on_changes] if n is not None]


def test_staff_notes_on_tickets_expire_with_the_guestbook_and_go_with_erasure(
    db: Database, unit: Unit, tmp_path: Path
) -> None:
    """A staff note may name the visitor: retention clears notes on tickets older than
    the guestbook period, erasing a visitor clears those on their tickets; the tickets
    themselves (service, times, status) stay for the reports."""
    from server.store import tickets as ticket_store
    from server.store import visitors as visitor_store
    from server.store.common import Actor

    ring = key_file_for(tmp_path / "keys.json").ring()
    with db.write() as conn:  # a ticket without a guestbook entry: only retention clears it
        old_id = ticket_store.issue_ticket(
            conn, unit_id=unit.id, service_id=unit.service_ids[0], actor=Actor(), now=T0
        )[0]["id"]
    later = direct_registration(db, ring, unit, serial=12, now=T0 + timedelta(days=400))
    _serve_with_note(db, unit, old_id, "Bu Sari kembali membawa surat")
    _serve_with_note(db, unit, later.ticket["id"], "Pak Budi minta data PDRB")
    # the finish note is on the ticket and on its change; the transfer note on its change
    assert len(_notes(db, old_id)) == 3 and len(_notes(db, later.ticket["id"])) == 3

    at = T0 + timedelta(days=731)
    assert expired_counts(db, settings=RULES, now=at).ticket_notes_cleared == 3
    result = purge(db, settings=RULES, now=at)
    assert result.ticket_notes_cleared == 3
    assert _notes(db, old_id) == []
    assert len(_notes(db, later.ticket["id"])) == 3  # not yet expired
    assert purge(db, settings=RULES, now=at).ticket_notes_cleared == 0  # idempotent

    with db.write() as conn:
        visitor_store.erase_visitor(conn, visitor_id=later.visitor_id, now=at)
    assert _notes(db, later.ticket["id"]) == []
    with db.read() as conn:
        from server.db.schema import tickets

        statuses = conn.execute(
            sa.select(tickets.c.status).where(tickets.c.id.in_([old_id, later.ticket["id"]]))
        ).scalars()
        assert sorted(statuses) == ["done", "done"]
