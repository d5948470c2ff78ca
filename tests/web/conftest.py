"""Fixtures for the web tests: a real server and a real headless Chromium."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.server_harness import WebServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "web"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    live = WebServer(tmp_path_factory.mktemp("loket")).setup_web().start()
    yield live
    live.stop()


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[object]:
    from playwright import sync_api

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run scripts/setup --dev (it installs it)")
    with sync_api.sync_playwright() as p:
        yield p


def chromium_args(autoplay_policy: str) -> list[str]:
    return [*CHROMIUM_ARGS, f"--autoplay-policy={autoplay_policy}"]


@pytest.fixture(scope="session")
def browser(playwright_instance: object) -> Iterator[object]:
    """Chromium as a board in kiosk mode would run it: autoplay allowed.
    Tests of the refused-autoplay path use ``pages.new_strict_context``."""
    b = playwright_instance.chromium.launch(  # type: ignore[attr-defined]
        executable_path=CHROMIUM, args=chromium_args("no-user-gesture-required")
    )
    yield b
    b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def has_espeak() -> bool:
    return shutil.which("espeak-ng") is not None
