import hashlib
import json
from pathlib import Path

import dagster as dg

from orchestration.defs.jobs import monthly_load_job
from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.resources import PublishedWarehouseResource, RawFilesResource
from orchestration.lib.delivery.files import scan_changes
from orchestration.lib.publishing import run_log
from orchestration.lib.publishing.readers import loaded_files


@dg.sensor(
    job=monthly_load_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "新报表到达或更正时载入该月 / Loads a month when a file for it appears in $PSW_RAW_DIR "
        "or changes (by content hash: an unchanged file never starts a second run)."
    ),
)
def new_file_sensor(
    context: dg.SensorEvaluationContext,
    raw_files: RawFilesResource,
    published_warehouse: PublishedWarehouseResource,
):
    cursor = json.loads(context.cursor) if context.cursor else {}
    changes, new_cursor = scan_changes(
        Path(raw_files.directory), cursor, loaded_files(Path(published_warehouse.path))
    )
    valid = set(monthly_partitions.get_partition_keys())
    for month, files in changes.items():
        if month not in valid:
            context.log.warning(f"{month}: no such partition yet; files {files} wait for it")
            new_cursor = {k: v for k, v in new_cursor.items() if (k, v[2]) not in set(files)}
            continue
        digest = hashlib.sha256(repr(sorted(files)).encode()).hexdigest()[:16]
        yield dg.RunRequest(
            partition_key=month,
            run_key=f"{month}:{digest}",
            tags={
                "psw/trigger": "new_file",
                "psw/files": ", ".join(Path(name).name for name, _ in files)[:1000],
            },
        )
    context.update_cursor(json.dumps(new_cursor, sort_keys=True))


@dg.run_failure_sensor(
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "失败运行写入 warehouse/logs/run_failures.log / Writes one line per failed run (month, "
        "step, rejected file and rules) to warehouse/logs/run_failures.log."
    ),
)
def run_failure_log_sensor(
    context: dg.RunFailureSensorContext, published_warehouse: PublishedWarehouseResource
):
    run = context.dagster_run
    failures = run_log.step_failures(context.get_step_failure_events())
    run_log.append(
        published_warehouse.failure_log,
        run_log.failure_lines(
            run.job_name, run.run_id, run.tags.get("dagster/partition"), failures
        ),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(sensors=[new_file_sensor, run_failure_log_sensor])
