"""Issuing tickets, calling them and moving them through their states."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy.engine import Connection

from server.api.deps import AnyPrincipal, DbDep, KioskOrStaff, SettingsDep, StaffUser, actor_of
from server.api.schemas import ActionIn, PathId, TicketIn, TicketOut, TransferIn
from server.api.views import ticket_out
from server.domain.queue import Action
from server.errors import Forbidden
from server.store import tickets

router = APIRouter(tags=["tickets"])


@router.post(
    "/tickets",
    status_code=201,
    response_model=TicketOut,
    responses={
        200: {"model": TicketOut, "description": "A retry: the ticket issued for this request id"}
    },
)
async def issue(
    body: TicketIn, principal: KioskOrStaff, db: DbDep, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    actor = actor_of(principal)

    def work(conn: Connection) -> tuple[dict[str, Any], bool]:
        issued = tickets.issue(
            conn,
            unit_id=principal.unit_id,
            service_id=body.service_id,
            actor=actor,
            priority=body.priority,
            priority_reason=body.priority_reason,
            visit_id=body.visit_id,
            client_request_id=body.client_request_id,
        )
        return ticket_out(conn, issued.ticket, settings, position=issued.position), issued.created

    # The hot path: one write transaction, joined to the current group-commit batch.
    out, created = await db.run_write(work)
    if not created:
        response.status_code = 200
    return out


@router.get("/tickets/{ticket_id}", response_model=TicketOut)
def get_ticket(
    ticket_id: PathId, principal: AnyPrincipal, db: DbDep, settings: SettingsDep
) -> dict[str, Any]:
    if principal.device_kind == "board":
        raise Forbidden("Display boards do not read single tickets.")
    with db.read() as conn:
        row = tickets.get_ticket(conn, unit_id=principal.unit_id, ticket_id=ticket_id)
        return ticket_out(conn, row, settings)


@router.post(
    "/counters/{counter_id}/call-next",
    response_model=TicketOut,
    responses={204: {"description": "Nobody waits for this counter's services"}},
)
async def call_next(
    counter_id: PathId, principal: StaffUser, db: DbDep, settings: SettingsDep
) -> Any:
    actor = actor_of(principal)

    def work(conn: Connection) -> dict[str, Any] | None:
        row = tickets.call_next(conn, unit_id=principal.unit_id, counter_id=counter_id, actor=actor)
        return None if row is None else ticket_out(conn, row, settings)

    out = await db.run_write(work)
    return Response(status_code=204) if out is None else out


def _act(action: Action) -> Any:
    async def handler(
        ticket_id: PathId,
        principal: StaffUser,
        db: DbDep,
        settings: SettingsDep,
        body: ActionIn | None = None,
    ) -> dict[str, Any]:
        given = body or ActionIn()
        actor = actor_of(principal)

        def work(conn: Connection) -> dict[str, Any]:
            row = tickets.apply_action(
                conn,
                unit_id=principal.unit_id,
                ticket_id=ticket_id,
                action=action,
                actor=actor,
                counter_id=given.counter_id,
                note=given.note,
            )
            return ticket_out(conn, row, settings)

        # start and finish come with every visitor served: the same write path as call-next
        result: dict[str, Any] = await db.run_write(work)
        return result

    handler.__name__ = f"ticket_{action.value}"
    return handler


for _action, _path in [
    (Action.RECALL, "recall"),
    (Action.NO_SHOW, "no-show"),
    (Action.REQUEUE, "requeue"),
    (Action.START, "start"),
    (Action.FINISH, "finish"),
    (Action.CANCEL, "cancel"),
]:
    router.add_api_route(
        f"/tickets/{{ticket_id}}/{_path}",
        _act(_action),
        methods=["POST"],
        response_model=TicketOut,
        summary=f"{_path.capitalize()} a ticket",
    )


@router.post("/tickets/{ticket_id}/transfer", response_model=TicketOut)
async def transfer(
    ticket_id: PathId, body: TransferIn, principal: StaffUser, db: DbDep, settings: SettingsDep
) -> dict[str, Any]:
    actor = actor_of(principal)

    def work(conn: Connection) -> dict[str, Any]:
        row = tickets.transfer(
            conn,
            unit_id=principal.unit_id,
            ticket_id=ticket_id,
            actor=actor,
            service_id=body.service_id,
            counter_id=body.counter_id,
            note=body.note,
        )
        return ticket_out(conn, row, settings)

    result: dict[str, Any] = await db.run_write(work)
    return result
