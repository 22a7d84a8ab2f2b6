"""Benchmarks of samverkan against the budgets in DESIGN.md ("Performance budgets").

``python -m bench.reference_db`` builds the reference database;
``python -m bench.run`` measures the figures and compares them with the budgets.
"""
