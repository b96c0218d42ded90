"""Disclosure control on generated districts with many small cells: every figure of fewer than
3 enterprises or one over 85 % is held, no held figure can be worked out exactly from the
released ones (checked by linear algebra, independently of the audit's linear programmes), and
every held figure's audited range reaches the protection interval."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import numpy as np
import pytest

from orchestration.lib.release.disclosure import (
    Concentration,
    DisclosureError,
    Interior,
    control,
    protected,
)
from orchestration.lib.settings import DisclosureRules, disclosure_rules

RULES = DisclosureRules(min_contributors=3, dominance_share=0.85, protection_share=0.10)
DISTRICT = ("district", "320412")
JUNE = dt.date(2025, 6, 1)


def generated_district(seed: int, enterprises: int = 60) -> list[dict]:
    """Enterprises on 8 boards, in 5 sections and 6 categories, most of them small, a few
    very large: many cells of one or two enterprises, and some one enterprise dominates."""
    rng = random.Random(seed)
    firms = []
    for i in range(enterprises):
        section = rng.choice("GILMNO")
        firms.append(
            {
                "id": f"E{i:03d}",
                "board": rng.choice(["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8"]),
                "industry_section": section,
                # a category mostly follows the section, as the classifications do
                "pss_category": section if rng.random() < 0.7 else rng.choice("123456"),
                "revenue": rng.lognormvariate(8, 1.5) * (40 if rng.random() < 0.05 else 1),
                "profit": rng.gauss(50, 200),
            }
        )
    return firms


def tables(firms: list[dict], kinds: dict[str, str]):
    """The figures, their concentrations and interior cells as the dbt models make them."""
    values, concentration, interior = {}, {}, []
    scopes = ("board", "industry_section", "pss_category")
    for code, field in (("REV", "revenue"), ("PROFIT", "profit")):
        by_scope = defaultdict(list)
        cells = defaultdict(float)
        for firm in firms:
            keys = [DISTRICT] + [(s, firm[s]) for s in scopes]
            for key in keys:
                by_scope[key].append(firm[field])
            cells[frozenset(keys)] += firm[field]
        for (scope_type, scope_code), amounts in by_scope.items():
            cell = (code, JUNE, scope_type, scope_code)
            values[cell] = sum(amounts)
            absolute = [abs(a) for a in amounts if a != 0]
            concentration[cell] = Concentration(len(absolute), sum(absolute), max(absolute))
        interior += [Interior(code, JUNE, key, amount) for key, amount in cells.items()]
    return values, concentration, interior


KINDS = {"REV": "magnitude", "PROFIT": "signed"}


def recoverable(values, interior, status, cell) -> bool:
    """Whether the released figures determine `cell` exactly: its row of interior cells lies
    in the span of the released figures' rows (linear algebra, no bounds)."""
    parts = [p for p in interior if p.indicator_code == cell[0]]
    index = {p.scopes: i for i, p in enumerate(parts)}

    def row(c):
        vector = np.zeros(len(index))
        for part in parts:
            if (c[2], c[3]) in part.scopes:
                vector[index[part.scopes]] = 1
        return vector

    released = [row(c) for c in values if c[0] == cell[0] and status.get(c, "F") == "F"]
    base = np.linalg.matrix_rank(np.array(released)) if released else 0
    return np.linalg.matrix_rank(np.array([*released, row(cell)])) == base


@pytest.mark.parametrize("seed", range(6))
def test_a_generated_district_with_many_small_cells_is_protected(seed):
    firms = generated_district(seed)
    values, concentration, interior = tables(firms, KINDS)
    outcome = control(values, concentration, KINDS, interior, RULES)
    held = outcome.held()
    small = [
        c
        for c, k in concentration.items()
        if k.contributors < 3 or k.largest_abs > 0.85 * k.total_abs
    ]
    assert small, "the generated district has small cells"
    for cell in small:  # the primary rules
        assert outcome.status[cell] == "C", cell
    assert {outcome.rule[c] for c in held} <= {"threshold", "dominance", "secondary"}
    for cell in held:  # no held figure is determined by the released ones
        assert not recoverable(values, interior, outcome.status, cell), cell
        assert protected(values[cell], outcome.lower[cell], outcome.upper[cell], RULES), (
            cell,
            values[cell],
            outcome.lower[cell],
            outcome.upper[cell],
        )
    # and what is released is most of the table, not everything held
    assert len(held) < len(values)


def test_a_section_equal_to_a_category_is_held_with_it():
    """Two breakdowns holding the same enterprises give the same figure: holding one alone
    would publish it through the other."""
    firms = [
        {"id": "A", "board": "B1", "industry_section": "I", "pss_category": "3", "revenue": 500},
        {"id": "B", "board": "B2", "industry_section": "I", "pss_category": "3", "revenue": 400},
        {"id": "C", "board": "B1", "industry_section": "I", "pss_category": "3", "revenue": 450},
        *(
            {
                "id": f"L{i}",
                "board": f"B{i % 2 + 1}",
                "industry_section": "L",
                "pss_category": "7",
                "revenue": 300 + i,
            }
            for i in range(6)
        ),
        {"id": "O", "board": "B1", "industry_section": "O", "pss_category": "10", "revenue": 90},
        {"id": "P", "board": "B2", "industry_section": "O", "pss_category": "10", "revenue": 80},
    ]
    for firm in firms:
        firm["profit"] = 10
    values, concentration, interior = tables(firms, {"REV": "magnitude"})
    values = {c: v for c, v in values.items() if c[0] == "REV"}
    interior = [p for p in interior if p.indicator_code == "REV"]
    outcome = control(values, concentration, {"REV": "magnitude"}, interior, RULES)
    assert outcome.status[("REV", JUNE, "industry_section", "O")] == "C"
    assert outcome.status[("REV", JUNE, "pss_category", "10")] == "C"
    # section I is the partner of O, so category 3, the same enterprises, is held too
    for cell in outcome.held():
        assert not recoverable(values, interior, outcome.status, cell), cell


def test_a_figure_nothing_can_protect_fails_loudly():
    """A district of one enterprise: its figure is held, and nothing released can hide it
    but the district's own, which then is held too; with no figure left to hold the
    control refuses rather than release it."""
    firms = [
        {"id": "A", "board": "B1", "industry_section": "I", "pss_category": "3", "revenue": 500}
    ]
    for firm in firms:
        firm["profit"] = 1
    values, concentration, interior = tables(firms, {"REV": "magnitude"})
    values = {c: v for c, v in values.items() if c[0] == "REV"}
    interior = [p for p in interior if p.indicator_code == "REV"]
    try:
        outcome = control(values, concentration, {"REV": "magnitude"}, interior, RULES)
    except DisclosureError:
        return
    assert all(status == "C" for status in outcome.status.values())


def test_the_parameters_are_the_projects_declaration():
    assert disclosure_rules() == RULES
