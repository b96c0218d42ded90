"""Every rule a user can see, by id: the general ones (rules.py), then each source's own (declared
beside the source, in sources/)."""

from __future__ import annotations

from functools import cache

from orchestration.lib.delivery.rules import GENERAL, Rule
from orchestration.lib.delivery.sources import SOURCES


@cache
def catalogue() -> dict[str, Rule]:
    """Every rule a user can see: the general ones, then each source's, by id."""
    rules = {rule.id: rule for rule in GENERAL}
    for source in SOURCES.values():
        for rule in source.all_rules:
            assert rule.id not in rules, f"rule {rule.id} is declared twice"
            rules[rule.id] = rule
    return rules
