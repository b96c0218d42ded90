from functools import cache

from dagster_dbt import DbtProject

from orchestration.lib.settings import DBT_PROJECT_DIR


@cache
def psw_dbt_project() -> DbtProject:
    """The dbt project; under `dagster dev` its manifest is (re)built at load, elsewhere
    `make prepare` builds it once (importing the code location never runs dbt otherwise)."""
    project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)
    project.prepare_if_dev()
    return project
