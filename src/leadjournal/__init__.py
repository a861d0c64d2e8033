"""leadjournal: a reflection journal for the terminal. This module holds the version only."""

__version__ = "0.1.0"
