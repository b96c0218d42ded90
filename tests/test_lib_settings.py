import pytest

from orchestration.lib import settings


def test_the_first_month_is_2025_01_unless_set(monkeypatch):
    monkeypatch.delenv("PSW_FIRST_MONTH", raising=False)
    assert settings.first_month() == "2025-01"
    monkeypatch.setenv("PSW_FIRST_MONTH", "2021-1")
    assert settings.first_month() == "2021-01"


@pytest.mark.parametrize("value", ["2021", "21-01", "2021-13", "2021-00", "January 2021", ""])
def test_a_first_month_that_is_not_a_month_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("PSW_FIRST_MONTH", value)
    with pytest.raises(ValueError, match="PSW_FIRST_MONTH must be a month, YYYY-MM"):
        settings.first_month()
