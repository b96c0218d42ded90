"""Month arithmetic and months read from names and titles: one module, lib/periods.py."""

from orchestration.lib.periods import (
    month_after,
    month_before,
    month_from_filename,
    month_from_title,
    months_from,
)


def test_months_step_across_the_year():
    assert month_after("2025-06") == "2025-07"
    assert month_after("2025-12") == "2026-01"
    assert month_before("2025-06") == "2025-05"
    assert month_before("2025-01") == "2024-12"
    assert month_before(month_after("2025-12")) == "2025-12"


def test_months_from_includes_both_ends():
    assert months_from("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert months_from("2025-06", "2025-06") == ["2025-06"]
    assert months_from("2025-07", "2025-06") == []


def test_months_are_read_from_names_and_titles():
    assert month_from_filename("集聚区月报_2025年6月_更正.xlsx") == "2025-06"
    assert month_from_filename("集聚区月报_2025年6月_202507.xlsx") is None
    assert month_from_title("武进区规上企业（2025年1-6月）") == "2025-06"
    assert month_from_title("需求调查（2025年上半年）") == "2025-06"
