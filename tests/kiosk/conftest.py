"""Fixtures for the kiosk tests: the real Loket server and a virtual serial printer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.kiosk.helpers import SerialPrinter
from tests.live import LiveServer


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = LiveServer(Path(tmp_path_factory.mktemp("loket"))).setup().start()
    yield server
    server.stop()


@pytest.fixture
def printer() -> Iterator[SerialPrinter]:
    device = SerialPrinter()
    yield device
    device.close()
