"""``--price`` / ``--model`` / ``--provider`` and ``--group-by``: how usage rows are priced and at which level."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from galileo_insights import GroupBy, InvalidRequestError
from galileo_insights._optional import MissingExtraError

from ._failures import describe, exit_code_for, flag_for

if TYPE_CHECKING:
    from galileo_insights import ModelPrices, Prices

PRICE_PANEL = "Cost"

PriceOption = Annotated[
    str | None,
    typer.Option(
        "--price",
        metavar="KIND=USD,...",
        help="USD per million tokens of each kind: input=3,output=15,cache-read=0.30,cache-creation=3.75 "
        "(all four; 0 for a kind you are not charged for). Adds cost_usd.",
        show_default=False,
        rich_help_panel=PRICE_PANEL,
    ),
]
ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        metavar="NAME",
        help="Price with this model's prices from the genai-prices package (the 'prices' extra), as in force at "
        "each record's created_at. Adds cost_usd.",
        show_default=False,
        rich_help_panel=PRICE_PANEL,
    ),
]
ProviderOption = Annotated[
    str | None,
    typer.Option(
        "--provider",
        metavar="ID",
        help="The provider whose price of --model to use (anthropic, openai, ...). [dim]\\[default: genai-prices' "
        "match for the model][/]",
        show_default=False,
        rich_help_panel=PRICE_PANEL,
    ),
]
GroupByOption = Annotated[
    GroupBy,
    typer.Option(
        "--group-by",
        help="With --by: a row per log stream, per project (its log streams summed) or overall (none).",
        case_sensitive=False,
    ),
]


def pricing(price: str | None, model: str | None, provider: str | None) -> Prices | ModelPrices | None:
    """The prices the flags ask for, or a usage error naming the flag."""
    from galileo_insights import ModelPrices, Prices  # noqa: PLC0415 - when a command runs, not for --help

    if price is not None and model is not None:
        raise typer.BadParameter("give --price or --model, not both.", param_hint="--price")
    if provider is not None and model is None:
        raise typer.BadParameter("needs --model.", param_hint="--provider")
    try:
        if price is not None:
            return Prices.parse(price)
        if model is not None:
            return ModelPrices(model, provider)
    except InvalidRequestError as error:
        raise typer.BadParameter(error.reason, param_hint=flag_for(error)) from None
    except MissingExtraError as error:  # one line naming the extra, as for every extra
        typer.echo(describe(error, None), err=True)
        raise typer.Exit(exit_code_for(error)) from None
    return None
