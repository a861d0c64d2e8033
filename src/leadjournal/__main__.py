"""`python -m leadjournal`, and the `leadjournal` console script."""

import sys


def main() -> None:
    """Start the CLI. The commands typed most, exactly as below, are answered before Typer
    is even imported (it is most of the start-up time): `--version`, and plain
    `leadjournal`, `leadjournal today` and `leadjournal prompt` (see leadjournal.daily)."""
    args = tuple(sys.argv[1:])
    if args == ("--version",):
        from leadjournal import __version__

        sys.stdout.write(f"leadjournal {__version__}\n")
        return
    from leadjournal import daily

    if args in daily.FAST:
        sys.exit(daily.run_without_typer(args))
    from leadjournal.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
