"""Real channels that play the printer: a socat serial pair and a TCP listener.

The test side answers ``DLE EOT n`` with the bytes a real printer sends
(``0x12`` when all is well) and records everything it receives.
"""

from __future__ import annotations

import re
import signal
import socket
import struct
import subprocess
import threading
import time
from collections.abc import Callable

import serial

ALL_OK = {1: 0x12, 2: 0x12, 4: 0x12}
PAPER_OUT = {1: 0x1A, 2: 0x32, 4: 0x72}
PAPER_NEAR_END = {1: 0x12, 2: 0x12, 4: 0x1E}
COVER_OPEN = {1: 0x1A, 2: 0x16, 4: 0x12}
QUERIES = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"


class StatusAnswerer:
    """Finds DLE EOT n in a growing stream and produces the answers."""

    def __init__(self, answers: dict[int, int] | None) -> None:
        self.answers = answers
        self.received = bytearray()
        self._scanned = 0

    def feed(self, chunk: bytes) -> bytes:
        self.received += chunk
        replies = bytearray()
        while True:
            index = self.received.find(b"\x10\x04", self._scanned)
            if index < 0 or index + 2 >= len(self.received):
                self._scanned = max(self._scanned, len(self.received) - 2, 0)
                return bytes(replies)
            n = self.received[index + 2]
            if self.answers is not None and n in self.answers:
                replies.append(self.answers[n])
            self._scanned = index + 3


class SocatPair:
    """Two linked pseudo-terminals from ``socat -d -d pty,raw,echo=0 pty,raw,echo=0``."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            ["socat", "-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"],
            stderr=subprocess.PIPE,
            text=True,
        )
        paths: list[str] = []
        assert self.process.stderr is not None
        while len(paths) < 2:
            line = self.process.stderr.readline()
            if not line:
                raise RuntimeError("socat exited before opening its ptys")
            match = re.search(r"PTY is (\S+)", line)
            if match:
                paths.append(match.group(1))
        self.printer_side, self.peer_side = paths
        # socat is ready once it logs that it starts transferring data
        for line in self.process.stderr:
            if "starting data transfer loop" in line:
                break

    def unplug(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(5)
        if self.process.stderr is not None:
            self.process.stderr.close()


class SerialPeer(threading.Thread):
    """Reads the far end of a socat pair like a printer, answering status queries."""

    def __init__(
        self,
        pair: SocatPair,
        answers: dict[int, int] | None = ALL_OK,
        unplug_after: int | None = None,
    ) -> None:
        super().__init__(daemon=True)
        self.pair = pair
        self.port = serial.Serial(pair.peer_side, 9600, timeout=0.05)
        self.answerer = StatusAnswerer(answers)
        self.unplug_after = unplug_after
        self.stopping = threading.Event()

    @property
    def received(self) -> bytes:
        return bytes(self.answerer.received)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                chunk = self.port.read(4096)
            except serial.SerialException:
                return
            if not chunk:
                continue
            reply = self.answerer.feed(chunk)
            if self.unplug_after is not None and len(self.received) >= self.unplug_after:
                self.pair.unplug()
                return
            if reply:
                self.port.write(reply)

    def stop(self) -> None:
        self.stopping.set()
        self.join(5)
        self.port.close()


class NetworkPrinter(threading.Thread):
    """A TCP listener on 127.0.0.1 that behaves like a port-9100 printer.

    ``mode``: ``"answer"`` reads and answers status queries; ``"silent"``
    accepts and never reads nor answers; ``"hang_up"`` closes the
    connection (RST) after ``hang_up_after`` bytes.
    """

    def __init__(
        self,
        answers: dict[int, int] | None = ALL_OK,
        mode: str = "answer",
        hang_up_after: int = 0,
    ) -> None:
        super().__init__(daemon=True)
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.answerer = StatusAnswerer(answers)
        self.mode = mode
        self.hang_up_after = hang_up_after
        self.stopping = threading.Event()
        self.connections = 0
        self._open: list[socket.socket] = []
        self.start()

    @property
    def url(self) -> str:
        return f"network://127.0.0.1:{self.port}"

    @property
    def received(self) -> bytes:
        return bytes(self.answerer.received)

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            self._open.append(conn)
            if self.mode != "silent":
                self._serve(conn)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.2)
        with conn:
            while not self.stopping.is_set():
                try:
                    chunk = conn.recv(4096)
                except TimeoutError:
                    continue
                except OSError:
                    return
                if not chunk:
                    return
                reply = self.answerer.feed(chunk)
                if self.mode == "hang_up" and len(self.received) >= self.hang_up_after:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    return
                if reply:
                    conn.sendall(reply)

    def stop(self) -> None:
        self.stopping.set()
        self.join(5)
        for conn in self._open:
            conn.close()
        self.server.close()


def wait_until(condition: Callable[[], bool], seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()
