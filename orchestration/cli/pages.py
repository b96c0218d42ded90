"""What `make ui` serves beside Dagster and what `make docs` and `cli contract` write: the
validation pages on 127.0.0.1, dbt's docs and GX's Data Docs, and the contract's pages."""

from __future__ import annotations

import contextlib
import functools
import http
import http.server
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

from orchestration.lib import settings
from orchestration.lib.delivery import contract
from orchestration.lib.validation.page import write_index
from orchestration.lib.validation.runner import build_data_docs

DOCS = settings.REPO_ROOT / "docs"
CONTRACT_PAGE, INDICATORS_PAGE = DOCS / "contract.md", DOCS / "indicators.md"


def build_docs(warehouse: Path) -> list[Path]:
    """dbt's docs site (with the catalogue of a copy of the published warehouse) and the GX
    Data Docs index, into the warehouse folder's ignored output."""
    out = warehouse.parent / "docs" / "dbt"
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "docs.duckdb"
        if warehouse.exists():
            shutil.copyfile(warehouse, copy)
        subprocess.run(
            [
                str(Path(sys.executable).parent / "dbt"),
                "docs",
                "generate",
                "--static",
                "--target",
                "docs",
                "--target-path",
                str(out),
                "--profiles-dir",
                ".",
                "--quiet",
            ],
            cwd=settings.DBT_PROJECT_DIR,
            check=True,
            env={**os.environ, "PSW_DOCS_DATABASE": str(copy)},
        )
    gx_index = build_data_docs(settings.gx_project_dir(), settings.data_docs_dir())
    return [out / "static_index.html", gx_index]


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the regular files inside the pages folder and nothing else: no listing of a
    folder, no symbolic link (to a file or a folder, inside or out), no device or pipe."""

    def send_head(self):
        path = Path(self.translate_path(self.path))  # `..` already dropped
        # a folder is its index.html, as the base class serves it
        if not _regular_inside(path / "index.html" if path.is_dir() else path, self.directory):
            self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
            return None
        return super().send_head()

    def list_directory(self, path):
        self.send_error(http.HTTPStatus.NOT_FOUND, "File not found")
        return None


def _regular_inside(path: Path, folder: str) -> bool:
    """Whether `path` is a regular file reached from `folder` through no symbolic link."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return False
    current = Path(folder)
    for part in parts:
        current = current / part
        if current.is_symlink():
            return False
    return current.is_file()


def serve_pages() -> int:
    """Serve the validation pages on 127.0.0.1 (`make ui` starts it beside Dagster), so that
    a check's link opens in the browser: a browser refuses file:// links from a web page."""
    pages = settings.validation_pages_dir()
    pages.mkdir(parents=True, exist_ok=True)
    if not (pages / "index.html").exists():
        (pages / "index.jsonl").touch()
        write_index(pages)
    port = urllib.parse.urlparse(settings.pages_url()).port
    handler = functools.partial(PagesHandler, directory=str(pages))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        print(f"psw: validation pages of {pages} on {settings.pages_url()}/", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    return 0


def write_contract() -> int:
    """docs/contract.md and docs/indicators.md, written from the declarations."""
    for page, text in (
        (CONTRACT_PAGE, contract.render()),
        (INDICATORS_PAGE, contract.render_indicators()),
    ):
        page.write_text(text, encoding="utf-8")
        print(page)
    return 0
