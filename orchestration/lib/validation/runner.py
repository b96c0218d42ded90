"""Running a suite with Great Expectations (1.x, file context under the warehouse's gx/
folder) on a DataFrame, and its Data Docs site."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

import pandas as pd

from orchestration.lib.delivery.problems import SHOWN


@cache
def _context(gx_dir: str, docs_dir: str):
    import great_expectations as gx

    from orchestration.lib.validation import custom_expectations  # noqa: F401  (stored suites use it)

    context = gx.get_context(mode="file", project_root_dir=gx_dir)
    context.variables.progress_bars = {"globally": False, "metric_calculations": False}
    context.variables.save()
    site = {
        "class_name": "SiteBuilder",
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": docs_dir},
    }
    sites = context.get_config().data_docs_sites or {}
    if "psw" not in sites:
        context.add_data_docs_site(site_name="psw", site_config=site)
    context.data_sources.add_or_update_pandas("psw")
    return context


_definitions: dict[tuple[str, str, str], object] = {}

# each result with every failing row (gx_problems names them); the results are stored, and
# `make docs` builds their Data Docs site when asked
RESULT_FORMAT = {"result_format": "COMPLETE", "partial_unexpected_count": SHOWN}


def _definition(gx_dir: str, docs_dir: str, source_name: str, expectations: Callable[[], list]):
    """The suite's validation definition, built (and stored in the GX project) once per
    process. (No checkpoint around it: it would have no actions to take, and costs time.)"""
    key = (gx_dir, docs_dir, source_name)
    if key not in _definitions:
        _definitions[key] = _build_definition(gx_dir, docs_dir, source_name, expectations)
    return _definitions[key]


def _build_definition(
    gx_dir: str, docs_dir: str, source_name: str, expectations: Callable[[], list]
):
    import great_expectations as gx

    context = _context(gx_dir, docs_dir)
    datasource = context.data_sources.get("psw")
    names = {a.name for a in datasource.assets}
    asset = (
        datasource.get_asset(source_name)
        if source_name in names
        else datasource.add_dataframe_asset(source_name)
    )
    batches = {b.name for b in asset.batch_definitions}
    batch = (
        asset.get_batch_definition("month")
        if "month" in batches
        else asset.add_batch_definition_whole_dataframe("month")
    )
    suite = context.suites.add_or_update(
        gx.ExpectationSuite(name=source_name, expectations=expectations())
    )
    return context.validation_definitions.add_or_update(
        gx.ValidationDefinition(name=source_name, data=batch, suite=suite)
    )


def run_suite(
    name: str,
    expectations: Callable[[], list],
    frame: pd.DataFrame,
    parameters: dict,
    gx_dir: Path,
    docs_dir: Path,
) -> list:
    """Validate `frame` against the suite `name` (built once per process from
    `expectations`), storing the result in the GX project; every expectation's result."""
    definition = _definition(str(gx_dir), str(docs_dir), name, expectations)
    result = definition.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=parameters,
        result_format=RESULT_FORMAT,
    )
    return list(result.results)


def build_data_docs(gx_dir: Path, docs_dir: Path) -> Path:
    """(Re)build the Data Docs site of every stored validation; returns its index page."""
    _context(str(gx_dir), str(docs_dir)).build_data_docs(site_names=["psw"])
    return Path(docs_dir) / "index.html"
