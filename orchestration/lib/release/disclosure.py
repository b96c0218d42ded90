"""Disclosure control: which figures built from respondents' data may leave the bureau.

The Statistics Law forbids publishing what identifies or lets one infer a single respondent's
figures. Every value of an indicator the catalogue marks confidential (its `disclosure`: a
`magnitude` that is never negative, a `signed` magnitude, or a `rate` made from magnitudes;
counts of enterprises are not confidential) gets a status in SDMX's CONF_STATUS codes:

- `C` (primary): fewer than `min_contributors` respondents contribute to it (threshold rule),
  or the largest contributes more than `dominance_share` of it (dominance rule; a rate is
  judged on its denominator, the base it is computed from);
- `D` (secondary): free by itself, held so that no `C` figure can be worked out from the
  released ones through the table's additive relations: the district's figure is the sum of
  each breakdown's parts (boards, industry sections, PSS categories, services), and a year to
  date is the last one plus the month;
- `F`: free.

Secondary cells are chosen the way tau-ARGUS's singleton and hypercube methods do: a relation
with exactly one held cell gets a second, the released part of least value that still gives the
held one room (at least `protection_share` of it), a district figure only where no part can.
Then the audit: for each held figure a linear programme (HiGHS) finds the least and greatest
value it could take given every released figure, every relation (with its exact remainder, as
if an intruder knew it) and the sign a magnitude cannot cross; the range must reach beyond
`protection_share` of the figure on both sides. A figure that fails gets a further secondary
cell in its relations, and the audit runs again, until every held figure passes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import highspy

from orchestration.lib.settings import DisclosureRules, disclosure_rules

Cell = tuple[str, object, str, str]  # indicator code, period, scope type, scope code
DISTRICT = "district"
# a month's figure and the year to date it adds to: YTD(m) = YTD(m - 1) + MONTH(m)
MONTH_OF_YEAR_TO_DATE = {"ENT_REV_MONTH": "ENT_REV_YTD"}


class DisclosureError(Exception):
    """No pattern of held figures protects every confidential one (never released)."""


@dataclass(frozen=True)
class Concentration:
    """Who makes a figure: respondents with a non-zero share, Σ|share|, and the largest."""

    contributors: int
    total_abs: float
    largest_abs: float

    @property
    def largest_share(self) -> float:
        return self.largest_abs / self.total_abs if self.total_abs else 1.0


@dataclass
class Outcome:
    """Each confidential figure's status and why; the audit's range of each held one."""

    status: dict[Cell, str] = field(default_factory=dict)
    rule: dict[Cell, str] = field(default_factory=dict)
    lower: dict[Cell, float] = field(default_factory=dict)
    upper: dict[Cell, float] = field(default_factory=dict)
    passed: set[Cell] = field(default_factory=set)  # held figures the audit has proved

    def held(self) -> list[Cell]:
        return [cell for cell, status in self.status.items() if status != "F"]


def primary(concentration: Concentration, rules: DisclosureRules) -> str | None:
    """The primary rule a figure breaks, if any."""
    if concentration.contributors < rules.min_contributors:
        return "threshold"
    if concentration.largest_share > rules.dominance_share:
        return "dominance"
    return None


def relations(values: Mapping[Cell, float], kinds: Mapping[str, str]) -> list[dict[Cell, int]]:
    """The additive relations among the additive figures: for each indicator and period, the
    district = Σ the parts of each breakdown (a scope type); and the year to date = last
    month's year to date + the month's figure. Each as {cell: coefficient} summing to a
    remainder (0, or what no released figure holds)."""
    totals: dict[tuple[str, object], Cell] = {}
    by_total: dict[tuple[str, object], dict[str, list[Cell]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for cell in values:
        code, period, scope_type, _ = cell
        if kinds.get(code) not in ("magnitude", "signed"):
            continue
        if scope_type == DISTRICT:
            totals[(code, period)] = cell
        else:
            by_total[(code, period)][scope_type].append(cell)
    found = [
        {totals[key]: 1} | {part: -1 for part in parts}
        for key, breakdowns in by_total.items()
        if key in totals
        for parts in breakdowns.values()
    ]
    for cell in values:
        code, period, scope_type, scope_code = cell
        ytd_code = MONTH_OF_YEAR_TO_DATE.get(code)
        if ytd_code is None or period.month == 1:
            continue
        ytd = (ytd_code, period, scope_type, scope_code)
        before = (ytd_code, period.replace(month=period.month - 1), scope_type, scope_code)
        if ytd in values and before in values:
            found.append({ytd: 1, before: -1, cell: -1})
    return found


@dataclass(frozen=True)
class Interior:
    """One of the finest cells an additive indicator's figures add up from in a period: the
    contributions that count in exactly the same scopes (for an enterprise: the district, its
    board, its section and its category). Every published figure is a sum of such cells, and
    an intruder who knows the classifications knows which."""

    indicator_code: str
    period: object
    scopes: frozenset[tuple[str, str]]
    amount: float


def control(
    values: Mapping[Cell, float],
    concentrations: Mapping[Cell, Concentration],
    kinds: Mapping[str, str],
    interior: Iterable[Interior],
    rules: DisclosureRules | None = None,
) -> Outcome:
    """Primary and secondary suppression of the confidential figures among `values`, and the
    audit of every held one. `kinds` is each indicator's `disclosure` (confidential ones only);
    `concentrations` holds every confidential figure's; `interior` the finest cells of the
    additive ones."""
    rules = rules or disclosure_rules()
    outcome = Outcome()
    for cell in values:
        if cell[0] not in kinds:
            continue
        concentration = concentrations.get(cell, Concentration(0, 0.0, 0.0))
        broken = primary(concentration, rules)
        outcome.status[cell] = "C" if broken else "F"
        if broken:
            outcome.rule[cell] = broken
    linked = relations(values, kinds)
    programme = _Programme(values, kinds, interior, linked)

    def hold(cell: Cell) -> None:
        outcome.status[cell] = "D"
        outcome.rule[cell] = "secondary"

    for _ in range(len(values) + 1):
        # every relation with exactly one held figure gets a second (cheap, and usually enough)
        changed = True
        while changed:
            changed = False
            for relation in linked:
                held = [c for c in relation if outcome.status.get(c, "F") != "F"]
                if len(held) == 1:
                    partner = _partner(relation, held[0], values, outcome, rules)
                    if partner is None:
                        raise DisclosureError(f"{_name(held[0])} cannot be protected")
                    hold(partner)
                    changed = True
        failing = programme.audit(outcome, rules)
        if not failing:
            return outcome
        for cell in failing:
            candidate = programme.widening(cell, outcome, rules)
            if candidate is None:
                raise DisclosureError(
                    f"{_name(cell)} cannot be protected: every figure it adds up with is held "
                    f"and its range is still [{outcome.lower[cell]:g}, {outcome.upper[cell]:g}]"
                )
            hold(candidate)
    raise DisclosureError("secondary suppression did not settle")


def _partner(
    relation: Mapping[Cell, int],
    cell: Cell,
    values: Mapping[Cell, float],
    outcome: Outcome,
    rules: DisclosureRules,
) -> Cell | None:
    """The released figure of `relation` to hold with `cell`: a part before the district's
    total, the smallest that still gives `cell` room (≥ protection_share of it), else the
    largest."""
    released = [c for c in relation if c != cell and outcome.status.get(c, "F") == "F"]
    if not released:
        return None
    parts = [c for c in released if c[2] != DISTRICT] or released
    room = rules.protection_share * abs(values[cell])
    enough = [c for c in parts if abs(values[c]) >= room]
    if enough:
        return min(enough, key=lambda c: (abs(values[c]), c[3]))
    return max(parts, key=lambda c: (abs(values[c]), c[3]))


class _Programme:
    """The audit's linear programmes: the unknowns are the interior cells (never published),
    each released figure fixes the sum of its cells, a month's figure ties the years to date
    (YTD(m) - YTD(m - 1) - MONTH(m) = its remainder), and a magnitude's cells are not negative.
    One programme per set of indicator-periods tied together (a year's revenue, through its
    months; every other indicator-period alone)."""

    def __init__(
        self,
        values: Mapping[Cell, float],
        kinds: Mapping[str, str],
        interior: Iterable[Interior],
        linked: Iterable[Mapping[Cell, int]],
    ):
        self.values, self.kinds = values, kinds
        self.cells: dict[tuple[str, object], list[Interior]] = defaultdict(list)
        for part in interior:
            self.cells[(part.indicator_code, part.period)].append(part)
        self.members: dict[Cell, list[int]] = {}
        for cell in values:
            group = self.cells.get(cell[:2])
            if group is not None:
                self.members[cell] = [
                    i for i, part in enumerate(group) if (cell[2], cell[3]) in part.scopes
                ]
        # indicator-periods a month's relation ties together are audited together
        self.parent: dict[tuple[str, object], tuple[str, object]] = {}
        self.ties = [
            relation
            for relation in linked
            if len({c[:2] for c in relation}) > 1 and all(c in self.members for c in relation)
        ]
        for relation in self.ties:
            first, *rest = (c[:2] for c in relation)
            for other in rest:
                if self._root(other) != self._root(first):
                    self.parent[self._root(other)] = self._root(first)

    def _root(self, group: tuple[str, object]) -> tuple[str, object]:
        while group in self.parent:
            group = self.parent[group]
        return group

    def audit(self, outcome: Outcome, rules: DisclosureRules) -> list[Cell]:
        """The range of every held figure given the released ones (two programmes each); the
        held figures whose range does not reach beyond protection_share of their value on
        both sides. A figure that passed is not audited again: holding more only takes
        constraints away, so its range can only widen (the range kept is the one that proved
        it)."""
        components: dict[tuple[str, object], list[Cell]] = defaultdict(list)
        for cell in outcome.held():
            if cell in outcome.passed:
                continue
            components[self._root(cell[:2]) if cell in self.members else cell].append(cell)
        failing = []
        for root, held in components.items():
            if held[0] not in self.members:  # a rate: nothing adds up to it
                for cell in held:
                    outcome.lower[cell], outcome.upper[cell] = -math.inf, math.inf
                    outcome.passed.add(cell)
                continue
            failing += self._audit_component(root, held, outcome, rules)
        return failing

    def _audit_component(
        self, root: tuple[str, object], held: list[Cell], outcome: Outcome, rules: DisclosureRules
    ) -> list[Cell]:
        groups = [g for g in self.cells if self._root(g) == root]
        offset, start = {}, 0
        model = highspy.Highs()
        model.setOptionValue("output_flag", False)
        for group in groups:
            offset[group] = start
            signed = self.kinds.get(group[0]) != "magnitude"
            for part in self.cells[group]:
                lower = -highspy.kHighsInf if signed else min(0.0, part.amount)
                model.addVar(lower, highspy.kHighsInf)
            start += len(self.cells[group])

        def terms(cell: Cell) -> tuple[list[int], float]:
            group = self.cells[cell[:2]]
            index = [offset[cell[:2]] + i for i in self.members[cell]]
            return index, sum(group[i].amount for i in self.members[cell])

        for cell, members in self.members.items():
            if cell[:2] in offset and outcome.status.get(cell, "F") == "F" and members:
                index, total = terms(cell)
                model.addRow(total, total, len(index), index, [1.0] * len(index))
        for relation in self.ties:
            if next(iter(relation))[:2] not in offset:
                continue
            index, coefficients, known = [], [], 0.0
            for cell, coefficient in relation.items():
                cell_index, total = terms(cell)
                index += cell_index
                coefficients += [float(coefficient)] * len(cell_index)
                known += coefficient * total
            model.addRow(known, known, len(index), index, coefficients)
        failing = []
        variables = start
        for cell in held:
            index, _ = terms(cell)
            ends = []
            for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
                model.changeColsCost(variables, list(range(variables)), [0.0] * variables)
                model.changeColsCost(len(index), index, [1.0] * len(index))
                model.changeObjectiveSense(sense)
                model.run()
                status = model.getModelStatus()
                if status == highspy.HighsModelStatus.kOptimal:
                    ends.append(model.getInfo().objective_function_value)
                elif status == highspy.HighsModelStatus.kUnbounded:
                    ends.append(-math.inf if sense == highspy.ObjSense.kMinimize else math.inf)
                else:
                    raise DisclosureError(
                        f"the audit's linear programme for {_name(cell)} ended "
                        f"{model.modelStatusToString(status)}"
                    )
            lower, upper = ends
            outcome.lower[cell], outcome.upper[cell] = lower, upper
            if protected(self.values[cell], lower, upper, rules):
                outcome.passed.add(cell)
            else:
                failing.append(cell)
        return failing

    def widening(self, cell: Cell, outcome: Outcome, rules: DisclosureRules) -> Cell | None:
        """A released figure to hold so that `cell`'s range widens: one that covers most of
        the same interior cells (an industry section and the one category it equals), else a
        part of the same breakdown (the partner rule), else any that overlaps, the district's
        figure last."""
        released = [
            c
            for c in self.members
            if outcome.status.get(c, "F") == "F" and c[0] in self.kinds and self._tied(c, cell)
        ]
        own = set(self.members.get(cell, ()))
        amount = {i: p.amount for i, p in enumerate(self.cells.get(cell[:2], ()))}
        size = sum(abs(amount[i]) for i in own) or 1.0

        def overlap(c: Cell) -> float:
            if c[:2] != cell[:2]:
                return 0.0
            return sum(abs(amount[i]) for i in own & set(self.members[c])) / size

        covering = [c for c in released if c[2] != DISTRICT and overlap(c) >= 0.5]
        if covering:
            return max(covering, key=lambda c: (overlap(c), -abs(self.values[c]), c[3]))
        siblings = {c: -1 for c in released if c[2] == cell[2] and c[:2] == cell[:2]}
        partner = _partner(siblings | {cell: 1}, cell, self.values, outcome, rules)
        if partner is not None:
            return partner
        overlapping = [c for c in released if overlap(c) > 0 or c[:2] != cell[:2]]
        if overlapping:
            return min(overlapping, key=lambda c: (c[2] == DISTRICT, abs(self.values[c]), c[3]))
        return None

    def _tied(self, c: Cell, cell: Cell) -> bool:
        return (
            c in self.members
            and cell in self.members
            and (self._root(c[:2]) == self._root(cell[:2]))
        )


def protected(value: float, lower: float, upper: float, rules: DisclosureRules) -> bool:
    """Whether a held figure's range reaches protection_share of it beyond it on both sides
    (and is not a single point: a zero is protected only if it could be something else)."""
    room = rules.protection_share * abs(value)
    tolerance = 1e-6 * max(1.0, abs(value))
    return (
        upper >= value + room - tolerance
        and lower <= value - room + tolerance
        and (upper - lower > tolerance)
    )


def _name(cell: Cell) -> str:
    code, period, scope_type, scope_code = cell
    return f"{code} {period:%Y-%m} {scope_type} {scope_code}"
