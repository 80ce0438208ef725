"""Token usage across an organisation: log streams chosen by names, ids or ``all``, rows with names, and cost."""

from .._group_by import GroupBy
from ._arguments import PeriodArguments, RecordArguments, UsageArguments
from ._dataset import DatasetSummary, LogStreamExport, export_dataset
from ._prices import PRICE_KINDS, ModelPrices, Prices
from ._resource import AsyncUsageResource, UsageResource
from ._rows import USAGE_COLUMNS, UsageReport, UsageRow
from ._selection import AsyncSelectionResolver, LogStreamSelection, LogStreamTarget, SelectionResolver

__all__ = [
    "PRICE_KINDS",
    "USAGE_COLUMNS",
    "AsyncSelectionResolver",
    "AsyncUsageResource",
    "DatasetSummary",
    "GroupBy",
    "LogStreamExport",
    "LogStreamSelection",
    "LogStreamTarget",
    "ModelPrices",
    "PeriodArguments",
    "Prices",
    "RecordArguments",
    "SelectionResolver",
    "UsageArguments",
    "UsageReport",
    "UsageResource",
    "UsageRow",
    "export_dataset",
]
