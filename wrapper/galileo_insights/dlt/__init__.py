"""Load Logstream Insights token usage with dlt (``pip install 'galileo-insights[dlt]'``).

``galileo_source(...)`` is a dlt source: ``token_usage`` (merged on ``id``, incremental on ``updated_at`` per log
stream), ``projects`` and ``log_streams``. See ``_source`` for the selection and the credentials.
"""

from ._cursor import UpdatedCursor
from ._source import galileo_source

__all__ = ["UpdatedCursor", "galileo_source"]
