"""What token usage cost: prices per kind of token, typed in or taken from the ``genai-prices`` database.

The cost of a set of records is a formula over the four counts as reported (a missing count adds nothing; rows
say how many were missing)::

    cost_usd = (input_tokens * input + output_tokens * output
                + cache_read_input_tokens * cache_read + cache_creation_input_tokens * cache_creation) / 1_000_000

with each price in USD per million tokens. Assumption: the four counts are disjoint (cache reads and writes are
not also inside ``input_tokens``, as Anthropic reports them); the spec does not say either way. ``ModelPrices``
makes the same assumption when it hands the counts to ``genai-prices``, whose ``input_tokens`` includes cache
reads and writes: it passes ``input + cache_read + cache_creation`` there.
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import difflib
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..._errors import InvalidRequestError
from ..._optional import require

if TYPE_CHECKING:
    from ..token_usage._record_fields import Counts
    from ..token_usage._totals import TokenUsageTotals

PRICE_KINDS = {
    "input": "input_tokens",
    "output": "output_tokens",
    "cache_read": "cache_read_input_tokens",
    "cache_creation": "cache_creation_input_tokens",
}
"""Each price's name and the count it multiplies (on the command line ``cache-read``, ``cache-creation``)."""
_PER_MILLION = Decimal(1_000_000)
_ARG = "prices"
_CLOSE_MATCHES = 5


def _kind(key: str) -> str:
    return key.strip().lower().replace("-", "_")


def _price(value: object, kind: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidRequestError(f"{kind} must be a number of USD per million tokens, got {value!r}", argument=_ARG)
    try:
        price = Decimal(str(value).strip())  # str() first, so that 0.30 is 0.30 and not its binary neighbour
    except decimal.InvalidOperation:
        raise InvalidRequestError(f"{kind}={value!r} is not a number (USD per million tokens)", argument=_ARG) from None
    if not price.is_finite() or price < 0:
        raise InvalidRequestError(f"{kind}={value!r} must be a finite number >= 0", argument=_ARG)
    return price


@dataclasses.dataclass(frozen=True, slots=True)
class Prices:
    """USD per million tokens of each kind, applied to the known sums (see the module docstring's formula).

    All four are required, so that no kind is priced at zero by omission: write 0 for one you are not charged.
    """

    input: Decimal
    output: Decimal
    cache_read: Decimal
    cache_creation: Decimal

    @classmethod
    def of(cls, prices: Prices | Mapping[str, object]) -> Prices:
        """From a ``Prices`` or a mapping such as ``{"input": 3, "output": 15, "cache_read": 0.3,
        "cache_creation": 3.75}`` (``cache-read`` spellings accepted)."""
        if isinstance(prices, Prices):
            return prices
        if not isinstance(prices, Mapping):
            raise InvalidRequestError(f"must be a Prices or a mapping of kind to price, got {prices!r}", argument=_ARG)
        given: dict[str, Decimal] = {}
        for key, value in prices.items():
            kind = _kind(str(key))
            if kind not in PRICE_KINDS:
                raise InvalidRequestError(f"unknown kind {key!r}; the kinds are {_kinds_text()}", argument=_ARG)
            if kind in given:
                raise InvalidRequestError(f"{key!r} given twice", argument=_ARG)
            given[kind] = _price(value, kind.replace("_", "-"))
        missing = [kind.replace("_", "-") for kind in PRICE_KINDS if kind not in given]
        if missing:
            raise InvalidRequestError(
                f"no price for {', '.join(missing)}; give all of {_kinds_text()} (0 for a kind not charged)",
                argument=_ARG,
            )
        return cls(**given)

    @classmethod
    def parse(cls, text: str) -> Prices:
        """``input=3,output=15,cache-read=0.30,cache-creation=3.75`` (USD per million tokens)."""
        pairs: dict[str, str] = {}
        for part in text.split(","):
            key, equals, value = part.partition("=")
            if not equals or not key.strip() or not value.strip():
                raise InvalidRequestError(
                    f"{part.strip()!r} is not KIND=PRICE; expected e.g. "
                    "input=3,output=15,cache-read=0.30,cache-creation=3.75 (USD per million tokens)",
                    argument=_ARG,
                )
            if _kind(key) in {_kind(seen) for seen in pairs}:
                raise InvalidRequestError(f"{key.strip()!r} given twice", argument=_ARG)
            pairs[key.strip()] = value
        return cls.of(pairs)

    def cost(self, totals: TokenUsageTotals) -> Decimal:
        """The formula over ``totals``' known sums."""
        return (
            sum(
                (Decimal(getattr(totals, count).total) * getattr(self, kind) for kind, count in PRICE_KINDS.items()),
                Decimal(0),
            )
            / _PER_MILLION
        )

    def describe(self) -> str:
        listed = ", ".join(f"{kind.replace('_', '-')} {getattr(self, kind)}" for kind in PRICE_KINDS)
        return f"prices given, USD per million tokens: {listed}"


def _kinds_text() -> str:
    return ", ".join(kind.replace("_", "-") for kind in PRICE_KINDS)


@dataclasses.dataclass(frozen=True)
class ModelPrices:
    """Prices of ``model`` (at ``provider``, else the provider ``genai-prices`` matches) from the ``genai-prices``
    package (``pip install 'galileo-insights[prices]'``), the price in force at each record's ``created_at``.

    Built eagerly: an unknown model or provider is an ``InvalidRequestError`` listing close matches. Each record is
    priced on its own (its request size can select a price tier): about 0.1 ms of CPU a record, measured on this
    project's machine, against a few microseconds for ``Prices``.
    """

    model: str
    provider: str | None = None
    _found: Any = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        genai_prices = require("genai_prices", "model prices")
        snapshot = genai_prices.data_snapshot.get_snapshot()
        try:
            found = snapshot.find_provider_model(self.model, None, self.provider, None)
        except LookupError:
            raise _unknown(self.model, self.provider, snapshot.providers) from None
        object.__setattr__(self, "_found", found)

    def record_cost(self, counts: Counts, created_at: datetime.datetime) -> Decimal:
        """One record's cost at the price in force at ``created_at`` (tiers by request size apply per record)."""
        import genai_prices  # noqa: PLC0415 - present: __post_init__ required it

        provider, model = self._found
        input_tokens, output_tokens, cache_read, cache_creation = (count or 0 for count in counts)
        usage = genai_prices.Usage(
            input_tokens=input_tokens + cache_read + cache_creation,
            output_tokens=output_tokens,
            cache_read_tokens=cache_read,
            cache_write_tokens=cache_creation,
        )
        price: Decimal = model.calc_price(usage, provider, genai_request_timestamp=created_at).total_price
        return price

    def describe(self) -> str:
        import genai_prices  # noqa: PLC0415 - present: __post_init__ required it

        provider, model = self._found
        return (
            f"prices of {model.name or model.id} ({provider.name}) from genai-prices {genai_prices.__version__}, "
            "in force at each record's created_at"
        )


def _unknown(model: str, provider: str | None, providers: list[Any]) -> InvalidRequestError:
    if provider is not None and not any(_matches_provider(candidate, provider) for candidate in providers):
        close = difflib.get_close_matches(provider, [candidate.id for candidate in providers], n=_CLOSE_MATCHES)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        return InvalidRequestError(f"genai-prices knows no provider {provider!r}{hint}", argument="provider")
    scope = [candidate for candidate in providers if provider is None or _matches_provider(candidate, provider)]
    names = {model_info.id for candidate in scope for model_info in candidate.models}
    close = difflib.get_close_matches(model.lower(), sorted(names), n=_CLOSE_MATCHES, cutoff=0.5)
    where = f" at provider {provider!r}" if provider else ""
    hint = f"; close matches: {', '.join(close)}" if close else ""
    return InvalidRequestError(f"genai-prices has no price for {model!r}{where}{hint}", argument="model")


def _matches_provider(candidate: Any, provider: str) -> bool:
    return bool(candidate.id == provider.lower())


Pricing = Prices | ModelPrices


def as_pricing(prices: Prices | ModelPrices | Mapping[str, object] | None) -> Pricing | None:
    """What a call's ``prices=`` argument means: nothing, a ``ModelPrices``, or ``Prices`` (from a mapping)."""
    if prices is None or isinstance(prices, ModelPrices):
        return prices
    return Prices.of(prices)
