"""The psw code location: every part of `defs/` (each ends with its own `@dg.definitions`),
and the policy they share: the resources bound to this machine's folders, and the executor."""

import sys
import warnings
from pathlib import Path

import dagster as dg

from orchestration.defs.dbt.project import PswDbtCliResource, psw_dbt_project
from orchestration.defs.resources import (
    GreatExpectationsResource,
    PublishedWarehouseResource,
    RawFilesResource,
    WarehouseResource,
)
from orchestration.lib import settings

# monthly_load holds assets with different backfill policies on purpose (ingestion one month a
# run, dbt one run for a range); an asset backfill applies each asset's own, so Dagster's
# warning that a job backfill would take the smaller one says nothing new.
warnings.filterwarnings("ignore", message="Asset job monthly_load materializes assets with varying")


def build_definitions() -> dg.Definitions:
    """Definitions bound to the current $PSW_RAW_DIR and $PSW_WAREHOUSE_PATH."""
    policy = dg.Definitions(
        resources={
            "raw_files": RawFilesResource(directory=str(settings.raw_dir())),
            "warehouse": WarehouseResource.for_published(settings.warehouse_path()),
            "published_warehouse": PublishedWarehouseResource(path=str(settings.warehouse_path())),
            "great_expectations": GreatExpectationsResource(
                project_dir=str(settings.gx_project_dir()),
                data_docs_dir=str(settings.data_docs_dir()),
                pages_dir=str(settings.validation_pages_dir()),
                pages_url=settings.pages_url(),
            ),
            # the dbt installed beside this interpreter, whether or not the venv is on PATH
            "dbt": PswDbtCliResource(
                project_dir=psw_dbt_project(),
                dbt_executable=str(Path(sys.executable).parent / "dbt"),
            ),
        },
        # DuckDB allows one writer: steps run one after another in the run's own process.
        executor=dg.in_process_executor,
    )
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=Path(__file__).parent), policy
    )


defs = build_definitions()
