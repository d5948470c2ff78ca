"""Parse a printer URL into a typed configuration.

Supported forms (query parameters are optional)::

    usb://04b8:0202?in_ep=0x82&out_ep=0x01
    serial:///dev/ttyUSB0?baudrate=19200&flow=none|dsrdtr|rtscts|xonxoff
    network://192.168.1.50:9100
    file:///dev/usb/lp0
    preview:///var/lib/loket/tickets

Every form also takes ``paper=58mm|80mm``, ``profile=<python-escpos profile>``
and ``status=on|off`` (off: do not ask the printer for its status, for
printers that never answer ``DLE EOT``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, cast
from urllib.parse import parse_qs, urlsplit

from printers.errors import PrinterConfigError

Scheme = Literal["usb", "serial", "network", "file", "preview"]
SCHEMES: tuple[Scheme, ...] = ("usb", "serial", "network", "file", "preview")
FLOW_CONTROLS = ("none", "dsrdtr", "rtscts", "xonxoff")
DEFAULT_NETWORK_PORT = 9100
DEFAULT_BAUDRATE = 9600


@dataclass(frozen=True)
class PrinterURL:
    """A parsed printer URL; ``target`` is a path, ``host`` or ``VID:PID``."""

    scheme: Scheme
    target: str
    port: int | None = None
    paper: str | None = None
    profile: str | None = None
    ask_status: bool = True
    options: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """Short form for messages to staff."""
        where = f"{self.target}:{self.port}" if self.port else self.target
        return f"{self.scheme} printer {where}"


def _int_option(options: dict[str, str], name: str, default: int, base: int = 10) -> int:
    raw = options.get(name)
    if raw is None:
        return default
    try:
        return int(raw, 0 if base == 16 else base)
    except ValueError:
        raise PrinterConfigError(f"Printer URL option {name}={raw!r} is not a number.") from None


def baudrate(url: PrinterURL) -> int:
    """Serial speed from ``?baudrate=`` (default 9600)."""
    return _int_option(url.options, "baudrate", DEFAULT_BAUDRATE)


def flow_control(url: PrinterURL) -> str:
    """Serial flow control from ``?flow=`` (default none)."""
    flow = url.options.get("flow", "none").lower()
    if flow not in FLOW_CONTROLS:
        raise PrinterConfigError(f"Unknown flow control {flow!r}; use one of {FLOW_CONTROLS}.")
    return flow


def usb_endpoints(url: PrinterURL) -> tuple[int, int]:
    """USB (in, out) endpoints from ``?in_ep=&out_ep=`` (python-escpos defaults)."""
    return (
        _int_option(url.options, "in_ep", 0x82, base=16),
        _int_option(url.options, "out_ep", 0x01, base=16),
    )


def usb_ids(url: PrinterURL) -> tuple[int, int]:
    """(vendor id, product id) from ``usb://VID:PID`` in hexadecimal."""
    vid, sep, pid = url.target.partition(":")
    try:
        if not sep:
            raise ValueError
        return int(vid, 16), int(pid, 16)
    except ValueError:
        raise PrinterConfigError(
            f"USB printer must be given as usb://VID:PID in hex, not {url.target!r}."
        ) from None


def _options(query: str) -> dict[str, str]:
    parsed = parse_qs(query, keep_blank_values=True)
    return {key.lower(): values[-1] for key, values in parsed.items()}


def _status_flag(options: dict[str, str]) -> bool:
    value = options.get("status", "on").lower()
    if value in ("on", "1", "true", "yes"):
        return True
    if value in ("off", "0", "false", "no"):
        return False
    raise PrinterConfigError(f"Printer URL option status={value!r} must be on or off.")


def parse_printer_url(url: str) -> PrinterURL:
    """Parse ``url``; raise :class:`PrinterConfigError` when it is not usable."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise PrinterConfigError(
            f"Printer URL {url!r} must start with one of: " + ", ".join(f"{s}://" for s in SCHEMES)
        )
    options = _options(parts.query)
    paper, profile = options.get("paper") or None, options.get("profile") or None
    ask_status = _status_flag(options)
    if scheme == "network":
        if not parts.hostname:
            raise PrinterConfigError(f"Network printer URL {url!r} needs a host.")
        try:
            port = parts.port or DEFAULT_NETWORK_PORT
        except ValueError:
            raise PrinterConfigError(f"Network printer URL {url!r} has a bad port.") from None
        return PrinterURL("network", parts.hostname, port, paper, profile, ask_status, options)
    target = parts.netloc + parts.path
    if not target:
        raise PrinterConfigError(f"Printer URL {url!r} names no device or folder.")
    printer_url = PrinterURL(
        cast(Scheme, scheme), target, None, paper, profile, ask_status, options
    )
    if scheme == "usb":
        usb_ids(printer_url)
    return printer_url
