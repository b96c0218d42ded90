"""The city's sections are declared twice, once for the reader (the source's columns) and once
for dbt (the var city_sections its staging model unpivots): they must be the same list."""

import yaml
from conftest import DBT_DIR

from orchestration.lib.delivery.sources import CITY
from orchestration.lib.delivery.sources.city import SECTIONS


def test_dbt_unpivots_every_section_the_reader_declares():
    project = yaml.safe_load((DBT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["vars"]["city_sections"] == list(SECTIONS)
    declared = {c.name.split("_", 1)[0] for c in CITY.columns if c.name.endswith("_yoy_pct")}
    assert declared == {s.lower() for s in SECTIONS} | {"svc"}
