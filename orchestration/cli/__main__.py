"""psw's command line (`python -m orchestration.cli COMMAND`): what make runs.

Commands that run the pipeline are in run.py (with jobs.py, which runs a job of the code
location), the ones that read the warehouse in read.py, the pages server and the docs in
pages.py.
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import sys

from orchestration.cli.pages import build_docs, serve_pages, write_contract
from orchestration.cli.read import asof, explain, query, summary
from orchestration.cli.run import STOPPED, release, report, run
from orchestration.lib import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="psw", description="load, build, report and query the psw warehouse"
    )
    parser.add_argument(
        "command",
        choices=[
            "run",
            "summary",
            "query",
            "docs",
            "report",
            "asof",
            "explain",
            "contract",
            "pages",
            "release",
        ],
    )
    parser.add_argument(
        "words",
        nargs="*",
        help="for `query`: the SQL to run (read-only); for `asof`: the time, e.g. 2025-07-10 "
        "or '2025-07-10 12:00' (UTC unless it says +08:00; a date alone is its whole day); for "
        "`explain`: the indicator, month and scope, e.g. ENT_REV_YOY 2025-06 district, or "
        "ENT_REV_YTD 2025-06 board HTZ; for `release`: status, publish, or approve MONTH",
    )
    parser.add_argument("--indicator", help="for `asof`: only this indicator, e.g. ENT_REV_YOY")
    parser.add_argument(
        "--all",
        nargs="?",
        const="",
        metavar="CSV",
        help="for `explain`: write every contribution to this CSV file (default: "
        "<warehouse folder>/explain/<indicator>_<month>_<scope>.csv)",
    )
    parser.add_argument(
        "--months",
        help="for `run`: only these months, e.g. 2025-06 or "
        "2025-04..2025-06 (default: every month found)",
    )
    parser.add_argument(
        "--month", help="for `report`: the month, e.g. 2025-06 (default: the latest loaded)"
    )
    parser.add_argument("--by", help="for `release approve`: the approver's name (审签)")
    parser.add_argument(
        "--warehouse",
        choices=["release", "internal"],
        help="for `query` and `explain`: the release (what leaves the bureau: the default of "
        "`query`, also from $PSW_QUERY_WAREHOUSE) or the bureau's internal warehouse (the "
        "default of `explain`)",
    )
    args = parser.parse_args(argv)

    if args.command == "pages":
        return serve_pages()
    if args.command == "contract":
        return write_contract()
    if args.command == "release":
        if not args.words or args.words[0] not in ("status", "publish", "approve"):
            parser.error("release needs status, publish, or approve MONTH --by NAME")
        month = args.words[1] if len(args.words) > 1 else None
        return release(args.words[0], month, args.by)
    warehouse = settings.warehouse_path()
    if args.command in ("summary", "query", "report", "asof", "explain") and not warehouse.exists():
        print(f"no warehouse at {warehouse}: run `make run` first", file=sys.stderr)
        return 1
    if args.command == "summary":
        print(summary(str(warehouse)))
        return 0
    if args.command == "report":
        return report(warehouse, args.month)
    if args.command == "docs":
        for page in build_docs(warehouse):
            print(f"{page}")
        return 0
    if args.command == "asof":
        if len(args.words) != 1:
            parser.error("asof needs one time, e.g. asof '2025-07-10 12:00'")
        return asof(warehouse, args.words[0], args.indicator)
    if args.command == "explain":
        if len(args.words) < 2:
            parser.error("explain needs an indicator and a month, e.g. explain ENT_REV_YOY 2025-06")
        if args.warehouse == "release":
            warehouse = settings.release_path()
        return explain(warehouse, args.words, args.all)
    if args.command == "query":
        if len(args.words) != 1 or not args.words[0].strip():
            parser.error('query needs the SQL, e.g. make query SQL="select 42"')
        tier = args.warehouse or os.environ.get("PSW_QUERY_WAREHOUSE") or "release"
        if tier not in ("release", "internal"):
            parser.error(f"the warehouse is release or internal, not {tier!r}")
        if tier == "release":
            warehouse = settings.release_path()
            if not warehouse.exists():
                print(f"no release at {warehouse}: run `make run` first", file=sys.stderr)
                return 1
        label = (
            "the release: what leaves the bureau; WAREHOUSE=internal for the bureau's warehouse"
            if tier == "release"
            else "the bureau's internal warehouse: microdata, not for release"
        )
        return query(warehouse, args.words[0], label)
    return run(warehouse, args.months)


if __name__ == "__main__":
    # At exit, Python's collector walks every object the imports made (Dagster, GX, dbt's
    # adapters): more than a second. Frozen, they are left to the end of the process; every
    # file and connection is closed by then (each is opened in a `with`).
    atexit.register(gc.freeze)
    status = main()
    if status == STOPPED:
        # Stopped, and said so: leave now. An interrupt Dagster still holds would otherwise
        # surface in the interpreter's teardown, which then ends the process by SIGINT.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(STOPPED)
    sys.exit(status)
