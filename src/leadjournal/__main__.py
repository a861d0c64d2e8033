"""`python -m leadjournal`: the same entry as the `leadjournal` console script."""

from leadjournal.cli import main

if __name__ == "__main__":
    main()
