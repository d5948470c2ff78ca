"""Visitor-facing text: the ``kiosk`` catalogs in ``server/i18n/catalogs``.

:func:`tr` looks up ``kiosk.<name>`` in the visitor's language; :func:`error_text`
turns an error code from the identity rules, the form checks or the server
into a plain sentence that says how to fix the input, falling back to a
generic sentence for codes the catalog does not know.
"""

from __future__ import annotations

from typing import Any

from server.i18n import catalog, t

NAMESPACE = "kiosk"


def tr(name: str, language: str, **params: Any) -> str:
    """The catalog text ``kiosk.<name>`` in ``language``."""
    return t(f"{NAMESPACE}.{name}", language, **params)


def error_text(code: str | None, language: str) -> str:
    """A fix-it sentence for an error code; empty for no error."""
    if not code:
        return ""
    name = f"err_{code}"
    if name in catalog(NAMESPACE, language):
        return tr(name, language)
    return tr("err_generic", language)
