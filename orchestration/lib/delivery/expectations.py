"""Building Great Expectations expectations tagged with the rule they check, for the general
suite (validation/suites.py) and each source's own rules (sources/). A problem's severity is
its rule's, looked up in the catalogue when the result is read (validation/results.py)."""

from __future__ import annotations


def expect(kind: str, rule: str, shown: str | None = None, **kwargs):
    """An expectation tagged with its rule; `shown` is the column its problems point at."""
    # GX is imported when a suite is built, not with the declarations: the code location
    # imports these and never runs a suite.
    import great_expectations as gx

    from orchestration.lib.validation import custom_expectations

    meta = {"rule": rule}
    if shown:
        meta["column"] = shown
    expectation = getattr(gx.expectations, kind, None) or getattr(custom_expectations, kind)
    return expectation(meta=meta, **kwargs)


def between(rule, column, low=None, high=None, strict_low=False):
    return expect(
        "ExpectColumnValuesToBeBetween",
        rule,
        column,
        column=column,
        min_value=low,
        max_value=high,
        strict_min=strict_low,
    )


def not_below(rule, a, b, column=None):
    """Column `a` is at least column `b` wherever both hold a value."""
    return expect(
        "ExpectColumnPairValuesAToBeGreaterThanB",
        rule,
        column or a,
        column_A=a,
        column_B=b,
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    )


def in_set(rule, column, values, shown_column=None):
    return expect(
        "ExpectColumnValuesToBeInSet",
        rule,
        shown_column or column,
        column=column,
        value_set=sorted(values),
    )


def required(rule, column, shown_column=None):
    return expect("ExpectColumnValuesToNotBeNull", rule, shown_column or column, column=column)
