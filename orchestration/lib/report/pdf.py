"""The analysis as PDF, converted from its Word document by LibreOffice where it is installed
(Debian's `libreoffice-writer-nogui`; `make renderers`). Documents are converted in one batch
(LibreOffice starts once: about half a second a document after two of starting), each PDF
written beside its document and put in place atomically."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path


class PdfError(Exception):
    """LibreOffice is installed and did not convert a document."""


def converter() -> str | None:
    """LibreOffice's command, or None where it is not installed (no PDF is written)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_of(document: Path) -> Path:
    return document.with_suffix(".pdf")


def to_pdf(documents: list[Path], timeout: int = 600) -> list[Path]:
    """Convert each .docx to a PDF beside it; [] where LibreOffice is not installed."""
    command = converter()
    if command is None or not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="psw-pdf-") as work:
        # a profile of its own: two conversions at once (two runs, two test workers) never
        # share LibreOffice's lock
        profile = Path(work) / "profile"
        out = Path(work) / "out"
        # one batch, where the documents' names differ (LibreOffice writes them to one folder)
        distinct = len({d.name for d in documents}) == len(documents)
        batches = [documents] if distinct else [[d] for d in documents]
        written = []
        for batch in batches:
            result = subprocess.run(
                [
                    command,
                    f"-env:UserInstallation={profile.as_uri()}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(out),
                    *map(str, batch),
                ],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
            for document in batch:
                converted = out / pdf_of(document).name
                if result.returncode != 0 or not converted.exists():
                    raise PdfError(
                        f"LibreOffice did not convert {document.name}: "
                        f"{(result.stderr or result.stdout).strip()[-500:] or 'no output'}"
                    )
                partial = document.parent / f".{pdf_of(document).name}.partial"
                shutil.move(converted, partial)
                partial.replace(pdf_of(document))
                written.append(pdf_of(document))
    return written
