import importlib.metadata
from collections.abc import Sequence
from functools import cache, cached_property

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

from orchestration.lib.settings import DBT_PREPARED_TARGET, DBT_PROJECT_DIR


@cache
def psw_dbt_project() -> DbtProject:
    """The dbt project; under `dg dev` its manifest is (re)built at load, elsewhere `make
    prepare` builds it once (importing the code location never runs dbt otherwise).

    The manifest has a folder of its own, target/dagster/: any other dbt command (an
    analyst's `dbt show`, `make docs`, the benchmarks' floor) writes target/manifest.json,
    and a run starting meanwhile would read it half written."""
    project = DbtProject(
        project_dir=DBT_PROJECT_DIR,
        profiles_dir=DBT_PROJECT_DIR,
        target_path=DBT_PREPARED_TARGET,
    )
    project.prepare_if_dev()
    return project


class PswDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource, without the two costs it pays before each invocation
    that psw does not use: running `dbt --version` in a subprocess (about 6 s: the dbt it runs
    is dbt-core's, installed beside this interpreter) and opening dbt's adapter in this process
    (for dagster-dbt's row counts and column metadata; psw counts rows once dbt has finished,
    see assets.with_row_counts)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None
