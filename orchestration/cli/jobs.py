"""Running a job of the code location in this process, as a run of the code location `psw`.

The one place the command line uses Dagster's private execution APIs (pinned with Dagster in
uv.lock, tested by every `make run` test): a run started with `execute_in_process` has no
code-location origin, and the UI's timeline and Jobs page leave it out.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from orchestration.lib import settings
from orchestration.lib.publishing import run_log

if TYPE_CHECKING:
    import dagster as dg

LOCATION_NAME = "psw"  # workspace.yaml's: runs of `make run` show under this code location
PID_TAG = "psw/cli_pid"
# The full event log stays in $DAGSTER_HOME for the UI; the terminal gets psw's own lines,
# which name every rejected file (Dagster's console logger would add stack traces).
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def execute(
    job_name: str, instance: dg.DagsterInstance, tags: dict, partition_key: str | None = None
):
    """A run of the code location's job, executed here, in this process (its output stays in
    the terminal). Unlike `execute_in_process`, the run carries the code location's origin, as
    a run launched from the UI does, so the UI shows it on the Overview timeline and the Jobs
    page; its steps run from the same module `make ui` loads (workspace.yaml)."""
    from dagster._core.definitions.reconstruct import ReconstructableRepository
    from dagster._core.execution.api import create_execution_plan, execute_run
    from dagster._core.remote_origin import (
        ManagedGrpcPythonEnvCodeLocationOrigin,
        RemoteJobOrigin,
        RemoteRepositoryOrigin,
    )
    from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

    module, root = "orchestration.definitions", str(settings.REPO_ROOT)
    job = ReconstructableRepository.for_module(module, "defs", root).get_reconstructable_job(
        job_name
    )
    job_def = job.get_definition()
    if partition_key is not None:
        tags = {**tags, "dagster/partition": partition_key}
    plan = create_execution_plan(job, run_config=QUIET, tags=tags)
    location = ManagedGrpcPythonEnvCodeLocationOrigin(
        LoadableTargetOrigin(
            executable_path=sys.executable, module_name=module, working_directory=root
        ),
        location_name=LOCATION_NAME,
    )
    run = instance.create_run_for_job(
        job_def,
        execution_plan=plan,
        run_config=QUIET,
        tags={**job_def.run_tags, **tags},
        remote_job_origin=RemoteJobOrigin(
            RemoteRepositoryOrigin(location, "__repository__"), job_name
        ),
        job_code_origin=job.get_python_origin(),
    )
    return execute_run(job, run, instance)


def interrupted(result) -> bool:
    """Whether a step was interrupted: Dagster takes SIGTERM and SIGINT over while a run
    executes, and stops the step with this error."""
    return any(
        event.is_step_failure
        and event.step_failure_data.error is not None
        and event.step_failure_data.error.cls_name == "DagsterExecutionInterruptedError"
        for event in result.all_events
    )


def materialized(result: dg.ExecuteInProcessResult) -> dict[str, dict]:
    out = {}
    for event in result.get_asset_materialization_events():
        materialization = event.event_specific_data.materialization
        out[materialization.asset_key.path[-1]] = {
            k: getattr(v, "value", v) for k, v in materialization.metadata.items()
        }
    return out


def step_failures(result: dg.ExecuteInProcessResult) -> list[tuple[str, str]]:
    return run_log.step_failures(e for e in result.all_events if e.is_step_failure)


def fail_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed the runs of an earlier `make run` whose process died (killed, or the
    machine went down): otherwise they stay "started" in the UI for ever."""
    import dagster as dg

    in_progress = dg.RunsFilter(
        statuses=[dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING]
    )
    failed = []
    for run in instance.get_runs(filters=in_progress):
        pid = run.tags.get(PID_TAG)
        if not pid or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            instance.report_run_failed(run, f"its process ({pid}) ended without finishing")
            failed.append(run.run_id)
        except PermissionError:
            pass  # alive, someone else's
    return failed
