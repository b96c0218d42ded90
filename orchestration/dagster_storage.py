"""Dagster's SQLite instance storage, with its connections kept open between writes.

Dagster's SQLite storage opens a new SQLAlchemy engine and file connection for every write and
commits each with a full sync: a month's runs write about 600 events (each dbt test's check
result goes to the run's shard and to the index), at 3-6 ms each. This storage keeps one
engine per database file (the few most recent run shards, the index, the runs database) and
commits with `synchronous=NORMAL`, which in the WAL mode Dagster uses keeps every commit
atomic and the files consistent; only a power cut can lose the last commits of the run
history (the warehouse itself is DuckDB's, untouched by this). Same files, same schema:
`dagster.yaml` selects it, and the webserver and the daemon read what it writes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.events.log import EventLogEntry
from dagster._core.instance.ref import (
    _event_logs_directory,
    _runs_directory,
    _schedule_directory,
)
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus
from dagster._core.storage.event_log.schema import AssetCheckExecutionsTable
from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.schedules.sqlite.sqlite_schedule_storage import SqliteScheduleStorage
from dagster._core.storage.sqlite_storage import DagsterSqliteStorage
from dagster._serdes import ConfigurableClassData, serialize_value
from dagster._utils import mkdir_p
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Connection, Engine

OPEN_SHARDS = 4  # run shards kept open; the index shard is one of them


def _engine(conn_string: str) -> Engine:
    engine = create_engine(conn_string, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    return engine


class PswEventLogStorage(SqliteEventLogStorage):
    """The event log, one open engine per recent shard."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._tables: set[str] = set()
        super().__init__(base_dir, inst_data)

    def _shard_engine(self, shard: str) -> Engine:
        engine = self._engines.pop(shard, None) or _engine(self.conn_string_for_shard(shard))
        self._engines[shard] = engine
        while len(self._engines) > OPEN_SHARDS:
            _, oldest = self._engines.popitem(last=False)
            oldest.dispose()
        return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._shard_engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def has_table(self, table_name: str) -> bool:
        # Dagster's opens an engine for each call, and asks once for every check result it
        # stores; a table, once there, stays (migrations add tables, none drops one).
        if table_name not in self._tables:
            if not super().has_table(table_name):
                return False
            self._tables.add(table_name)
        return True

    def _store_asset_check_evaluation_planned(self, event: EventLogEntry, event_id) -> None:
        # Dagster's inserts each planned check's rows as a multi-row VALUES clause, which
        # SQLAlchemy compiles anew every time (a run plans a row per dbt test); the same
        # rows as one statement with the rows as parameters compile once.
        planned = event.get_dagster_event().event_specific_data
        partition_keys = (
            planned.partitions_subset.get_partition_keys() if planned.partitions_subset else [None]
        )
        serialized = serialize_value(event)
        timestamp = self._event_insert_timestamp(event)
        with self.index_connection() as conn:
            conn.execute(
                AssetCheckExecutionsTable.insert(),
                [
                    {
                        "asset_key": planned.asset_key.to_string(),
                        "check_name": planned.check_name,
                        "partition": partition_key,
                        "run_id": event.run_id,
                        "execution_status": AssetCheckExecutionRecordStatus.PLANNED.value,
                        "evaluation_event": serialized,
                        "evaluation_event_timestamp": timestamp,
                        "evaluation_event_storage_id": event_id,
                    }
                    for partition_key in partition_keys
                ],
            )

    def _close_engines(self) -> None:
        with self._db_lock:
            while self._engines:
                self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        self._close_engines()  # an open engine would go on writing the deleted shard files
        super().wipe()

    def dispose(self) -> None:
        self._close_engines()
        super().dispose()


class PswRunStorage(SqliteRunStorage):
    """The runs database, on one open engine."""

    def __init__(self, conn_string: str, inst_data: ConfigurableClassData | None = None):
        super().__init__(conn_string, inst_data)
        self._open_engine = _engine(conn_string)  # connects at its first use

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        with self._open_engine.connect() as conn, conn.begin():
            yield conn

    def dispose(self) -> None:
        self._open_engine.dispose()
        super().dispose()


class PswSqliteStorage(DagsterSqliteStorage):
    """Dagster's SQLite storage (same folders under `base_dir`), with the two above."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self.base_dir = base_dir
        self._run_storage = PswRunStorage.from_local(_runs_directory(base_dir))
        self._event_log_storage = PswEventLogStorage(_event_logs_directory(base_dir))
        self._schedule_storage = SqliteScheduleStorage.from_local(_schedule_directory(base_dir))
        self._inst_data = inst_data
        super(DagsterSqliteStorage, self).__init__()

    @classmethod
    def from_config_value(cls, inst_data, config_value) -> PswSqliteStorage:
        mkdir_p(config_value["base_dir"])
        return cls(config_value["base_dir"], inst_data=inst_data)
