import dagster as dg


class RawFilesResource(dg.ConfigurableResource):
    """The folder the departments deliver their spreadsheets into ($PSW_RAW_DIR)."""

    directory: str


class GreatExpectationsResource(dg.ConfigurableResource):
    """Where GX keeps its project (suites, results) and writes its Data Docs site."""

    project_dir: str
    data_docs_dir: str
