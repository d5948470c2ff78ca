"""Loket kiosk: the touch-screen app where a walk-in visitor takes a queue ticket.

The package is a thin Kivy shell (``app.py``, ``screens/``) over a core that
knows nothing of Kivy: the journey presenter (``journey.py``), the server
client (``client.py``), the durable outbox (``outbox.py``), the printing
service (``printing.py``) and the MRZ scanner reader (``scanner.py``).
``run_kiosk`` and ``add_kiosk_arguments`` are the entry points used by the
``loket kiosk`` command.
"""

from __future__ import annotations

from kiosk.cli import add_kiosk_arguments, run_demo_kiosk, run_kiosk, settings_from_args

__all__ = ["add_kiosk_arguments", "run_demo_kiosk", "run_kiosk", "settings_from_args"]
