from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from orchestration.lib.publishing import lock, preflight
from orchestration.lib.publishing.working_copy import WorkingCopy, work_path

# A run started by the daemon waits this long for a `make run` that holds the warehouse.
LOCK_WAIT_SECONDS = 3600


class RawFilesResource(dg.ConfigurableResource):
    """The folder the departments deliver their spreadsheets into ($PSW_RAW_DIR)."""

    directory: str


class GreatExpectationsResource(dg.ConfigurableResource):
    """Where GX keeps its project (suites, results) and writes its Data Docs site; where each
    validation's own page is written, and the address `make ui` serves those pages at."""

    project_dir: str
    data_docs_dir: str
    pages_dir: str
    pages_url: str


PUBLISHED_KEY = dg.AssetKey(["published", "psw_duckdb"])


class WarehouseResource(DuckDBResource):
    """DuckDB on the run's working copy of the warehouse, published when the run ends.

    Analysts open `published_path` (read-only, at any time); a run writes `database`, the
    working copy, and publishes it atomically at the end, even when a file was rejected (each
    month of a source is written in one transaction, so what is there is whole). A step that
    cannot leave whole tables behind (a failed dbt build) discards the run's changes instead,
    and so does a run stopped by SIGTERM. The run holds the warehouse's writer lock from set-up
    to tear-down, which happen once per run because definitions.py runs every step in the
    run's own process (in_process_executor).
    """

    published_path: str
    _discarded: bool = PrivateAttr(default=False)

    @classmethod
    def for_published(cls, published: Path) -> "WarehouseResource":
        return cls(database=str(work_path(published)), published_path=str(published))

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        published = Path(self.published_path)
        lock.acquire(published, wait_seconds=LOCK_WAIT_SECONDS)
        try:
            preflight.preflight(published)
            WorkingCopy(published).begin()
        except BaseException:
            lock.release(published)
            raise

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        published = Path(self.published_path)
        copy = WorkingCopy(published)
        try:
            if self._discarded or lock.stop_requested():
                copy.discard()
            else:
                copy.publish(run_id=context.run.run_id)
                # the published file is an asset: each publication is its materialisation
                context.instance.report_runless_asset_event(
                    dg.AssetMaterialization(
                        asset_key=PUBLISHED_KEY,
                        description=f"published by run {context.run.run_id}",
                        metadata={
                            "path": dg.MetadataValue.path(str(published)),
                            "published_by": context.run.run_id,
                            "job": context.run.job_name,
                            "size_bytes": published.stat().st_size,
                        },
                    )
                )
        finally:
            lock.release(published)

    def discard_run(self) -> None:
        self._discarded = True


class PublishedWarehouseResource(dg.ConfigurableResource):
    """The published warehouse, read-only: for sensors, which must never touch a run's copy."""

    path: str

    @property
    def failure_log(self) -> Path:
        return Path(self.path).parent / "logs" / "run_failures.log"
