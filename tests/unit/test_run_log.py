"""A failed step is told by what went wrong, not by Dagster's wrapping of it."""

from types import SimpleNamespace

from dagster._utils.error import SerializableErrorInfo

from orchestration.lib.publishing.run_log import step_failures


def failed(error) -> SimpleNamespace:
    data = SimpleNamespace(user_failure_data=None, error=error)
    return SimpleNamespace(step_failure_data=data, step_key="reports__monthly_report")


def test_a_failed_step_names_its_root_cause():
    cause = SerializableErrorInfo("string indices must be integers\n", [], "TypeError")
    wrapped = SerializableErrorInfo(
        'Error occurred while executing op "reports__monthly_report":',
        [],
        "DagsterExecutionStepExecutionError",
        cause=cause,
    )
    assert step_failures([failed(wrapped)]) == [
        (
            "reports__monthly_report",
            "FAILED reports__monthly_report: TypeError: string indices must be integers",
        )
    ]
    assert step_failures([failed(None)])[0][1] == "FAILED reports__monthly_report: failed"
