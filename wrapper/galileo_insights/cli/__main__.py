"""``python -m galileo_insights.cli``: the same as the ``galileo-insights`` console script."""

import sys

from galileo_insights.cli import main

sys.exit(main())
