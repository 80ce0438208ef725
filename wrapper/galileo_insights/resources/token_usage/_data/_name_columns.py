"""Names beside ids: string columns with one value in every row of a table (a log stream's ``project`` and
``log_stream`` names), after the record's own columns, so that a file or a loaded table says whose records it holds
in words as well as ids. Used by the organisation-wide export and the dlt source."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

from ...._optional import require
from ._arrow import token_usage_schema

if TYPE_CHECKING:
    import pyarrow as pa


def _copied(values: Mapping[str, str]) -> dict[str, str]:
    return dict(values)


@attrs.frozen
class NameColumns:
    """``{column: value}`` added to every row; empty adds nothing."""

    values: Mapping[str, str] = attrs.field(factory=dict, converter=_copied)

    def schema(self) -> pa.Schema:
        """``token_usage_schema()`` and the name columns."""
        pa = require("pyarrow", "name columns")
        schema = token_usage_schema()
        for name in self.values:
            schema = schema.append(pa.field(name, pa.string()))
        return schema

    def extend(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """``batch`` (of ``token_usage_schema()``) with the name columns."""
        pa = require("pyarrow", "name columns")
        for name, value in self.values.items():
            batch = batch.append_column(name, pa.array([value] * batch.num_rows, pa.string()))
        return batch
