"""Issuing tickets, calling them and moving them through their states."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

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
    responses={200: {"description": "A retry: the ticket issued for this request id"}},
)
def issue(
    body: TicketIn, principal: KioskOrStaff, db: DbDep, settings: SettingsDep, response: Response
) -> dict[str, Any]:
    with db.write() as conn:
        row, created = tickets.issue_ticket(
            conn,
            unit_id=principal.unit_id,
            service_id=body.service_id,
            actor=actor_of(principal),
            priority=body.priority,
            priority_reason=body.priority_reason,
            visit_id=body.visit_id,
            client_request_id=body.client_request_id,
        )
    # Where the new ticket stands is read after the commit, so the per-service number
    # row (locked by the issuing transaction on PostgreSQL) is held only for the inserts.
    with db.read() as conn:
        out = ticket_out(conn, row, settings)
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
def call_next(counter_id: PathId, principal: StaffUser, db: DbDep, settings: SettingsDep) -> Any:
    with db.write() as conn:
        row = tickets.call_next(
            conn, unit_id=principal.unit_id, counter_id=counter_id, actor=actor_of(principal)
        )
        if row is None:
            return Response(status_code=204)
        return ticket_out(conn, row, settings)


def _act(action: Action) -> Any:
    def handler(
        ticket_id: PathId,
        principal: StaffUser,
        db: DbDep,
        settings: SettingsDep,
        body: ActionIn | None = None,
    ) -> dict[str, Any]:
        body = body or ActionIn()
        with db.write() as conn:
            row = tickets.apply_action(
                conn,
                unit_id=principal.unit_id,
                ticket_id=ticket_id,
                action=action,
                actor=actor_of(principal),
                counter_id=body.counter_id,
                note=body.note,
            )
            return ticket_out(conn, row, settings)

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
def transfer(
    ticket_id: PathId, body: TransferIn, principal: StaffUser, db: DbDep, settings: SettingsDep
) -> dict[str, Any]:
    with db.write() as conn:
        row = tickets.transfer(
            conn,
            unit_id=principal.unit_id,
            ticket_id=ticket_id,
            actor=actor_of(principal),
            service_id=body.service_id,
            counter_id=body.counter_id,
            note=body.note,
        )
        return ticket_out(conn, row, settings)
