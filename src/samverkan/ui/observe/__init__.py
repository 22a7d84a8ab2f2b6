"""Observe feature of the UI."""
