"""Web pages served by the Loket server: the staff console and the display board.

Server-rendered Jinja templates plus plain JavaScript modules and CSS (no build
step). ``server.web.pages.queue.router`` is included by the app factory; it also
serves the voice endpoint ``/api/v1/voice/call.wav`` and the static files.
"""
