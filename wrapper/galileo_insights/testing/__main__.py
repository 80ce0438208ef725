"""``python -m galileo_insights.testing``: run the fake Galileo server (see ``main``)."""

import sys

from galileo_insights.testing._cli import main

sys.exit(main())
