"""psw's command line: `python -m orchestration.cli` (see __main__.py)."""
