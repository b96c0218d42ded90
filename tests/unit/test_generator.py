"""The committed sample spreadsheets are exactly what the generator writes."""

import subprocess
import sys

from conftest import RAW, REPO
from sheets import read_book


def test_regenerated_samples_have_the_same_cells(tmp_path):
    subprocess.run(
        [sys.executable, str(REPO / "raw" / "_generator" / "generate.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    committed = sorted(p.relative_to(RAW) for p in RAW.glob("*/*.xlsx"))
    regenerated = sorted(p.relative_to(tmp_path) for p in tmp_path.glob("*/*.xlsx"))
    assert regenerated == committed
    # projects, zones, enterprises from February, one survey, the ledger, the city's table
    assert len(committed) == 9 + 9 + 8 + 1 + 9 + 8
    for relative in committed:
        assert read_book(tmp_path / relative) == read_book(RAW / relative), relative
