"""The release, in two steps: each build writes the month's **draft** (the warehouse's
`release` schema, disclosure control done), which the bureau reviews and approves; at its
time on the calendar an approved draft is **published**, as a new version of its month, into
the release folder readers open. lib/release/draft.py and export.py do the work; register.py keeps
every step."""

from pathlib import Path

import dagster as dg
from dagster_dbt import get_asset_key_for_model

from orchestration.defs.dbt.assets import psw_dbt_models
from orchestration.defs.partitions import monthly_partitions
from orchestration.defs.resources import WarehouseResource
from orchestration.lib import settings
from orchestration.lib.dbt.build import manifest
from orchestration.lib.release import draft, export, sdmx
from orchestration.lib.release.register import MonthState, beijing
from orchestration.lib.report import write_report

DRAFT_KEY = dg.AssetKey(["release", "draft"])
PUBLISHED_KEY = dg.AssetKey(["release", "published"])


def release_models() -> list[dg.AssetKey]:
    """The dbt models of the release layer (models/release/), the file's tables."""
    return [
        get_asset_key_for_model([psw_dbt_models], node["name"])
        for node in manifest()["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "release"
    ]


def states_table(states: dict[str, MonthState]) -> str:
    """Each month's state as a Markdown table, for the asset's page in the UI."""
    lines = [
        "| 月份 month | 状态 state | 版本 version | 审签 approved by | 审签时间 approved at "
        "| 发布时间 release time | 发布于 published at |",
        "|---|---|---|---|---|---|---|",
    ]
    for month, s in sorted(states.items()):
        lines.append(
            f"| {month} | {s.state} | v{s.version} | {s.approved_by or ''} | "
            f"{beijing(s.approved_at)} | {beijing(s.release_at)} | {beijing(s.released_at)} |"
        )
    return "\n".join(lines) + "\n\n(Beijing time)"


@dg.asset(
    key=DRAFT_KEY,
    group_name="release",
    owners=["team:tjj"],
    partitions_def=monthly_partitions,
    deps=release_models(),
    kinds={"duckdb"},
    description=(
        "对外发布数据的草稿：每次构建后写出，仅供统计局内部审核，审签后按发布日程发布；数值"
        "变动的月份须重新审签。写入 $PSW_DRAFTS_DIR/psw_release_draft.duckdb / The release's "
        "draft: the release tables after each build, for the bureau's review only; approved, it "
        "is published at its time on the calendar; a month whose figures change needs approving "
        "again. Written to $PSW_DRAFTS_DIR/psw_release_draft.duckdb."
    ),
)
def release_draft(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    now = settings.now()
    try:
        written = draft.write_draft(
            Path(warehouse.database), settings.drafts_dir(), now, context.run_id
        )
    except draft.ReleaseStopped as error:
        raise dg.Failure(description=str(error)) from error
    states = draft.month_states(settings.drafts_dir())
    context.log.info(
        f"draft {written.path}: {len(written.months)} month(s), {written.held} held figures; "
        f"figures changed in {', '.join(written.changed) or 'no month'}"
    )
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(written.path)),
            "months": ", ".join(written.months),
            "changed_months": ", ".join(written.changed),
            "held": written.held,
            "states": dg.MetadataValue.md(states_table(states)),
            **{f"state/{m}": s.says(now) for m, s in sorted(states.items())},
            "dagster/row_count": sum(written.tables.values()),
        }
    )


@dg.asset(
    key=PUBLISHED_KEY,
    group_name="release",
    owners=["team:tjj"],
    deps=[DRAFT_KEY],
    kinds={"duckdb", "parquet", "sdmx"},
    description=(
        "对外发布：已审签且到达发布时间的月份作为新版本发布（Parquet、发布说明、SDMX、月报），"
        "已发布的版本不再改动；读者打开的 $PSW_RELEASE_DIR/psw_release.duckdb 随之原子替换 / "
        "The release: every approved month whose time has come goes out as its next version "
        "(Parquet, release notes, SDMX, the report), never changed afterwards; "
        "$PSW_RELEASE_DIR/psw_release.duckdb, the file readers open, is replaced atomically."
    ),
)
def release_published(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    now = settings.now()
    try:
        published = export.publish(
            settings.drafts_dir(),
            settings.release_dir(),
            now,
            write_report=write_report,
            write_sdmx=sdmx.write_version,
        )
    except draft.ReleaseStopped as error:
        raise dg.Failure(description=str(error)) from error
    for state in published.released:
        context.log.info(f"{state.month}: {state.says(now)}")
    waiting = [s for s in published.states.values() if s.state != "released"]
    for state in waiting:
        context.log.info(f"{state.month}: {state.says(now)}")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(published.path)),
            "released_now": ", ".join(f"{s.month} v{s.version}" for s in published.released),
            "states": dg.MetadataValue.md(states_table(published.states)),
            **{f"state/{m}": s.says(now) for m, s in sorted(published.states.items())},
            "waiting": len(waiting),
        }
    )


class ApprovalConfig(dg.Config):
    """审签: the month (YYYY-MM) and the approver's name."""

    month: str
    by: str


@dg.op(description="审签一个月的草稿 / Approve a month's draft release, naming the approver.")
def approve_draft(context: dg.OpExecutionContext, config: ApprovalConfig) -> None:
    now = settings.now()
    try:
        state = draft.approve(settings.drafts_dir(), config.month, config.by, now)
    except draft.ApprovalRefused as error:
        raise dg.Failure(description=f"{config.month}: {error}") from error
    context.log.info(f"{state.month}: {state.says(now)}")
    context.log_event(
        dg.AssetObservation(
            asset_key=DRAFT_KEY,
            partition=state.month,
            metadata={
                "state": state.says(now),
                "approved_by": state.approved_by,
                "approved_at": beijing(state.approved_at),
                "fingerprint": state.fingerprint,
            },
        )
    )


@dg.job(
    description=(
        "审签：在 Launchpad 中填写月份与审签人 / Approve a month's draft: give the month and "
        "the approver's name in the Launchpad (ops: approve_draft: config: month, by)."
    )
)
def approve_release():
    approve_draft()


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[release_draft, release_published], jobs=[approve_release])
