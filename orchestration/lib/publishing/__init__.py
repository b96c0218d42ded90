"""Publishing the warehouse: one writer at a time (lock.py), a private working copy made the
published file by an atomic rename (working_copy.py), checks before any work (preflight.py),
the published file opened read-only (readers.py), and the log of failed runs (run_log.py)."""
