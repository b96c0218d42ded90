"""Loading a validated month into the raw schema: the tables and their comments (tables.py),
writing a month's version and logging every attempt (writes.py), a month end to end
(month.py: `load_month`) and what it came to (outcome.py)."""
