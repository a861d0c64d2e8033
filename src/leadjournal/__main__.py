"""`python -m leadjournal`, and the `leadjournal` console script."""

import sys


def main() -> None:
    """Start the CLI. `--version` alone is answered before Typer is even imported."""
    if sys.argv[1:] == ["--version"]:
        from leadjournal import __version__

        sys.stdout.write(f"leadjournal {__version__}\n")
        return
    from leadjournal.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
