"""POST /ratings, GET /ratings/target, the IKM report and follow-up plans, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from typing import Any

import requests
import sqlalchemy as sa
from fastapi.testclient import TestClient

from server.api.app import create_app
from server.config import Settings
from server.db.database import Database
from server.db.ratings_schema import rating_answers, ratings
from server.domain import skm
from server.domain.clock import local_day
from server.store import units
from server.store.common import utcnow
from tests.live import serve_in_thread
from tests.server.conftest import Unit, login
from tests.server.rating_helpers import add_rating_device, served_ticket, skm_block


def _count(db: Database) -> tuple[int, int]:
    with db.read() as conn:
        return (
            int(conn.execute(sa.select(sa.func.count()).select_from(ratings)).scalar_one()),
            int(conn.execute(sa.select(sa.func.count()).select_from(rating_answers)).scalar_one()),
        )


def _today() -> str:
    """The unit's local day (Asia/Jakarta), which ratings are grouped by."""
    return _local_today().isoformat()


def _local_today() -> date:
    return local_day(utcnow(), "Asia/Jakarta")


def test_terminal_rates_a_served_ticket_by_number(
    client: TestClient, db: Database, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    terminal = {"Authorization": f"Bearer {add_rating_device(db, unit.id)}"}
    ticket = served_ticket(client, kiosk, staff, unit.service_ids[0], unit.counter_ids[0])
    target = client.get(
        f"/api/v1/ratings/target?number={ticket['number'].lower()}", headers=terminal
    )
    assert target.status_code == 200, target.text
    body = target.json()
    assert body["number"] == ticket["number"] and body["ratable"] and not body["rated"]
    assert body["counter_number"] is not None and body["service"]["id"]
    assert [b["id"] for b in body["blocks"]] == ["skm9"]
    assert "visitor" not in target.text and 'name":' not in target.text.replace("counter_name", "")
    answers = {c: 3 for c in skm.SKM_CODES if c != "U8"}
    r = client.post(
        "/api/v1/ratings",
        json={"ticket_number": ticket["number"], "overall": 4, "blocks": [skm_block(answers)],
              "suggestion": "Ruang tunggu nyaman", "contact_me": True},
        headers=terminal,
    )  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["answers"] == 8 and r.json()["contact_me"] is True
    again = client.post(
        "/api/v1/ratings",
        json={"tracking_token": ticket["tracking_token"], "overall": 1},
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_rated"
    assert _count(db) == (1, 8)
    with db.read() as conn:
        row = conn.execute(sa.select(ratings)).mappings().one()
    assert row["channel"] == "terminal" and row["suggestion"] == "Ruang tunggu nyaman"
    assert row["counter_id"] == unit.counter_ids[0]
    callbacks = client.get(
        f"/api/v1/ratings?from={_today()}&to={_today()}&contact_me=true", headers=login(client)
    ).json()
    assert [(r["ticket_number"], r["suggestion"]) for r in callbacks] == [
        (ticket["number"], "Ruang tunggu nyaman")
    ]
    assert (
        client.get(f"/api/v1/ratings?from={_today()}&to={_today()}", headers=terminal).status_code
        == 403
    )
    status = client.get(f"/api/v1/ratings/target?token={ticket['tracking_token']}").json()
    assert status["rated"] and not status["ratable"]


def test_web_form_rates_with_the_tracking_token_and_low_score_follow_up(
    client: TestClient, db: Database, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    ticket = served_ticket(client, kiosk, staff, unit.service_ids[1], unit.counter_ids[0])
    r = client.post(
        "/api/v1/ratings",
        json={"tracking_token": ticket["tracking_token"], "overall": 2, "blocks": [skm_block()],
              "followup_reasons": ["wait", "data"], "followup_text": "Antre lama"},
    )  # fmt: skip
    assert r.status_code == 201, r.text
    with db.read() as conn:
        row = conn.execute(sa.select(ratings)).mappings().one()
    assert row["channel"] == "web" and row["device_id"] is None
    assert row["followup_reasons"] == ["wait", "data"] and row["followup_text"] == "Antre lama"


def test_bad_input_is_4xx_and_stores_nothing(
    client: TestClient, db: Database, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    terminal = {"Authorization": f"Bearer {add_rating_device(db, unit.id)}"}
    served = served_ticket(client, kiosk, staff, unit.service_ids[0], unit.counter_ids[0])
    waiting = client.post(
        "/api/v1/tickets", json={"service_id": unit.service_ids[0]}, headers=kiosk
    ).json()
    token = served["tracking_token"]
    cases: list[tuple[dict[str, Any], dict[str, str], int, str]] = [
        ({"tracking_token": token, "overall": 5}, {}, 422, "score_out_of_scale"),
        ({"tracking_token": token, "overall": 3, "blocks": [skm_block({"U1": 7})]}, {}, 422,
         "score_out_of_scale"),
        ({"tracking_token": token, "overall": 3, "blocks": [skm_block({"U1": 0})]}, {}, 422,
         "score_out_of_scale"),
        ({"tracking_token": token, "overall": 3, "blocks": [skm_block({"X1": 3})]}, {}, 422,
         "unknown_element"),
        ({"tracking_token": token, "overall": 3,
          "blocks": [{"questionnaire": "skm9", "version": 7, "answers": {"U1": 3}}]}, {}, 422,
         "unknown_questionnaire_version"),
        ({"tracking_token": token, "overall": 3, "blocks": [skm_block({"U1": "4"})]}, {}, 422,
         "invalid_input"),
        ({"tracking_token": token, "overall": True}, {}, 422, "invalid_input"),
        ({"tracking_token": waiting["tracking_token"], "overall": 3}, {}, 409, "not_served"),
        ({"tracking_token": "x" * 32, "overall": 3}, {}, 404, "unknown_ticket"),
        ({"ticket_number": served["number"], "overall": 3}, {}, 403, "forbidden"),
        ({"ticket_number": "Z999", "overall": 3}, terminal, 404, "unknown_ticket"),
        ({"overall": 3}, terminal, 422, "no_ticket"),
        ({"tracking_token": token, "overall": 3}, kiosk, 403, "forbidden"),
        ({"tracking_token": token, "overall": 4, "followup_reasons": ["wait"]}, {}, 422,
         "followup_not_asked"),
    ]  # fmt: skip
    for body, headers, status, code in cases:
        r = client.post("/api/v1/ratings", json=body, headers=headers)
        assert r.status_code == status, (body, r.text)
        assert r.json()["error"]["code"] == code, (body, r.text)
    assert _count(db) == (0, 0)
    assert client.get("/api/v1/ratings/target?token=" + "y" * 32).status_code == 404


def test_a_flood_from_one_device_is_429(client: TestClient, db: Database, unit: Unit) -> None:
    terminal = {"Authorization": f"Bearer {add_rating_device(db, unit.id)}"}
    codes = [
        client.post(
            "/api/v1/ratings", json={"ticket_number": "P999", "overall": 3}, headers=terminal
        ).status_code
        for _ in range(15)
    ]
    assert codes[:12] == [404] * 12 and set(codes[12:]) == {429}
    other = {"Authorization": f"Bearer {add_rating_device(db, unit.id, 'Tablet 2')}"}
    assert (
        client.post(
            "/api/v1/ratings", json={"ticket_number": "P999", "overall": 3}, headers=other
        ).status_code
        == 404
    )
    # the web form is limited per address the same way
    web = [
        client.post("/api/v1/ratings", json={"tracking_token": "q" * 22, "overall": 3}).status_code
        for _ in range(13)
    ]
    assert web[:12] == [404] * 12 and web[12] == 429
    assert _count(db) == (0, 0)


def test_terminal_and_web_at_once_give_one_201_and_one_409(
    settings: Settings, db: Database, unit: Unit
) -> None:
    """Real uvicorn, real sockets: each round a terminal and a browser submit at the same time."""
    terminal = {"Authorization": f"Bearer {add_rating_device(db, unit.id)}"}
    kiosk = {"Authorization": f"Bearer {unit.kiosk_token}"}
    rounds = 8
    with serve_in_thread(create_app(settings, db=db)) as base:
        http = requests.Session()
        http.post = _prefixed(http.post, base)  # type: ignore[method-assign]
        staff = login_requests(base)
        tickets = [
            served_ticket(http, kiosk, staff, unit.service_ids[0], unit.counter_ids[0])
            for _ in range(rounds)
        ]
        results: list[tuple[int, int]] = []
        for ticket in tickets:
            barrier = threading.Barrier(2)
            out: dict[str, int] = {}

            def send(
                name: str,
                body: dict[str, Any],
                headers: dict[str, str],
                barrier: threading.Barrier = barrier,
                out: dict[str, int] = out,
            ) -> None:
                barrier.wait()
                r = requests.post(f"{base}/api/v1/ratings", json=body, headers=headers, timeout=30)
                out[name] = r.status_code

            web = threading.Thread(
                target=send,
                args=("web", {"tracking_token": ticket["tracking_token"], "overall": 4,
                              "blocks": [skm_block()]}, {}),
            )  # fmt: skip
            term = threading.Thread(
                target=send,
                args=("terminal", {"ticket_number": ticket["number"], "overall": 1,
                                   "blocks": [skm_block({"U1": 1})]}, terminal),
            )  # fmt: skip
            web.start()
            term.start()
            web.join()
            term.join()
            results.append((out["web"], out["terminal"]))
    for pair in results:
        assert sorted(pair) == [201, 409], results
    with db.read() as conn:
        per_ticket = conn.execute(
            sa.select(ratings.c.ticket_id, sa.func.count()).group_by(ratings.c.ticket_id)
        ).all()
        answers = conn.execute(
            sa.select(rating_answers.c.rating_id, sa.func.count()).group_by(
                rating_answers.c.rating_id
            )
        ).all()
    assert len(per_ticket) == rounds and all(n == 1 for _, n in per_ticket)
    # each stored rating carries exactly the answers of the submission that won
    assert sorted(n for _, n in answers) in (
        [1] * len(answers) + [9] * 0,
        sorted(n for _, n in answers),
    )
    assert all(n in (1, 9) for _, n in answers) and len(answers) == rounds


def _prefixed(post: Any, base: str) -> Any:
    def call(url: str, **kwargs: Any) -> Any:
        kwargs.setdefault("timeout", 30)
        return post(base + url, **kwargs)

    return call


def login_requests(base: str) -> dict[str, str]:
    r = requests.post(
        f"{base}/api/v1/auth/login",
        json={"username": "siti", "password": "staff-password-1"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


def test_ikm_report_numbers_grade_weakest_and_minimum(
    client: TestClient, db: Database, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    service_id = unit.service_ids[0]
    with db.read() as conn:
        code = units.get_service(conn, unit_id=unit.id, service_id=service_id)["code"]
    scores = [
        {c: 4 for c in skm.SKM_CODES},
        {c: 3 for c in skm.SKM_CODES} | {"U3": 1},
        {c: 3 for c in skm.SKM_CODES if c != "U8"} | {"U3": 2},
    ]
    for s in scores:
        t = served_ticket(client, kiosk, staff, service_id, unit.counter_ids[0])
        ipak = {
            "questionnaire": "ipak",
            "version": 1,
            "answers": {"K1": 1, "K3": int(s["U1"] == 4)},
        }
        r = client.post(
            "/api/v1/ratings",
            json={"tracking_token": t["tracking_token"], "overall": 3,
                  "blocks": [skm_block(s), ipak]},
        )  # fmt: skip
        assert r.status_code == 201, r.text
    # one more served but not rated: 4 served, 3 respondents
    served_ticket(client, kiosk, staff, service_id, unit.counter_ids[0])
    supervisor = login(client)
    r = client.get(f"/api/v1/reports/ikm?from={_today()}&to={_today()}&service={code}",
                   headers=supervisor)  # fmt: skip
    assert r.status_code == 200, r.text
    report = r.json()
    by_code = {e["code"]: e for e in report["elements"]}
    # hand-computed: U3 = (4+1+2)/3 = 7/3; U8 = (4+3)/2 = 3.5; others (4+3+3)/3 = 10/3
    assert by_code["U3"]["nrr"] == round(7 / 3, 4) and by_code["U8"]["respondents"] == 2
    assert by_code["U8"]["nrr"] == 3.5 and by_code["U1"]["nrr"] == round(10 / 3, 4)
    # IKM = 25/9 * (7/3 + 7/2 + 7*10/3) = 25/9 * (14/6 + 21/6 + 140/6) = 25*175/54 = 81.0185..
    assert report["ikm"] == 81.02 and report["grade"]["letter"] == "B"
    assert report["weakest"][0] == "U3"
    assert (report["respondents"], report["served"]) == (3, 4)
    assert report["minimum_respondents"] == 4 and report["minimum_reached"] is False
    assert report["profile"]["sex"] == {"unknown": 3}
    assert report["ipak"] == [
        {"code": "K1", "respondents": 3, "yes": 3},
        {"code": "K3", "respondents": 3, "yes": 1},
    ]
    listed = client.get(
        f"/api/v1/ratings?from={_today()}&to={_today()}&contact_me=true", headers=supervisor
    )
    assert listed.status_code == 200 and listed.json() == []
    everything = client.get(f"/api/v1/ratings?from={_today()}&to={_today()}", headers=supervisor)
    assert len(everything.json()) == 3 and everything.json()[0]["service"] == code
    assert "name" not in everything.text
    # staff without the supervisor role may not read the report; bad periods are 422
    assert client.get(f"/api/v1/reports/ikm?from={_today()}&to={_today()}",
                      headers=staff).status_code == 403  # fmt: skip
    later = (_local_today() - timedelta(days=1)).isoformat()
    bad = client.get(f"/api/v1/reports/ikm?from={_today()}&to={later}", headers=supervisor)
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "bad_period"
    unknown = client.get(
        f"/api/v1/reports/ikm?from={_today()}&to={_today()}&service=NOPE", headers=supervisor
    )
    assert unknown.status_code == 404


def test_followup_plan_crud(client: TestClient, unit: Unit, staff: dict[str, str]) -> None:
    supervisor = login(client)
    body = {"element_code": "U3", "period_from": "2026-10-01", "period_to": "2026-12-31",
            "action": "Tambah petugas jam sibuk", "owner": "Kasubbag Umum",
            "due_date": "2027-01-31"}  # fmt: skip
    r = client.post("/api/v1/reports/ikm/followups", json=body, headers=supervisor)
    assert r.status_code == 201, r.text
    entry = r.json()
    assert entry["owner"] == "Kasubbag Umum" and entry["done"] is False
    assert client.post("/api/v1/reports/ikm/followups", json={**body, "element_code": "U10"},
                       headers=supervisor).status_code == 422  # fmt: skip
    assert client.post("/api/v1/reports/ikm/followups", json=body, headers=staff).status_code == 403
    patched = client.patch(
        f"/api/v1/reports/ikm/followups/{entry['id']}", json={"done": True}, headers=supervisor
    )
    assert patched.status_code == 200 and patched.json()["done"] is True
    listed = client.get(
        "/api/v1/reports/ikm/followups?from=2026-12-01&to=2026-12-31", headers=supervisor
    ).json()
    assert [e["id"] for e in listed] == [entry["id"]]
    assert (
        client.delete(
            f"/api/v1/reports/ikm/followups/{entry['id']}", headers=supervisor
        ).status_code
        == 204
    )
    assert (
        client.get(
            "/api/v1/reports/ikm/followups?from=2026-12-01&to=2026-12-31", headers=supervisor
        ).json()
        == []
    )
    assert (
        client.delete(
            f"/api/v1/reports/ikm/followups/{entry['id']}", headers=supervisor
        ).status_code
        == 404
    )


def test_contact_request_marked_handled_once_with_who_and_when(
    client: TestClient, db: Database, unit: Unit, kiosk: dict[str, str], staff: dict[str, str]
) -> None:
    admin = login(client)
    ticket = served_ticket(client, kiosk, staff, unit.service_ids[0], unit.counter_ids[0])
    r = client.post(
        "/api/v1/ratings",
        json={"tracking_token": ticket["tracking_token"], "overall": 1, "contact_me": True},
    )
    assert r.status_code == 201, r.text
    rating_id = r.json()["id"]
    period = {"from": _today(), "to": _today(), "contact_me": "true"}
    (row,) = client.get("/api/v1/ratings", params=period, headers=admin).json()
    assert row["contact_handled_at"] is None and row["contact_handled_by"] is None
    assert row["visit_id"] is None  # a ticket without the guestbook: no contact to open
    assert (
        client.post(f"/api/v1/ratings/{rating_id}/contact-handled", headers=staff).status_code
        == 403
    )
    first = client.post(f"/api/v1/ratings/{rating_id}/contact-handled", headers=admin)
    assert first.status_code == 200, first.text
    assert first.json()["contact_handled_by"] == "admin" and first.json()["contact_handled_at"]
    again = client.post(f"/api/v1/ratings/{rating_id}/contact-handled", headers=admin)
    assert again.json()["contact_handled_at"] == first.json()["contact_handled_at"]
    (row,) = client.get("/api/v1/ratings", params=period, headers=admin).json()
    assert row["contact_handled_by"] == "admin"
    # no guestbook visit: nothing personal was opened, so nothing goes to the audit log
    audit = client.get("/api/v1/audit", params={"action": "contact_handled"}, headers=admin)
    assert audit.status_code == 200 and audit.json() == []
    plain = served_ticket(client, kiosk, staff, unit.service_ids[0], unit.counter_ids[0])
    r = client.post(
        "/api/v1/ratings", json={"tracking_token": plain["tracking_token"], "overall": 4}
    )
    refused = client.post(f"/api/v1/ratings/{r.json()['id']}/contact-handled", headers=admin)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "not_a_contact_request"
    assert client.post("/api/v1/ratings/0/contact-handled", headers=admin).status_code == 422
    assert client.post("/api/v1/ratings/99999/contact-handled", headers=admin).status_code == 404
    client.cookies.clear()  # signing in set a session cookie: now nobody is signed in
    assert client.post(f"/api/v1/ratings/{rating_id}/contact-handled").status_code == 401
