"""An ASGI factory for running the real server under uvicorn in tests."""

from __future__ import annotations

import logging

from fastapi import FastAPI

from server.api.app import create_app
from server.config import Settings


def app() -> FastAPI:
    """The app with every logger at DEBUG (SQLAlchemy statements and parameters too)."""
    logging.basicConfig(level=logging.DEBUG, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("sqlalchemy").setLevel(logging.DEBUG)
    return create_app(Settings())
