"""The release: the file that leaves the statistics bureau, written after each build from the
warehouse's `release` schema (disclosure control has masked every held figure there)."""

from pathlib import Path

import dagster as dg
import duckdb
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.dbt.assets import psw_dbt_models
from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.resources import WarehouseResource
from orchestration.lib import settings
from orchestration.lib.dbt.build import manifest
from orchestration.lib.release.export import ReleaseStopped, write_release

RELEASE_KEY = dg.AssetKey(["release", "psw_release"])


def release_models() -> list[dg.AssetKey]:
    """The dbt models of the release layer (models/release/), the file's tables."""
    return [
        get_asset_key_for_model([psw_dbt_models], node["name"])
        for node in manifest()["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "release"
    ]


@dg.asset(
    key=RELEASE_KEY,
    group_name="release",
    owners=["team:tjj"],
    partitions_def=monthly_partitions,
    deps=release_models(),
    kinds={"duckdb", "parquet"},
    description=(
        "对外发布的数据：仅含汇总数据（指标、目录、月报表、修订、公开的项目与集聚区），经保密审查，"
        "不公布的数值为空（保密状态C）；写入 $PSW_RELEASE_DIR/psw_release.duckdb 及每月的 Parquet "
        "文件 / The release: what may leave the bureau (aggregates only: the indicators, the "
        "catalogue, the report tables, the revisions, the public projects and clusters), after "
        "disclosure control, every held figure without its value (CONF_STATUS C). Written to "
        "$PSW_RELEASE_DIR/psw_release.duckdb and each month's Parquet files, replaced atomically."
    ),
)
def psw_release(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    try:
        release = write_release(Path(warehouse.database), settings.release_dir())
    except ReleaseStopped as error:
        raise dg.Failure(description=str(error)) from error
    with duckdb.connect(warehouse.database, read_only=True) as conn:
        audit = conn.execute(
            """
            select count(*) filter (where conf_status = 'C'),
                   count(*) filter (where conf_status = 'D'),
                   count(*) filter (where conf_status != 'F' and audit_upper > audit_lower)
            from marts.fct_indicator_disclosure
            """
        ).fetchone()
    primary, secondary, protected = audit
    context.log.info(
        f"release {release.path}: {len(release.months)} month(s), {release.held} held figures "
        f"({primary} primary, {secondary} secondary; the audit protects {protected})"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(release.path)),
            "months": ", ".join(release.months),
            "held_primary": primary,
            "held_secondary": secondary,
            "held_protected_by_audit": protected,
            **{f"rows/{table}": rows for table, rows in release.tables.items()},
            "dagster/row_count": sum(release.tables.values()),
        }
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[psw_release])
