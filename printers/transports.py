"""Byte links to a printer, built on python-escpos printer classes.

A :class:`Link` only moves bytes: ``send`` a rendered ticket, ``ask`` one
real-time status byte, ``close``. Serial, network and USB links wrap the
python-escpos ``Serial``, ``Network`` and ``Usb`` classes (with bounded
timeouts); the file link writes through python-escpos ``File`` on a worker
thread, because a device file can block forever. Every library or OS error
leaves this module as a typed :class:`~printers.errors.PrinterError`.
"""

from __future__ import annotations

import logging
import socket
import termios
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import serial
from escpos.constants import RT_STATUS
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError
from escpos.exceptions import Error as EscposError
from escpos.printer import File, Network, Serial, Usb

from printers import urls
from printers.errors import (
    PrinterBackendMissing,
    PrinterError,
    PrinterNotConnected,
    PrinterTimeout,
)
from printers.urls import PrinterURL

log = logging.getLogger(__name__)

#: bytes per write, so a lost printer is noticed within one chunk
CHUNK_SIZE = 512


class _BoundedSerial(Serial):
    """python-escpos Serial with a write timeout, RTS/CTS and one-byte status reads."""

    def __init__(self, *, rtscts: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.rtscts = rtscts

    def open(self, raise_not_found: bool = True) -> None:
        super().open(raise_not_found)
        if self._device:
            self._device.write_timeout = self.timeout
            self._device.rtscts = self.rtscts

    def _read(self) -> bytes:
        assert self.device
        return bytes(self.device.read(1))

    def discard_output(self) -> None:
        """Drop unsent bytes so closing never waits on a stuck port."""
        if self._device and self._device.is_open:
            self._device.reset_output_buffer()


class _OneByteNetwork(Network):
    """python-escpos Network; reads one status byte, notices a closed peer."""

    def _read(self) -> bytes:
        assert self.device
        data = bytes(self.device.recv(1))
        if not data:
            raise ConnectionResetError("the printer closed the connection")
        return data

    def drain_input(self) -> None:
        """Discard stale bytes (late status answers) before a new question."""
        sock = self.device
        assert isinstance(sock, socket.socket)
        sock.setblocking(False)
        try:
            while True:
                if not sock.recv(256):
                    raise ConnectionResetError("the printer closed the connection")
        except BlockingIOError:
            pass
        finally:
            sock.settimeout(self.timeout)


def _translate(exc: BaseException, where: str) -> PrinterError:
    """Map a library or OS error to the typed error staff understand."""
    if isinstance(exc, PrinterError):
        return exc
    cause = exc.__context__ if isinstance(exc, DeviceNotFoundError) else exc
    name = type(exc).__name__
    if isinstance(cause, (TimeoutError, serial.SerialTimeoutException)) or "Timeout" in name:
        return PrinterTimeout(f"The {where} did not respond in time.")
    if isinstance(exc, DeviceNotFoundError):
        return PrinterNotConnected(f"Cannot reach the {where}; check cable and power.")
    return PrinterNotConnected(f"Lost the connection to the {where} ({exc}).")


class Link:
    """A python-escpos printer object used only to move bytes."""

    def __init__(self, printer: Escpos, where: str, *, can_answer: bool) -> None:
        self.printer = printer
        self.where = where
        self.can_answer = can_answer

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            self.abort()
            raise _translate(exc, self.where) from exc

    def send(self, data: bytes) -> None:
        """Write ``data`` in chunks; raise a typed error if the printer goes away."""
        with self._guard():
            for start in range(0, len(data), CHUNK_SIZE):
                self.printer._raw(data[start : start + CHUNK_SIZE])

    def ask(self, n: int) -> int:
        """Send ``DLE EOT n`` and return the one-byte answer."""
        with self._guard():
            if isinstance(self.printer, _OneByteNetwork):
                self.printer.device  # noqa: B018 - the property opens the connection
                self.printer.drain_input()
            elif isinstance(self.printer, _BoundedSerial) and self.printer.device:
                self.printer.device.reset_input_buffer()
            answer = self.printer.query_status(RT_STATUS + bytes([n]))
        if not answer:
            raise PrinterTimeout(f"The {self.where} did not answer the status query.")
        return answer[0]

    def connect(self) -> None:
        """Open the connection now (python-escpos opens lazily)."""
        with self._guard():
            self.printer.device  # noqa: B018 - the property opens the connection

    def abort(self) -> None:
        """Close after a failure, discarding anything still queued; never raises."""
        try:
            if isinstance(self.printer, _BoundedSerial):
                self.printer.discard_output()
            self.printer.close()
        except (OSError, termios.error, EscposError) as exc:
            # The connection is already broken (an unplugged serial port raises termios.error);
            # the caller is reporting the first error.
            log.debug("Printer close after a failure also failed: %s", type(exc).__name__)
        finally:
            self._forget()

    def _forget(self) -> None:
        # python-escpos leaves ``None`` after a failed open and then never retries;
        # ``False`` makes the next use open the connection afresh
        self.printer.device = False

    def close(self) -> None:
        """Close the connection; raise a typed error if closing fails."""
        with self._guard():
            self.printer.close()
        self._forget()


class FileLink(Link):
    """Writes to a path or device file on a worker thread with a deadline."""

    def __init__(self, path: str, where: str, timeout: float) -> None:
        super().__init__(File(devfile=path), where, can_answer=False)
        self.timeout = timeout

    def send(self, data: bytes) -> None:
        errors: list[BaseException] = []

        def write() -> None:
            try:
                Link.send(self, data)
                self.printer.close()
            except BaseException as exc:
                errors.append(exc)

        worker = threading.Thread(target=write, name="loket-file-printer", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise PrinterTimeout(f"The {self.where} did not accept the ticket in time.")
        if errors:
            raise _translate(errors[0], self.where)


def _usb_printer(url: PrinterURL, timeout: float, profile: str) -> Escpos:
    if not Usb.is_usable():
        raise PrinterBackendMissing(
            "USB printing needs the pyusb library: install it with pip install 'loket[usb]'."
        )
    vid, pid = urls.usb_ids(url)
    in_ep, out_ep = urls.usb_endpoints(url)
    return Usb(vid, pid, timeout=int(timeout * 1000), in_ep=in_ep, out_ep=out_ep, profile=profile)


def _serial_printer(url: PrinterURL, timeout: float, profile: str) -> Escpos:
    flow = urls.flow_control(url)
    return _BoundedSerial(
        devfile=url.target,
        baudrate=urls.baudrate(url),
        timeout=timeout,
        xonxoff=flow == "xonxoff",
        dsrdtr=flow == "dsrdtr",
        rtscts=flow == "rtscts",
        profile=profile,
    )


def _network_printer(url: PrinterURL, timeout: float, profile: str) -> Escpos:
    return _OneByteNetwork(host=url.target, port=url.port, timeout=timeout, profile=profile)


_BUILDERS: dict[str, Callable[[PrinterURL, float, str], Escpos]] = {
    "usb": _usb_printer,
    "serial": _serial_printer,
    "network": _network_printer,
}


def open_link(url: PrinterURL, *, timeout: float, profile: str) -> Link:
    """Build (but do not yet connect) the link for ``url``."""
    where = url.describe()
    if url.scheme == "file":
        return FileLink(url.target, where, timeout)
    builder = _BUILDERS.get(url.scheme)
    if builder is None:
        raise ValueError(f"no byte link for {url.scheme}:// printers")
    printer: Any = builder(url, timeout, profile)
    return Link(printer, where, can_answer=url.ask_status)
