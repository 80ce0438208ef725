"""Load Logstream Insights token usage with dlt (``pip install 'galileo-insights[dlt]'``).

``galileo_source(...)`` is a dlt source: ``token_usage`` (merged on ``id``, incremental on ``updated_at`` per log
stream), ``projects`` and ``log_streams``. See ``_source`` for the selection and the credentials.
"""

from .._optional import require

require("dlt", "galileo_insights.dlt")  # before the decorators below need it: a missing extra says what to install

from ._cursor import UpdatedCursor  # noqa: E402 - after the check above
from ._source import galileo_source  # noqa: E402

__all__ = ["UpdatedCursor", "galileo_source"]
