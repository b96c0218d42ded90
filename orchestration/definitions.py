"""The psw code location: every asset, check, job and resource, and the policy they share."""

import sys
from pathlib import Path

import dagster as dg

from orchestration.defs.dbt.assets import psw_dbt_models
from orchestration.defs.dbt.project import PswDbtCliResource, psw_dbt_project
from orchestration.defs.ingest.assets import (
    ingest_assets,
    load_columns_spec,
    load_log_spec,
    publications_spec,
    published_warehouse_spec,
    raw_file_specs,
)
from orchestration.defs.ingest.checks import freshness_checks
from orchestration.defs.jobs import ingest_job, monthly_load_job, report_job, transform_job
from orchestration.defs.reports.assets import monthly_report
from orchestration.defs.resources import (
    GreatExpectationsResource,
    PublishedWarehouseResource,
    RawFilesResource,
    WarehouseResource,
)
from orchestration.defs.schedules import freshness_job, freshness_schedule, monthly_load_schedule
from orchestration.defs.sensors import new_file_sensor, run_failure_log_sensor
from orchestration.lib import settings


def build_definitions() -> dg.Definitions:
    """Definitions bound to the current $PSW_RAW_DIR and $PSW_WAREHOUSE_PATH."""
    settings.export_resolved()
    return dg.Definitions(
        assets=[
            *raw_file_specs,
            *ingest_assets,
            load_log_spec,
            load_columns_spec,
            publications_spec,
            psw_dbt_models,
            monthly_report,
            published_warehouse_spec,
        ],
        asset_checks=freshness_checks,
        jobs=[monthly_load_job, ingest_job, transform_job, report_job, freshness_job],
        schedules=[monthly_load_schedule, freshness_schedule],
        sensors=[new_file_sensor, run_failure_log_sensor],
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


defs = build_definitions()
