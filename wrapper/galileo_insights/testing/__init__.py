"""A fake Galileo for offline tests: the token-usage operation with its real semantics, auth and injectable faults,
and the two lookups by name (seeded: ``fake-project`` / ``fake-log-stream``, two projects named ``twin-project``).

>>> fake = FakeGalileo(records=1_000, seed=7)
>>> client = httpx.Client(transport=fake.transport(), base_url="http://galileo.test",
...                       headers={"Galileo-API-Key": fake.api_key})

``fake.app()`` is the same fake as an ASGI app and ``fake.serve()`` runs it on 127.0.0.1 (both need the ``server``
extra: starlette and uvicorn, imported only then).
"""

from galileo_insights.testing._auth import Credentials, Denied, ManualClock
from galileo_insights.testing._cli import SERVER_OPTIONS, main
from galileo_insights.testing._directory import (
    DEFAULT_LOG_STREAM_NAME,
    DEFAULT_PROJECT_NAME,
    EMPTY_LOG_STREAM_NAME,
    TWIN_PROJECT_IDS,
    TWIN_PROJECT_NAME,
    Directory,
    LogStream,
    Project,
)
from galileo_insights.testing._fake import (
    INSIGHTS_SETTINGS_PATH,
    LOG_STREAMS_PATH,
    LOGIN_PATH,
    PROJECTS_PATH,
    TOKEN_USAGE_PATH,
    FakeGalileo,
    ReceivedRequest,
)
from galileo_insights.testing._faults import (
    Answer,
    DroppedConnection,
    Fault,
    FaultDecision,
    FaultPlan,
    Latency,
    MalformedJson,
    RandomFaults,
    RateLimited,
    ServerError,
)
from galileo_insights.testing._insights import InsightsSettings
from galileo_insights.testing._organisation import Organisation
from galileo_insights.testing._records import (
    DEFAULT_LOG_STREAM_ID,
    DEFAULT_PROJECT_ID,
    GeneratedRecords,
    TokenCounts,
    TokenUsageRecord,
)
from galileo_insights.testing._reply import Reply, RequestHandler
from galileo_insights.testing._semantics import (
    TokenUsageQuery,
    ValidationFailure,
    parse_token_usage_request,
    token_usage_page,
)
from galileo_insights.testing._server import serve
from galileo_insights.testing._store import RecordStore, Selection, TimeFilter
from galileo_insights.testing._transport import FakeTransport

__all__ = [
    "DEFAULT_LOG_STREAM_ID",
    "DEFAULT_LOG_STREAM_NAME",
    "DEFAULT_PROJECT_ID",
    "DEFAULT_PROJECT_NAME",
    "EMPTY_LOG_STREAM_NAME",
    "INSIGHTS_SETTINGS_PATH",
    "LOGIN_PATH",
    "LOG_STREAMS_PATH",
    "PROJECTS_PATH",
    "SERVER_OPTIONS",
    "TOKEN_USAGE_PATH",
    "TWIN_PROJECT_IDS",
    "TWIN_PROJECT_NAME",
    "Answer",
    "Credentials",
    "Denied",
    "Directory",
    "DroppedConnection",
    "FakeGalileo",
    "FakeTransport",
    "Fault",
    "FaultDecision",
    "FaultPlan",
    "GeneratedRecords",
    "InsightsSettings",
    "Latency",
    "LogStream",
    "MalformedJson",
    "ManualClock",
    "Organisation",
    "Project",
    "RandomFaults",
    "RateLimited",
    "ReceivedRequest",
    "RecordStore",
    "Reply",
    "RequestHandler",
    "Selection",
    "ServerError",
    "TimeFilter",
    "TokenCounts",
    "TokenUsageQuery",
    "TokenUsageRecord",
    "ValidationFailure",
    "main",
    "parse_token_usage_request",
    "serve",
    "token_usage_page",
]
