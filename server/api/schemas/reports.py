"""Response bodies of the reports API (``/api/v1/reports/...``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel


class PeriodOut(BaseModel):
    kind: str
    start: date
    end: date
    label: str


class ColumnOut(BaseModel):
    key: str
    kind: str
    label: str


class TableOut(BaseModel):
    id: str
    title: str
    chart: str
    columns: list[ColumnOut]
    rows: list[list[Any]]


class PeriodReportOut(BaseModel):
    unit_code: str
    unit_name: str
    period: PeriodOut
    tables: list[TableOut]


class TodayServiceOut(BaseModel):
    service_id: int
    prefix: str
    name: str
    waiting: int
    issued: int
    served: int
    no_show: int
    wait_median_minutes: float | None
    wait_longest_minutes: float | None


class TodayCounterOut(BaseModel):
    counter_id: int
    number: int
    name: str
    state: str
    staff: str | None
    ticket: str | None


class DeviceAlertOut(BaseModel):
    device: str
    kind: str
    problem: str
    message: str


class TodayOut(BaseModel):
    day: date
    services: list[TodayServiceOut]
    counters: list[TodayCounterOut]
    alerts: list[DeviceAlertOut]
