"""Cost arithmetic against hand-computed values, missing counts included, and the price strings people type."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from galileo_insights import FieldTotal, InvalidRequestError, ModelPrices, Prices, TokenUsageTotals

SONNET_4 = {"input": Decimal(3), "output": Decimal(15), "cache_read": Decimal("0.3"), "cache_creation": Decimal("3.75")}


def totals(*fields: FieldTotal, records: int = 10) -> TokenUsageTotals:
    return TokenUsageTotals(records, *fields)


def test_each_kind_is_priced_per_million_and_a_missing_count_adds_nothing() -> None:
    prices = Prices.parse("input=3,output=15,cache-read=0.30,cache-creation=3.75")
    usage = totals(
        FieldTotal(1_000_000, 10, 0),  # 1M input at $3           -> 3.00
        FieldTotal(200_000, 8, 2),  # 200k output at $15            -> 3.00 (2 records had no output count)
        FieldTotal(500_000, 10, 0),  # 500k cache reads at $0.30   -> 0.15
        FieldTotal(0, 0, 10),  # cache creation missing everywhere   -> 0
    )
    assert prices.cost(usage) == Decimal("6.15")


def test_small_counts_keep_their_cents_exactly() -> None:
    prices = Prices.of({"input": "0.1", "output": 0.2, "cache_read": 0, "cache-creation": Decimal("1.25")})
    usage = totals(FieldTotal(3, 1, 0), FieldTotal(7, 1, 0), FieldTotal(11, 1, 0), FieldTotal(13, 1, 0))
    # (3 * 0.1 + 7 * 0.2 + 11 * 0 + 13 * 1.25) / 1e6 = (0.3 + 1.4 + 16.25) / 1e6
    assert prices.cost(usage) == Decimal("0.00001795")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("input=3,output=15", "no price for cache-read, cache-creation"),
        ("input=3,output=15,cache-read=0.3,cache-creation=x", "'x' is not a number"),
        ("input=3,output=15,cache-read=0.3,cache-creation=-1", "must be a finite number >= 0"),
        ("input=3,output=15,cache-read=0.3,cache-creation=nan", "must be a finite number >= 0"),
        ("input=3,output=15,cache-read=0.3,cache-write=1", "unknown kind 'cache-write'"),
        ("input=3,input=4,output=15,cache-read=0.3,cache-creation=1", "'input' given twice"),
        ("input 3", "is not KIND=PRICE"),
        ("", "is not KIND=PRICE"),
    ],
)
def test_bad_price_strings_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message) as caught:
        Prices.parse(text)
    assert caught.value.argument == "prices"


def test_model_prices_pass_the_counts_as_disjoint_kinds() -> None:
    """claude-sonnet-4 at $3 / $15 / $0.30 / $3.75 per million, by hand: 1000 input, 100 output, 50 cache reads
    and 10 cache writes cost (3000 + 1500 + 15 + 37.5) / 1e6 = 0.0045525; a missing output count adds nothing."""
    model = ModelPrices("claude-sonnet-4-20250514", "anthropic")
    at = datetime.datetime(2025, 8, 1, tzinfo=datetime.UTC)
    assert model.record_cost((1000, 100, 50, 10), at) == Decimal("0.0045525")
    assert model.record_cost((1000, None, 50, 10), at) == Decimal("0.0030525")
    assert model.record_cost((None, None, None, None), at) == 0
    assert "Claude Sonnet 4" in model.describe()
    assert "genai-prices" in model.describe()


def test_an_unknown_model_lists_close_matches() -> None:
    with pytest.raises(
        InvalidRequestError,
        match=r"model: genai-prices has no price for 'claude-sonet-4'.*close matches: claude-sonnet-4",
    ):
        ModelPrices("claude-sonet-4", "anthropic")
    with pytest.raises(InvalidRequestError, match=r"provider: genai-prices knows no provider 'antropic'.*anthropic"):
        ModelPrices("claude-sonnet-4", "antropic")


def test_model_prices_are_those_in_force_at_each_records_time() -> None:
    """genai-prices raises this model's output price from $0.66 to $1.20 per million on 1 Nov 2026."""
    model = ModelPrices("deepseek/deepseek-v4.1-flash", "arcee")
    before = datetime.datetime(2026, 10, 31, 23, 59, tzinfo=datetime.UTC)
    after = datetime.datetime(2026, 11, 1, 0, 1, tzinfo=datetime.UTC)
    assert model.record_cost((0, 1_000_000, 0, 0), before) == Decimal("0.66")
    assert model.record_cost((0, 1_000_000, 0, 0), after) == Decimal("1.2")
