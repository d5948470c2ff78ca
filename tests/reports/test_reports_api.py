"""The reports API: access, the month's tables as JSON, CSV and XLSX (cell by cell), bad input."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from bench.seed_year import STAFF_PASSWORD
from tests.reports.conftest import login
from tests.reports.month import SUPERVISOR_PASSWORD

MONTH = {"period": "month", "date": "2026-11-15", "lang": "en"}
URLS = [
    "/api/v1/reports/period",
    "/api/v1/reports/period.xlsx",
    "/api/v1/reports/period/services.csv",
    "/api/v1/reports/today",
]


@pytest.fixture
def boss(client: TestClient) -> dict[str, str]:
    return login(client, "kepala", SUPERVISOR_PASSWORD)


def test_access_anonymous_401_staff_403(client: TestClient) -> None:
    staff = login(client, "petugas1", STAFF_PASSWORD)
    boss = login(client, "kepala", SUPERVISOR_PASSWORD)
    client.cookies.clear()  # sign-in set the session cookie; test the bearer tokens alone
    for url in URLS:
        assert client.get(url, params=MONTH).status_code == 401, url
        r = client.get(url, params=MONTH, headers=staff)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", url
        assert client.get(url, params=MONTH, headers=boss).status_code == 200, url
    client.cookies.clear()
    page = client.get("/reports/period")
    assert page.status_code == 401 and "Masuk dahulu di konsol" in page.text
    client.cookies.set("loket_session", staff["Authorization"][7:])
    page = client.get("/reports/period?lang=en")
    assert page.status_code == 403 and "may not see reports" in page.text
    client.cookies.set("loket_session", boss["Authorization"][7:])
    assert client.get("/reports").status_code == 200
    assert client.get("/reports/period").status_code == 200


def test_period_json(client: TestClient, boss: dict[str, str]) -> None:
    body = client.get("/api/v1/reports/period", params=MONTH, headers=boss).json()
    assert body["unit_code"] == "1906"
    assert body["period"] == {
        "kind": "month",
        "start": "2026-11-01",
        "end": "2026-11-30",
        "label": "2026-11",
    }
    tables = {t["id"]: t for t in body["tables"]}
    services = tables["services"]
    assert services["title"] == "Visitors by service"
    assert [c["label"] for c in services["columns"]][:3] == ["Service", "Tickets", "Served"]
    assert services["rows"][1][:4] == ["Statistical Consultation", 3, 2, 1]
    assert dict(tables["sex"]["rows"]) == {"Female": 5, "Male": "< 3"}
    assert dict(tables["visitor_type"]["rows"]) == {"First visit": 6, "Returning": "< 3"}
    summary = dict(tables["summary"]["rows"])
    assert summary["Tickets issued"] == 7 and summary["No-show rate (%)"] == 20.0
    heat = {r[0]: r for r in tables["heatmap"]["rows"]}
    assert list(heat) == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ]
    indonesian = client.get("/api/v1/reports/period", params={**MONTH, "lang": "id"}, headers=boss)
    sex = next(t for t in indonesian.json()["tables"] if t["id"] == "sex")
    assert sex["title"] == "Pengunjung per jenis kelamin"
    assert dict(sex["rows"]) == {"Perempuan": 5, "Laki-laki": "< 3"}


def _sheet(wb: Any, title: str) -> list[list[Any]]:
    return [list(row) for row in wb[title].iter_rows(values_only=True)]


def test_xlsx_cell_by_cell(client: TestClient, boss: dict[str, str]) -> None:
    r = client.get("/api/v1/reports/period.xlsx", params=MONTH, headers=boss)
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="loket-1906-2026-11.xlsx"'
    wb = load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames[:3] == ["Summary", "Visitors by service", "Times by service"]
    assert len(wb.sheetnames) == 18  # 14 queue and guestbook tables, 2 IKM, cases, complaints
    services = _sheet(wb, "Visitors by service")
    assert services[0] == [
        "Service",
        "Tickets",
        "Served",
        "No-shows",
        "Cancelled",
        "No-show rate (%)",
        "Priority",
        "Priority share (%)",
    ]
    assert services[1] == ["Library", 2, 2, 0, 0, 0, 0, 0]
    assert services[2] == ["Statistical Consultation", 3, 2, 1, 0, 33.3, 1, 33.3]
    assert services[3] == ["Statistical Products Sales", 1, 0, 0, 1, None, 0, 0]
    assert services[4] == ["Statistical Activity Recommendation", 1, 0, 0, 0, None, 0, 0]
    ws = wb["Visitors by service"]
    assert ws["B3"].data_type == "n" and isinstance(ws["B3"].value, int)
    assert ws["A1"].font.b is True
    daily = _sheet(wb, "Tickets per day")
    assert daily[0] == ["Day", "Tickets", "Served"]
    assert daily[1] == [datetime(2026, 11, 1), 1, 0]
    assert wb["Tickets per day"]["A2"].is_date
    assert daily[-1] == [datetime(2026, 11, 30), 1, 0]
    assert _sheet(wb, "Visitors by sex") == [["Sex", "Visits"], ["Female", 5], ["Male", "< 3"]]
    counters = _sheet(wb, "Times by counter")
    assert counters[1] == ["Loket 1", 3, 5, 15, 10, 15]


def test_csv(client: TestClient, boss: dict[str, str]) -> None:
    r = client.get("/api/v1/reports/period/sex.csv", params=MONTH, headers=boss)
    assert r.status_code == 200
    assert r.headers["content-disposition"] == 'attachment; filename="loket-1906-2026-11-sex.csv"'
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows == [["Sex", "Visits"], ["Female", "5"], ["Male", "< 3"]]
    daily = client.get("/api/v1/reports/period/daily.csv", params=MONTH, headers=boss).text
    assert "2026-11-02,3,2" in daily


def test_bad_input_is_4xx(client: TestClient, boss: dict[str, str]) -> None:
    cases = [
        ({"period": "decade"}, 422),
        ({"period": "range", "start": "2026-11-01"}, 422),
        ({"period": "range", "start": "2026-11-30", "end": "2026-11-01"}, 422),
        ({"period": "range", "start": "2020-01-01", "end": "2026-11-01"}, 422),
        ({"period": "month", "date": "2026-13-01"}, 422),
    ]
    for params, status in cases:
        r = client.get("/api/v1/reports/period", params=params, headers=boss)
        assert r.status_code == status, (params, r.text)
        assert "error" in r.json()
    r = client.get("/api/v1/reports/period/nothing.csv", headers=boss)
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_report_table"
    ok = client.get(
        "/api/v1/reports/period",
        params={"period": "range", "start": "2026-11-02", "end": "2026-11-03"},
        headers=boss,
    )
    summary = dict(next(t for t in ok.json()["tables"] if t["id"] == "summary")["rows"])
    assert summary["Tiket diterbitkan"] == 4  # v1, v2, v3 on the 2nd and v4 on the 3rd


def test_today_api(client: TestClient, boss: dict[str, str]) -> None:
    body = client.get("/api/v1/reports/today", params={"lang": "en"}, headers=boss).json()
    assert date.fromisoformat(body["day"])
    by = {s["prefix"]: s for s in body["services"]}
    assert by["R"]["waiting"] == 1 and by["R"]["name"] == "Statistical Activity Recommendation"
    assert [c["name"] for c in body["counters"]] == ["Loket 1", "Loket 2", "Loket 3"]
    assert body["alerts"] == []
