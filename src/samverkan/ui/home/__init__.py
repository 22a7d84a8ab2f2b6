"""Home feature of the UI."""
