"""psw's own Great Expectations expectation: the credit code's check character.

Importing this module registers the expectation with GX; it imports GX, so only the
validation run imports it (never the code location).
"""

from __future__ import annotations

from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

from orchestration.lib.reading.credit_code import valid


class ColumnValuesValidCreditCode(ColumnMapMetricProvider):
    condition_metric_name = "column_values.valid_credit_code"

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column, **kwargs):
        return valid(column)


class ExpectColumnValuesToBeValidCreditCode(ColumnMapExpectation):
    """Expect each value to be an 18-character unified social credit code (GB 32100-2015)
    whose 18th character is the check character of the first 17."""

    map_metric = "column_values.valid_credit_code"
    success_keys = ("mostly",)
