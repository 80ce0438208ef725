"""Every default and ceiling of the SDK, in one leaf module that imports nothing of the SDK.

A default written in two places drifts; each one lives here and everything else (the client, ``RetryPolicy``,
``DefaultHttpxClient``, the resources, the CLI) reads it from here. The values are plain numbers and strings, so the
command line reads its defaults without loading httpx; ``_http_client`` builds httpx's ``Timeout`` and ``Limits``
from them.
"""

from __future__ import annotations

DEFAULT_API_URL = "https://api.galileo.ai"
API_KEY_HEADER = "Galileo-API-Key"
"""The header an API key is sent in, unless ``api_key_header=`` / ``GALILEO_API_KEY_HEADER`` rename it."""

DEFAULT_TIMEOUT_SECONDS = 60.0
"""Per read, write and pool wait; the connect phase has its own, shorter default."""
DEFAULT_CONNECT_TIMEOUT_SECONDS = 5.0
DEFAULT_MAX_CONNECTIONS = 100
DEFAULT_MAX_KEEPALIVE_CONNECTIONS = 20

DEFAULT_MAX_RETRIES = 2
MAX_RETRIES_CEILING = 20
"""More retries than this only hides an outage: with the default backoff 20 retries already wait about 2 minutes."""
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
RETRY_JITTER = 0.25
MAX_RETRY_AFTER = 60.0

DEFAULT_MAX_RESPONSE_BYTES = 64 * 2**20
MAX_TIMEOUT_SECONDS = 1_000_000.0
"""About 11.6 days: beyond it a timeout or deadline is a typo (``1e308``), which the socket layer could not hold."""
ATTEMPT_TIMEOUT_READS = 3
"""Without ``attempt_timeout=``, one attempt may take this many read timeouts in all (a body that trickles in
byte by byte never trips httpx's per-read timeout)."""

DEFAULT_PAGE_SIZE = 1000
"""Records a request asks for unless told otherwise. Measured on loopback: a 45k walk at 1,000 a page takes 1.3x less
client CPU per record than at 100 and 1.55x less time; over a real network a walk moves page_size / latency records a
second. The spec sets no maximum; a server that refuses it with 422 takes ``page_size=100``."""
DEFAULT_USAGE_CONCURRENCY = 8
"""Log streams an organisation-wide call (``client.usage``, ``report``) reads at once, one request in flight each."""
TOTALS_PAGE_SIZE = 1000
"""``totals()`` and ``usage_by()`` keep no page, so they ask for larger ones: fewer round trips, same memory bound."""
# Ceilings on what one call may ask for: beyond them an argument is a mistake, not a request (README, "Limits").
MAX_PAGE_SIZE = 10_000
MAX_CONCURRENCY = 64
MAX_WINDOWS = 1_000
PARALLEL_READ_AHEAD = 120_000
"""Records all windows of a parallel walk may hold that the consumer has not taken (see ``_concurrent``): about
100 MB of parsed pages (measured: 440 bytes a record, plus the 380 bytes of JSON its page keeps)."""
