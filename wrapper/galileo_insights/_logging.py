"""``GALILEO_LOG=debug|info`` turns on the SDK's own log lines on stderr, without configuring logging yourself.

Only the ``galileo_insights`` logger is touched, once per process. Its records never carry credentials:
they name the method, path, status, timing and retry decisions.
"""

from __future__ import annotations

import logging
import os

logger = logging.getLogger("galileo_insights")

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_configured = False


def setup_logging_from_environment() -> None:
    global _configured  # noqa: PLW0603 - one handler per process, however many clients
    if _configured:
        return
    _configured = True
    level = _LEVELS.get(os.environ.get("GALILEO_LOG", "").strip().lower())
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
