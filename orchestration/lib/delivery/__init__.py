"""What a department delivers, declared once: each source's sheet, columns, units, key, cadence
and rules (sources/), the general rules and the catalogue of every rule (rules.py,
catalogue.py), the problem a file is told of (problems.py), the reference lists (reference.py),
when a file is due (cadence.py) and where it lands in raw/ (files.py). docs/contract.md is
written from these (contract.py)."""
