"""Turns a :class:`server.domain.reports.Table` into what people read, in one language.

Titles, column headings and category names come from the ``reports`` catalog;
guestbook category names come from the ``privacy`` catalog that labels the
kiosk form (a code without a label is shown as the code). The result is the
one labelled form the JSON API, the pages and both exports share.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from server.domain.reports import PROFILE_FIELDS, UNKNOWN, Column, Table
from server.i18n import t


@dataclass(frozen=True)
class LabelledTable:
    id: str
    title: str
    sheet: str
    chart: str
    columns: list[dict[str, str]]
    rows: list[list[Any]]


def _label_or_code(key: str, code: str, lang: str) -> str:
    text = t(key, lang)
    return code if text == key else text


def category_label(kind: str, value: Any, lang: str) -> Any:
    """The readable name of one row key (service, metric, weekday, guestbook category)."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("id") or ""
    if value == UNKNOWN:
        return t("reports.unknown", lang)
    if kind == "service" and value == "all":
        return t("reports.all_services", lang)
    if kind in PROFILE_FIELDS:
        return _label_or_code(f"privacy.{kind}_{value}", str(value), lang)
    if kind == "case_kind":
        return _label_or_code(f"cases.kind_{value}", str(value), lang)
    if kind in ("metric", "visitor_type", "weekday"):
        return _label_or_code(f"reports.{kind}_{value}", str(value), lang)
    return value


def column_label(column: Column, lang: str) -> str:
    if column.key.startswith("h") and column.key[1:].isdigit():
        return f"{column.key[1:]}.00"
    return _label_or_code(f"reports.col_{column.key}", column.key, lang)


def label_table(table: Table, lang: str) -> LabelledTable:
    rows = [
        [category_label(table.key_kind, row[0], lang), *row[1:]] if table.key_kind else list(row)
        for row in table.rows
    ]
    return LabelledTable(
        id=table.id,
        title=t(f"reports.table_{table.id}", lang),
        sheet=_label_or_code(
            f"reports.sheet_{table.id}", t(f"reports.table_{table.id}", lang), lang
        ),
        chart=table.chart,
        columns=[
            {
                "key": c.key,
                "kind": c.kind,
                "label": category_label("service", table.column_names[c.key], lang)
                if c.key in table.column_names
                else column_label(c, lang),
            }
            for c in table.columns
        ],
        rows=rows,
    )
