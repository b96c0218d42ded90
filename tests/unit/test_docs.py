"""The contract inside the repository: docs/ explains every rule id psw can print, the
committed pages are the ones the code writes, and nothing points outside the clone."""

import re
from pathlib import Path

import pytest

from orchestration.lib.delivery import contract
from orchestration.lib.delivery.catalogue import catalogue
from orchestration.lib.delivery.problems import Problem
from orchestration.lib.delivery.sources import SOURCES
from orchestration.lib.validation.suites import suite_for

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "contract.md"
INDICATORS = ROOT / "docs" / "indicators.md"

REGENERATE = "run `python -m orchestration.cli contract` and commit docs/"


def test_the_committed_pages_are_the_ones_the_code_writes():
    assert CONTRACT.read_text(encoding="utf-8") == contract.render(), REGENERATE
    assert INDICATORS.read_text(encoding="utf-8") == contract.render_indicators(), REGENERATE


def explained_ids() -> dict[str, str]:
    """Rule id → the row of docs/contract.md that explains it."""
    rows = {}
    for line in CONTRACT.read_text(encoding="utf-8").splitlines():
        if m := re.match(r"\| \*\*([A-Z0-9]+)\*\* \|", line):
            assert m.group(1) not in rows, f"rule {m.group(1)} is explained twice"
            rows[m.group(1)] = line
    return rows


def test_every_rule_psw_can_emit_is_explained_in_chinese_and_english():
    explained = explained_ids()
    emitted = set(catalogue())
    for source in SOURCES.values():
        for part in source.sheets:
            emitted |= {e.meta["rule"] for e in suite_for(part)}
    assert emitted <= set(catalogue()), "a suite checks a rule the catalogue does not have"
    assert emitted - set(explained) == set()
    for rule_id, row in explained.items():
        text = catalogue()[rule_id].text
        assert text in row
        chinese, english = text.split(" / ", 1)
        assert re.search(r"[\u4e00-\u9fff]", chinese) and re.search(r"[a-z]", english), rule_id


def test_every_rule_id_the_code_names_is_in_the_catalogue():
    """The ids written in the code where a problem is made (`Problem("G1", …)`)."""
    named = set()
    for path in (ROOT / "orchestration").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        named |= set(re.findall(r"[Pp]roblem\(\s*\"([A-Z][A-Z0-9]*)\"", text))
    assert {"G1", "G2", "CELL", "TYPE", "GX"} <= named
    assert named - set(catalogue()) == set()


def test_a_problem_cannot_carry_a_rule_that_is_explained_nowhere():
    with pytest.raises(ValueError, match="not in the rule catalogue"):
        Problem("Q9", "made up", "f.xlsx")
    assert str(Problem("G4", "", "f.xlsx", "表1", 12)).startswith(
        f"[G4: {catalogue()['G4'].text}] f.xlsx, sheet '表1', row 12"
    )


def test_the_readme_and_docs_link_only_inside_the_clone():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "../shared" not in text, page
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
            if re.match(r"[a-z]+://", target):
                continue
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
