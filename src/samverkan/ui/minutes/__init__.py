"""Minutes feature of the UI."""
