"""Where a published figure comes from: each value down to its spreadsheet cells (explain.py)."""
