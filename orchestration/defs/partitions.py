import dagster as dg

# The one partitioning of every monthly asset, dbt models included: the reporting month.
monthly_partitions = dg.MonthlyPartitionsDefinition(
    start_date="2025-01", fmt="%Y-%m", timezone="Asia/Shanghai"
)
