"""The exit rating terminal: a Kivy tablet app where visitors rate the service (SKM/IKM).

``flow.py`` (pure journey), ``core.py`` (client, outbox, worker), ``scan.py``
(QR scanner on a serial port), ``app.py`` + ``screens/`` (the thin Kivy
shell). Started by ``loket rating --server URL --token T [--scanner serial://...]``.
"""
