"""Analysis feature of the UI."""
