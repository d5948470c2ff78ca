"""Serial scanners of both touch apps: the kiosk's passport MRZ, the rating terminal's ticket QR.

A scanner in serial mode sends what it read followed by CR, LF or CR LF.
:class:`SerialReader` is the one read loop (pyserial on a daemon thread,
reopening a missing port every 3 s) and :class:`LineBuffer` the one line
splitter; the decoders on top are pure:

- :class:`MrzAssembler` pairs the two 44-character TD3 lines of a passport;
  :class:`MrzReader` calls ``on_result`` with a checked
  :class:`~server.domain.identity.MrzInfo` or an
  :class:`~server.domain.identity.IdentityError`.
- :func:`token_from_scan` reads the ticket's tracking URL (``.../t/<token>``)
  or a bare token; :class:`QrReader` calls ``on_scan`` with the token, or
  ``None`` for a code that is not a Loket ticket. The camera reader
  (:class:`kiosk.camera.QrCamera`) decodes frames into the same calls.

The callbacks run on the reader thread: the apps forward them to the UI
thread. What was scanned is never logged.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable

import serial

from server.domain.identity import IdentityError, MrzInfo, parse_mrz_td3

log = logging.getLogger(__name__)

_LINE_END = re.compile(rb"\r\n|\r|\n")
MRZ_LINE = 44
MAX_BUFFER = 4096
REOPEN_SECONDS = 3.0

Result = MrzInfo | IdentityError
#: what a ticket scan gives the rating terminal: the tracking token, or None (not a ticket)
Scan = str | None

_URL = re.compile(r"/t/([A-Za-z0-9_-]{8,64})(?:[/?#].*)?$")
_BARE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class LineBuffer:
    """Collects bytes and hands back every complete, non-empty line."""

    def __init__(self, encoding: str = "utf-8") -> None:
        self.encoding = encoding
        self._buffer = b""

    def feed(self, data: bytes) -> list[str]:
        self._buffer = (self._buffer + data)[-MAX_BUFFER:]
        *lines, self._buffer = _LINE_END.split(self._buffer)
        decoded = (raw.decode(self.encoding, errors="replace").strip() for raw in lines)
        return [line for line in decoded if line]


class MrzAssembler:
    """Collects bytes into lines and pairs of MRZ lines."""

    def __init__(self) -> None:
        self._lines = LineBuffer("ascii")
        self._first: str | None = None

    def feed(self, data: bytes) -> list[tuple[str, str]]:
        """Add bytes; return every complete (line1, line2) pair seen so far."""
        pairs: list[tuple[str, str]] = []
        for line in (raw.upper() for raw in self._lines.feed(data)):
            if len(line) == MRZ_LINE and line.startswith("P") and self._first is None:
                self._first = line
            elif self._first is not None:
                pairs.append((self._first, line))
                self._first = None
            else:
                pairs.append(("", line))  # a stray line: reported as a length error
        return pairs


def parse_pair(line1: str, line2: str) -> Result:
    try:
        return parse_mrz_td3(line1, line2)
    except IdentityError as error:
        return error


def token_from_scan(text: str) -> Scan:
    """The tracking token in a scanned ticket QR, or None if it is not a Loket ticket."""
    text = text.strip()
    found = _URL.search(text)
    if found:
        return found.group(1)
    return text if _BARE.match(text) else None


class SerialReader:
    """A background thread that reads a serial scanner until stopped; subclasses decode."""

    label = "scanner"

    def __init__(self, port: str, *, baudrate: int = 9600) -> None:
        self.port = port
        self.baudrate = baudrate
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.label, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def opened(self) -> None:
        """The port (re)opened: forget half-read input (override)."""

    def feed(self, data: bytes) -> None:
        """Bytes arrived (override)."""
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with serial.Serial(self.port, self.baudrate, timeout=0.3) as port:
                    log.info("%s open on %s", self.label, self.port)
                    self.opened()
                    self._read(port)
            except (serial.SerialException, OSError) as error:
                log.warning("%s on %s unavailable: %s", self.label, self.port, type(error).__name__)
                self._stop.wait(REOPEN_SECONDS)

    def _read(self, port: serial.Serial) -> None:
        while not self._stop.is_set():
            data = port.read(256)
            if data:
                self.feed(data)


class MrzReader(SerialReader):
    """The kiosk's passport MRZ scanner."""

    label = "MRZ scanner"

    def __init__(
        self, port: str, on_result: Callable[[Result], None], *, baudrate: int = 9600
    ) -> None:
        super().__init__(port, baudrate=baudrate)
        self.on_result = on_result
        self._assembler = MrzAssembler()

    def opened(self) -> None:
        self._assembler = MrzAssembler()

    def feed(self, data: bytes) -> None:
        for line1, line2 in self._assembler.feed(data):
            self.on_result(parse_pair(line1, line2))


class QrReader(SerialReader):
    """The rating terminal's ticket QR scanner."""

    label = "QR scanner"

    def __init__(self, port: str, on_scan: Callable[[Scan], None], *, baudrate: int = 9600) -> None:
        super().__init__(port, baudrate=baudrate)
        self.on_scan = on_scan
        self._lines = LineBuffer()

    def opened(self) -> None:
        self._lines = LineBuffer()

    def feed(self, data: bytes) -> None:
        for line in self._lines.feed(data):
            self.on_scan(token_from_scan(line))
