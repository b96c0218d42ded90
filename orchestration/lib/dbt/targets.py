"""The target folders of dbt's invocations, pruned once nobody reads them."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

SETTLED_SECONDS = 600


def prune_target_folders(target: Path, run_id: str) -> None:
    """dagster-dbt gives each dbt invocation a target folder of its own (its compiled SQL,
    run results, logs and a copy of the manifest: megabytes each); remove the other runs'
    once their dbt finished ten minutes ago, and any folder a day old (a parse_ahead folder
    too: a `make run` killed outright leaves its own).

    Not sooner: a run on another warehouse reads its build's run results after dbt has
    finished (a failed test's rows name the file to reject), and must still find them."""
    now = time.time()
    for folder in [*target.glob("psw_dbt_models-*"), *target.glob("parse-ahead-*")]:
        if not folder.is_dir() or folder.name.startswith(f"psw_dbt_models-{run_id[:7]}-"):
            continue
        results = folder / "run_results.json"
        settled = results.exists() and results.stat().st_mtime < now - SETTLED_SECONDS
        if settled or folder.stat().st_mtime < now - 24 * 3600:
            shutil.rmtree(folder, ignore_errors=True)
