"""Read ticket QR codes from a serial barcode scanner.

A scanner in keyboard-less serial mode sends what it read followed by CR
and/or LF. :func:`token_from_scan` (pure) accepts the ticket's tracking URL
(``.../t/<token>``) or a bare token; :class:`QrScannerReader` reads lines on a
daemon thread and calls ``on_scan`` with the token or ``None`` for an
unreadable code. Scanned content is never logged.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable

import serial

log = logging.getLogger(__name__)

_URL = re.compile(r"/t/([A-Za-z0-9_-]{8,64})(?:[/?#].*)?$")
_BARE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_LINE_END = re.compile(rb"\r\n|\r|\n")


def token_from_scan(text: str) -> str | None:
    """The tracking token in a scanned ticket QR, or None if it is not a Loket ticket."""
    text = text.strip()
    found = _URL.search(text)
    if found:
        return found.group(1)
    return text if _BARE.match(text) else None


class QrScannerReader:
    """A background thread that reads scanned lines until stopped."""

    def __init__(
        self, port: str, on_scan: Callable[[str | None], None], *, baudrate: int = 9600
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.on_scan = on_scan
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="qr-scanner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with serial.Serial(self.port, self.baudrate, timeout=0.3) as port:
                    log.info("QR scanner open on %s", self.port)
                    self._read(port)
            except (serial.SerialException, OSError) as error:
                log.warning("QR scanner on %s unavailable: %s", self.port, type(error).__name__)
                self._stop.wait(3.0)

    def _read(self, port: serial.Serial) -> None:
        buffer = b""
        while not self._stop.is_set():
            data = port.read(256)
            if not data:
                continue
            buffer = (buffer + data)[-4096:]
            *lines, buffer = _LINE_END.split(buffer)
            for raw in lines:
                text = raw.decode("utf-8", errors="replace").strip()
                if text:
                    self.on_scan(token_from_scan(text))
