"""Compose an e-mail (subject, plain text, simple HTML) from the ``cases`` catalogs.

A message is a template name plus parameters; every sentence comes from
``server/i18n/catalogs/cases.<lang>.json`` in the visitor's language. The HTML
part is the same paragraphs, escaped, with the tracking link clickable. No
personal value is put into a message except what the recipient gave us.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from server.i18n import normalise_language, t


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Office:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""


def compose(
    template: str,
    lang: str | None,
    *,
    office: Office,
    link: str | None = None,
    lines: list[str] | None = None,
    body_key: str | None = None,
    **params: Any,
) -> Composed:
    """The message ``template`` (``mail_<template>_subject`` / ``_body``) in ``lang``."""
    language = normalise_language(lang)
    values = {"office": office.name, **{k: "" if v is None else v for k, v in params.items()}}
    subject = t(f"cases.mail_{template}_subject", language, **values)
    body = t(f"cases.{body_key or f'mail_{template}_body'}", language, **values)
    paragraphs = [t("cases.mail_greeting", language), body]
    footer = t(
        "cases.mail_footer",
        language,
        office=office.name,
        address=office.address,
        phone=office.phone,
        email=office.email,
    )
    text_parts = [*paragraphs, *(f"- {line}" for line in lines or [])]
    html_parts = [f"<p>{html.escape(p)}</p>" for p in paragraphs]
    if lines:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        html_parts.append(f"<ul>{items}</ul>")
    if link:
        text_parts.append(t("cases.mail_track", language, link=link))
        anchor = f'<a href="{html.escape(link, quote=True)}">{html.escape(link)}</a>'
        html_parts.append(
            "<p>"
            + html.escape(t("cases.mail_track", language, link="\0")).replace("\0", anchor)
            + "</p>"
        )
    auto = t("cases.mail_auto", language)
    text_parts += ["--", footer, auto]
    html_parts.append(f"<hr><p><small>{html.escape(footer)}<br>{html.escape(auto)}</small></p>")
    text = "\n\n".join(text_parts) + "\n"
    page = f'<html lang="{language}"><body>' + "".join(html_parts) + "</body></html>"
    return Composed(subject=subject, text=text, html=page)
