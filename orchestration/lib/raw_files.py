"""Finding the delivered files: raw/<source>/<文件名>_<month>.xlsx."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.periods import month_from_filename
from orchestration.lib.sources import SOURCES

CORRECTION_MARK = "更正"
# Files a department may deliver; anything else in the folder (lock files, notes) is not a delivery.
DELIVERY_SUFFIXES = (".xlsx", ".xls", ".xlsm")


@dataclass(frozen=True)
class Delivery:
    source: str
    month: str  # YYYY-MM
    path: Path

    @property
    def is_correction(self) -> bool:
        return CORRECTION_MARK in self.path.stem


def _delivered_files(raw_dir: Path, source: str) -> list[Path]:
    """The spreadsheets in a source's folder, without Excel's lock files and hidden files."""
    folder = Path(raw_dir) / source
    if not folder.is_dir():
        return []
    return [
        p
        for p in sorted(folder.iterdir())
        if p.suffix.lower() in DELIVERY_SUFFIXES and not p.name.startswith(("~$", "."))
    ]


def deliveries(raw_dir: Path, source: str) -> list[Delivery]:
    """Every file of a source whose name says its month, oldest month first."""
    found = [
        Delivery(source, month, path)
        for path in _delivered_files(raw_dir, source)
        if (month := month_from_filename(path.name))
    ]
    return sorted(found, key=lambda d: (d.month, d.is_correction, d.path.name))


def delivery_for(raw_dir: Path, source: str, month: str) -> Delivery | None:
    """The file to load for a month: a correction (…_更正) wins over the original."""
    candidates = [d for d in deliveries(raw_dir, source) if d.month == month]
    return candidates[-1] if candidates else None


def months_delivered(raw_dir: Path) -> list[str]:
    """Every month for which any source delivered a file, in order."""
    return sorted({d.month for source in SOURCES for d in deliveries(raw_dir, source)})


def undated_files(raw_dir: Path) -> list[Path]:
    """Delivered files whose name does not say a month: reported, never silently skipped."""
    return [
        path
        for source in SOURCES
        for path in _delivered_files(raw_dir, source)
        if month_from_filename(path.name) is None
    ]


def scan_changes(
    raw_dir: Path, cursor: dict[str, list], already_loaded: set[tuple[str, str]]
) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list]]:
    """Files that appeared or changed since the cursor, by month: {month: [(file, sha256)]}.

    The cursor maps each file (relative path) to [size, mtime_ns, sha256]; a file whose size
    and mtime are unchanged is not hashed again. A file whose name and hash the warehouse has
    already loaded (`already_loaded`) is not a change.
    """
    from orchestration.lib.spreadsheet import file_sha256

    changes: dict[str, list[tuple[str, str]]] = {}
    new_cursor: dict[str, list] = {}
    for source in SOURCES:
        for delivery in deliveries(raw_dir, source):
            key = str(delivery.path.relative_to(raw_dir))
            stat = delivery.path.stat()
            seen = cursor.get(key)
            if seen and seen[:2] == [stat.st_size, stat.st_mtime_ns]:
                sha = seen[2]
            else:
                sha = file_sha256(delivery.path)
            new_cursor[key] = [stat.st_size, stat.st_mtime_ns, sha]
            if (seen is None or seen[2] != sha) and (delivery.path.name, sha) not in already_loaded:
                changes.setdefault(delivery.month, []).append((key, sha))
    return dict(sorted(changes.items())), new_cursor
