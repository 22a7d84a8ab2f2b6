"""Alembic migrations, bundled in the package and run programmatically at start.

``HEAD`` is checked against alembic's own idea of the head by a test; keeping
it here lets a database that is already up to date open without importing
alembic at all, which keeps start-up fast.
"""

from pathlib import Path

HEAD = "0008"
SCRIPT_LOCATION = Path(__file__).parent
