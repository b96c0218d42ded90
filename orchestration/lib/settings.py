"""Where psw reads and writes: the two environment variables of the contract.

A relative path is taken from the repository root, as dbt's profiles.yml takes it, so that
Dagster and dbt always open the same warehouse file whatever the working directory.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
# where `make prepare` parses the project for Dagster: a folder no other dbt command writes
DBT_PREPARED_TARGET = Path("target") / "dagster"


@cache
def _dbt_vars() -> dict:
    """dbt_project.yml's vars: the constants dbt and Python share, said once there."""
    with open(DBT_PROJECT_DIR / "dbt_project.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["vars"]


def district_code() -> str:
    """The district's administrative division code."""
    return str(_dbt_vars()["district_code"])


@dataclass(frozen=True)
class DisclosureRules:
    """Disclosure control's parameters (lib/release/disclosure.py): a figure of fewer than
    `min_contributors` respondents, or whose largest makes more than `dominance_share` of it,
    is held; a held figure's range must reach `protection_share` of it on both sides."""

    min_contributors: int
    dominance_share: float
    protection_share: float


@cache
def disclosure_rules() -> DisclosureRules:
    declared = _dbt_vars()["disclosure_control"]
    return DisclosureRules(
        min_contributors=int(declared["min_contributors"]),
        dominance_share=float(declared["dominance_share"]),
        protection_share=float(declared["protection_share"]),
    )


def _from_root(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path


def raw_dir() -> Path:
    return _from_root(os.environ.get("PSW_RAW_DIR", "raw"))


def warehouse_path() -> Path:
    return _from_root(os.environ.get("PSW_WAREHOUSE_PATH", "warehouse/psw.duckdb"))


def first_month() -> str:
    """$PSW_FIRST_MONTH: the first month the warehouse holds (its monthly partitions start
    there); a district loading its history from earlier years sets it back."""
    value = os.environ.get("PSW_FIRST_MONTH", "2025-01")
    year, _, month = value.partition("-")
    if not (len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise ValueError(f"PSW_FIRST_MONTH must be a month, YYYY-MM; it is {value!r}")
    return f"{year}-{int(month):02d}"


def reports_dir() -> Path:
    """$PSW_REPORT_DIR; by default `reports/` beside the warehouse."""
    value = os.environ.get("PSW_REPORT_DIR")
    return _from_root(value) if value else warehouse_path().parent / "reports"


def release_dir() -> Path:
    """$PSW_RELEASE_DIR: what leaves the bureau (psw_release.duckdb and each month's Parquet);
    by default `release/` beside the warehouse."""
    value = os.environ.get("PSW_RELEASE_DIR")
    return _from_root(value) if value else warehouse_path().parent / "release"


def release_path() -> Path:
    return release_dir() / "psw_release.duckdb"


def drafts_dir() -> Path:
    """$PSW_DRAFTS_DIR: the bureau's side of the release (each month's draft, the register of
    approvals and releases); by default `drafts/` beside the warehouse. Never published."""
    value = os.environ.get("PSW_DRAFTS_DIR")
    return _from_root(value) if value else warehouse_path().parent / "drafts"


def now() -> dt.datetime:
    """The time the release cycle takes as now, in UTC: the clock, or $PSW_NOW (an ISO time,
    UTC unless it says +08:00) to rehearse a release day or test an embargo."""
    value = os.environ.get("PSW_NOW")
    if not value:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def sample_signoff() -> bool:
    """$PSW_SAMPLE_SIGNOFF=1 (the Makefile sets it when $PSW_RAW_DIR is the samples' raw/):
    `make run` approves each month's first draft in the name of the calendar's 审签, as part
    of the samples' set-up. A correction still waits for a person's approval."""
    return os.environ.get("PSW_SAMPLE_SIGNOFF", "") == "1"


def report_pdf() -> bool:
    """Whether the report's Word document is also written as PDF (where LibreOffice is
    installed; PSW_REPORT_PDF=0 turns it off: about two seconds a report)."""
    return os.environ.get("PSW_REPORT_PDF", "1") != "0"


def dagster_home() -> Path:
    return _from_root(os.environ.get("DAGSTER_HOME", ".dagster_home"))


def gx_project_dir() -> Path:
    return warehouse_path().parent / "gx"


def data_docs_dir() -> Path:
    return warehouse_path().parent / "data_docs"


def validation_pages_dir() -> Path:
    """Each delivered file's validation page (validation/page.py)."""
    return warehouse_path().parent / "validations"


def pages_url() -> str:
    """Where `make ui` serves the validation pages: a browser opens http, not file://."""
    return f"http://127.0.0.1:{os.environ.get('PSW_PAGES_PORT', '3001')}"


def query_bounds() -> tuple[float, str]:
    """$PSW_QUERY_SECONDS (default 120) and $PSW_QUERY_MEMORY (default 4GB): how long an
    analyst's `make query` may run and how much memory it may take before it is stopped."""
    seconds = os.environ.get("PSW_QUERY_SECONDS", "120")
    memory = os.environ.get("PSW_QUERY_MEMORY", "4GB").strip()
    try:
        bound = float(seconds)
    except ValueError:
        raise ValueError(
            f"PSW_QUERY_SECONDS must be a number of seconds; it is {seconds!r}"
        ) from None
    if not bound > 0:
        raise ValueError(f"PSW_QUERY_SECONDS must be above 0; it is {seconds!r}")
    return bound, memory
