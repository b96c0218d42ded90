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


def test_query_bounds_come_from_the_environment(monkeypatch):
    monkeypatch.delenv("PSW_QUERY_SECONDS", raising=False)
    monkeypatch.delenv("PSW_QUERY_MEMORY", raising=False)
    assert settings.query_bounds() == (120.0, "4GB")
    monkeypatch.setenv("PSW_QUERY_SECONDS", "2.5")
    monkeypatch.setenv("PSW_QUERY_MEMORY", "200MB")
    assert settings.query_bounds() == (2.5, "200MB")
    for bad in ("soon", "0", "-1"):
        monkeypatch.setenv("PSW_QUERY_SECONDS", bad)
        with pytest.raises(ValueError, match="PSW_QUERY_SECONDS"):
            settings.query_bounds()


def test_a_failure_that_says_the_disk_is_full_is_told_so(tmp_path):
    """The free-space check finds a full disk; a failure whose message says so is told even
    where the disk has room again; any other failure says nothing of the disk."""
    from orchestration.lib.publishing.preflight import disk_full

    assert disk_full((tmp_path,), ("Binder Error: no such column",)) == []
    for said in (
        "IO Error: Could not write file: No space left on device",
        "OSError: [Errno 28] No space left on device",
        "sqlite3.OperationalError: database or disk is full",
    ):
        lines = disk_full((tmp_path / "not" / "made",), ("…", said))
        assert len(lines) == 1 and lines[0].startswith("psw: a step failed for lack of disk")
