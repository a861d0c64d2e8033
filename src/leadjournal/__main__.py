"""`python -m leadjournal`."""

from leadjournal.cli import main

main()
