"""Finding the delivered files: raw/<source>/<文件名>_<month>.xlsx.

Every file in the raw folder is either a delivery (a source, a month, a path) or unplaced,
with the reason; nothing is skipped in silence. For one source and month, the file to load is
the latest correction: the original, then `…_更正`, then `…_更正(2)`, `…_更正(3)`; two files
of the same rank (`… - 副本.xlsx` beside the original) are ambiguous, and the month is
rejected naming both.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.periods import month_from_filename, months_from, months_in_filename

# Files a department may deliver: the reader reads .xlsx and rejects the others with a reason.
DELIVERY_SUFFIXES = (".xlsx", ".xls", ".xlsm")
_CORRECTION = re.compile(r"更正\s*(?:[(（]\s*(\d{1,2})\s*[)）]|(\d{1,2})(?!\d))?")


def _ignored(path: Path) -> bool:
    """Excel's lock files, hidden files and psw's own folders (raw/_generator)."""
    return path.name.startswith(("~$", ".", "_"))


@dataclass(frozen=True)
class Delivery:
    month: str  # YYYY-MM
    path: Path

    @property
    def correction(self) -> int:
        """0 for the original, 1 for `…_更正`, n for `…_更正(n)`."""
        match = _CORRECTION.search(self.path.stem)
        if not match:
            return 0
        return int(match.group(1) or match.group(2) or 1)


@dataclass(frozen=True)
class Unplaced:
    """A file in the raw folder that is not loaded, and why."""

    path: Path
    reason: str
    source: str | None = None
    month: str | None = None


class AmbiguousDelivery(Exception):
    def __init__(self, source: str, month: str, paths: list[Path]):
        self.paths = paths
        names = ", ".join(p.name for p in paths)
        super().__init__(
            f"{len(paths)} files for {source} {month} and none is a later correction of the "
            f"others: {names}. Keep one (a re-delivery is named …_更正.xlsx, a second one "
            "…_更正(2).xlsx) and re-run"
        )


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not _ignored(p)) if folder.is_dir() else []


def deliveries(raw_dir: Path, source: str) -> list[Delivery]:
    """Every file of a source whose name says its month, oldest month first."""
    found = [
        Delivery(month, path)
        for path in _files(Path(raw_dir) / source)
        if path.is_file()
        and path.suffix.lower() in DELIVERY_SUFFIXES
        and (month := month_from_filename(path.name))
    ]
    return sorted(found, key=lambda d: (d.month, d.correction, d.path.name))


def delivery_for(raw_dir: Path, source: str, month: str) -> Delivery | None:
    """The file to load for a month: the latest correction; raises AmbiguousDelivery when
    two files share the latest rank."""
    candidates = [d for d in deliveries(raw_dir, source) if d.month == month]
    if not candidates:
        return None
    latest = [d for d in candidates if d.correction == candidates[-1].correction]
    if len(latest) > 1:
        raise AmbiguousDelivery(source, month, [d.path for d in latest])
    return latest[0]


def months_delivered(raw_dir: Path, loadable: Collection[str] | None = None) -> list[str]:
    """Every month for which any source delivered a file (of `loadable`, when given)."""
    return sorted(
        {
            d.month
            for source in SOURCES
            for d in deliveries(raw_dir, source)
            if loadable is None or d.month in loadable
        }
    )


def missing_months(raw_dir: Path) -> list[tuple[str, str]]:
    """(source, month) of every month a source's cadence makes due between the first and the
    last month it delivered, and for which the raw folder has no file."""
    out = []
    for name, source in SOURCES.items():
        delivered = sorted({d.month for d in deliveries(raw_dir, name)})
        if delivered:
            out += [
                (name, month)
                for month in months_from(delivered[0], delivered[-1])
                if source.expects(month) and month not in delivered
            ]
    return out


def gone_files(
    raw_dir: Path, loaded: Collection[tuple[str, str, str]]
) -> list[tuple[str, str, str]]:
    """Of the (source, month, file) the warehouse holds rows from, those whose month has no
    file in the raw folder any more: the rows stay, and a run says so."""
    delivered = {(name, d.month) for name in SOURCES for d in deliveries(raw_dir, name)}
    return [
        (source, month, file)
        for source, month, file in loaded
        if (source, month) not in delivered and not (Path(raw_dir) / source / file).exists()
    ]


def unplaced_files(raw_dir: Path, loadable: Collection[str]) -> list[Unplaced]:
    """Every file under the raw folder that no load will read, with the reason."""
    raw_dir = Path(raw_dir)
    first, last = (min(loadable), max(loadable)) if loadable else ("-", "-")
    out: list[Unplaced] = []
    for entry in _files(raw_dir):
        if entry.is_file():
            out.append(Unplaced(entry, f"is not in a source folder ({', '.join(SOURCES)})"))
        elif entry.name not in SOURCES:
            out += [
                Unplaced(p, f"folder '{entry.name}' is not a source ({', '.join(SOURCES)})")
                for p in sorted(entry.rglob("*"))
                if p.is_file() and not _ignored(p)
            ]
    for source in SOURCES:
        for path in _files(raw_dir / source):
            month = month_from_filename(path.name)
            if path.is_dir():
                out += [
                    Unplaced(p, "is in a sub-folder: psw reads the source folder itself", source)
                    for p in sorted(path.rglob("*"))
                    if p.is_file() and not _ignored(p)
                ]
            elif path.suffix.lower() not in DELIVERY_SUFFIXES:
                out.append(
                    Unplaced(
                        path,
                        f"is a '{path.suffix or 'no extension'}' file: psw reads Excel "
                        "workbooks (.xlsx); save it as one",
                        source,
                        month,
                    )
                )
            elif month is None:
                named = sorted(months_in_filename(path.name))
                out.append(
                    Unplaced(
                        path,
                        f"the file name says {len(named)} months ({', '.join(named)}): keep one"
                        if named
                        else "the file name does not say the month "
                        "(…_YYYY-MM.xlsx, …_YYYYMM.xlsx or …_YYYY年M月.xlsx)",
                        source,
                    )
                )
            elif month not in loadable:
                out.append(
                    Unplaced(
                        path,
                        f"names the month {month}, outside the months psw loads ({first}..{last})",
                        source,
                        month,
                    )
                )
    return out


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def scan_changes(
    raw_dir: Path, cursor: dict[str, list], already_loaded: set[tuple[str, str]]
) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list]]:
    """Files that appeared or changed since the cursor, by month: {month: [(file, sha256)]}.

    The cursor maps each file (relative path) to [size, mtime_ns, sha256]; a file whose size
    and mtime are unchanged is not hashed again. A file whose name and hash the warehouse has
    already loaded (`already_loaded`) is not a change.
    """
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
