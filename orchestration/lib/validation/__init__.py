"""Validating a read sheet with Great Expectations before anything of it is written: the suites
(suites.py), psw's own expectation (custom_expectations.py), running them (runner.py), each
failure told as a located problem (results.py), and the page a department reads (page.py)."""
