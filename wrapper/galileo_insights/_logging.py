"""The SDK's logger, ``galileo_insights``, and the environment variables that turn its lines on.

As libraries should, the package logger has a ``NullHandler``: an app that configures no logging sees nothing
(Python's last-resort handler would print warnings on stderr). Requests are logged at DEBUG, retries at INFO.
``GALILEO_LOG=debug|info`` (this SDK's) or ``GALILEO_LOG_LEVEL`` (Galileo's own SDK's: a level name such as
``DEBUG`` or ``WARNING``) add a stderr handler at that level, without configuring logging yourself;
``GALILEO_LOG`` wins when both are set. Only the ``galileo_insights`` logger is touched, once per process. Its
records never carry credentials: they name the method, path, status, timing and retry decisions.
"""

from __future__ import annotations

import logging
import os

from ._errors import ConfigurationError

logger = logging.getLogger("galileo_insights")
logger.addHandler(logging.NullHandler())

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}
_LEVEL_NAMES = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}
_configured = False


def level_from_environment() -> int | None:
    """The level ``GALILEO_LOG`` or else ``GALILEO_LOG_LEVEL`` asks for, or None."""
    own = os.environ.get("GALILEO_LOG", "").strip().lower()
    if own in _LEVELS:
        return _LEVELS[own]
    galileo = os.environ.get("GALILEO_LOG_LEVEL", "").strip().lower()
    if not galileo:
        return None
    if galileo not in _LEVEL_NAMES:
        raise ConfigurationError(
            f"must be one of DEBUG, INFO, WARNING, ERROR or CRITICAL, got {galileo!r}", argument="GALILEO_LOG_LEVEL"
        )
    return _LEVEL_NAMES[galileo]


def setup_logging_from_environment() -> None:
    global _configured  # noqa: PLW0603 - one handler per process, however many clients
    if _configured:
        return
    level = level_from_environment()
    _configured = True
    if level is None:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(name)s %(levelname)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
