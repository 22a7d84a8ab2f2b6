"""Meeting feature of the UI."""
