"""``python -m kiosk.rating``: run the rating terminal."""

import sys

from kiosk.rating.cli import main

sys.exit(main())
