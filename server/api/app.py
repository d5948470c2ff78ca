"""Builds the FastAPI application; nothing else happens here."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from server import __version__
from server.api.errors import install_error_handlers
from server.api.limits import BodySizeLimit
from server.api.routes import admin, auth, devices, events, health, queue, tickets, unit
from server.api.routes import calendar as calendar_routes
from server.api.routes import cases as case_routes
from server.api.routes import mail as mail_routes
from server.api.routes import ratings as rating_routes
from server.api.routes import reports as report_routes
from server.auth.cache import PrincipalCache
from server.auth.throttle import LoginThrottle
from server.config import Settings
from server.db.database import Database, create_db_engine
from server.events.notifier import Notifier
from server.events.pg_listener import PostgresListener
from server.events.reader import SharedEventReader
from server.mail.lifecycle import start_mail_jobs
from server.privacy import routes as privacy_routes
from server.privacy.retention import start_retention_job
from server.web.pages import admin as admin_pages
from server.web.pages import cases as case_pages
from server.web.pages import queue as queue_pages
from server.web.pages import ratings as rating_pages
from server.web.pages import reports as report_pages

API_PREFIX = "/api/v1"


def create_app(settings: Settings, *, db: Database | None = None) -> FastAPI:
    """The whole server as an ASGI app. ``db`` lets tests share an engine."""
    notifier = Notifier()
    if db is None:
        engine = create_db_engine(
            settings.sqlalchemy_url, sqlite_synchronous=settings.sqlite_synchronous
        )
        db = Database(engine)
    db.on_change = notifier.wake
    database = db

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        notifier.bind(asyncio.get_running_loop())
        listener = None
        if database.is_postgres:
            listener = PostgresListener(settings.sqlalchemy_url, notifier)
            listener.start()
        retention = start_retention_job(database, settings)
        stop_mail = start_mail_jobs(_app)
        try:
            yield
        finally:
            stop_mail()
            retention.cancel()
            if listener is not None:
                listener.stop()

    app = FastAPI(
        title="Loket",
        version=__version__,
        lifespan=lifespan,
        description="Queue, kiosk and service-tracking API for BPS PST desks.",
    )
    app.state.settings = settings
    app.state.db = database
    app.state.notifier = notifier
    app.state.principal_cache = PrincipalCache()
    app.state.event_reader = SharedEventReader(database, notifier)
    app.state.login_throttle = LoginThrottle(
        max_failures=settings.login_max_failures, window_seconds=settings.login_window_seconds
    )
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)

    # The JSON API, busiest first: FastAPI matches a request against the routes in
    # the order they were included, so the kiosk's and counters' calls come first.
    # Each router gets the prefix itself: FastAPI checks a prefix-less include by
    # building every route's request handling once more (0.25 s of the start).
    for module in (tickets, queue, events, devices, health, auth, unit):
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(privacy_routes.router, prefix=API_PREFIX)
    for feature in (case_routes, calendar_routes, mail_routes):
        app.include_router(feature.router, prefix=API_PREFIX)
    app.include_router(rating_routes.router, prefix=API_PREFIX)
    app.include_router(report_routes.router, prefix=API_PREFIX)
    app.include_router(admin.router, prefix=API_PREFIX)
    app.include_router(case_pages.router)
    app.include_router(queue_pages.router)
    app.include_router(report_pages.router)
    app.include_router(rating_pages.router)
    app.include_router(admin_pages.router)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/console")

    return app
