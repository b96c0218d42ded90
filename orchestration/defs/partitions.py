import dagster as dg

from orchestration.lib import settings

# The one partitioning of every monthly asset, dbt models included: the reporting month.
monthly_partitions = dg.MonthlyPartitionsDefinition(
    start_date=settings.first_month(), fmt="%Y-%m", timezone="Asia/Shanghai"
)
