import dagster as dg


class RawFilesResource(dg.ConfigurableResource):
    """The folder the departments deliver their spreadsheets into ($PSW_RAW_DIR)."""

    directory: str
