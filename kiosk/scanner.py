"""Read passport MRZ lines from a serial MRZ/barcode scanner.

The scanner sends the two 44-character TD3 lines, each terminated by CR, LF
or CR LF. :class:`MrzAssembler` (pure) turns a byte stream into line pairs;
:class:`ScannerReader` runs a pyserial read loop on a daemon thread and calls
``on_result`` with a checked :class:`~server.domain.identity.MrzInfo` or an
:class:`~server.domain.identity.IdentityError`. The callbacks run on the reader
thread: the app forwards them to the UI thread. MRZ contents are never logged.
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

Result = MrzInfo | IdentityError


class MrzAssembler:
    """Collects bytes into lines and pairs of MRZ lines."""

    def __init__(self) -> None:
        self._buffer = b""
        self._first: str | None = None

    def feed(self, data: bytes) -> list[tuple[str, str]]:
        """Add bytes; return every complete (line1, line2) pair seen so far."""
        self._buffer = (self._buffer + data)[-MAX_BUFFER:]
        *lines, self._buffer = _LINE_END.split(self._buffer)
        pairs: list[tuple[str, str]] = []
        for raw in lines:
            line = raw.decode("ascii", errors="replace").strip().upper()
            if not line:
                continue
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


class ScannerReader:
    """A background thread that reads a serial MRZ scanner until stopped."""

    def __init__(
        self, port: str, on_result: Callable[[Result], None], *, baudrate: int = 9600
    ) -> None:
        self.port = port
        self.baudrate = baudrate
        self.on_result = on_result
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="mrz-scanner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with serial.Serial(self.port, self.baudrate, timeout=0.3) as port:
                    log.info("MRZ scanner open on %s", self.port)
                    self._read(port)
            except (serial.SerialException, OSError) as error:
                log.warning("MRZ scanner on %s unavailable: %s", self.port, type(error).__name__)
                self._stop.wait(3.0)

    def _read(self, port: serial.Serial) -> None:
        assembler = MrzAssembler()
        while not self._stop.is_set():
            data = port.read(256)
            if not data:
                continue
            for line1, line2 in assembler.feed(data):
                self.on_result(parse_pair(line1, line2))
