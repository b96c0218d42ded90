"""What each department delivers, one module per source: its sheet, columns and units, key,
cumulative columns, cadence and rules (docs/contract.md is written from them). The reader, the
validation, the warehouse tables, the Dagster assets and the sample generator all read these
declarations; none of them asks a source's name."""

from orchestration.lib.delivery.sources.base import (
    DUCKDB_TYPES,
    LINEAGE_COLUMNS,
    MONEY_FACTORS_TO_WAN,
    SEQ,
    Column,
    Identity,
    Source,
    SurveyService,
    demand_header,
    spend_header,
    survey_services,
)
from orchestration.lib.delivery.sources.city import CITY
from orchestration.lib.delivery.sources.demand_survey import DEMAND_SURVEY
from orchestration.lib.delivery.sources.enterprises import ENTERPRISES
from orchestration.lib.delivery.sources.ledger import LEDGER
from orchestration.lib.delivery.sources.projects import PROJECTS
from orchestration.lib.delivery.sources.zones import ZONES

SOURCES: dict[str, Source] = {
    s.name: s for s in (PROJECTS, ZONES, ENTERPRISES, DEMAND_SURVEY, LEDGER, CITY)
}

__all__ = [
    "CITY",
    "DEMAND_SURVEY",
    "DUCKDB_TYPES",
    "ENTERPRISES",
    "LEDGER",
    "LINEAGE_COLUMNS",
    "MONEY_FACTORS_TO_WAN",
    "PROJECTS",
    "SEQ",
    "SOURCES",
    "ZONES",
    "Column",
    "Identity",
    "Source",
    "SurveyService",
    "demand_header",
    "spend_header",
    "survey_services",
]
