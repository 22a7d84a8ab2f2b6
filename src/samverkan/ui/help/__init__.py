"""Help feature of the UI."""
