"""samverkan: run the meetings of a lärprojekt, offline, in the terminal."""

__version__ = "0.1.0"
