"""The recommendation request form (MS-Keg metadata) as data, and its check.

The fields live in ``data/request_form.json`` (name, type ``text``/``int``/
``choice``/``list``, required, limits, choices), so an office can follow a
changed ROMANTIK form without a code change. :func:`validate_form` returns the
cleaned form and a map of field → problem code. Pure: no I/O beyond reading
the packaged data file.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "request_form.json"


@cache
def form_definition() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data


def _check(field: dict[str, Any], value: Any) -> tuple[Any, str | None]:
    kind = field["type"]
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int | str):
            return None, "not_a_number"
        try:
            number = int(value)
        except ValueError:
            return None, "not_a_number"
        if number < field.get("min", number) or number > field.get("max", number):
            return None, "out_of_range"
        return number, None
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None, "not_a_list"
        if len(value) > field.get("max", 100):
            return None, "too_many"
        if field.get("choices") and any(v not in field["choices"] for v in value):
            return None, "not_a_choice"
        return [v.strip()[:500] for v in value], None
    if not isinstance(value, str | int) or isinstance(value, bool):
        return None, "not_text"
    text = str(value).strip()
    if kind == "choice" and text not in field["choices"]:
        return None, "not_a_choice"
    if len(text) > field.get("max", 500):
        return None, "too_long"
    return text, None


def validate_form(values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """``(cleaned, errors)`` of a submitted form; unknown fields are errors too."""
    fields = {f["name"]: f for f in form_definition()["fields"]}
    errors = {name: "unknown_field" for name in values if name not in fields}
    cleaned: dict[str, Any] = {}
    for name, field in fields.items():
        value = values.get(name)
        if value is None or value == "" or value == []:
            if field.get("required"):
                errors[name] = "required"
            continue
        result, problem = _check(field, value)
        if problem:
            errors[name] = problem
        else:
            cleaned[name] = result
    return cleaned, errors
