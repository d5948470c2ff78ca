"""``python -m kiosk``: run the kiosk (options: ``python -m kiosk --help``)."""

from kiosk.cli import main

main()
