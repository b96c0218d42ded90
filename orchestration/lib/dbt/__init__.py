"""dbt as a process: the names and descriptions of its tests (checks.py), and the file a
failed build is traced back to and rejected (failures.py)."""
