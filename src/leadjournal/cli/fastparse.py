"""The options of `write`, `list` and `summary` read without Typer, for the fast table.

Only the plain, unambiguous spellings are read here: `--name VALUE`, `--name=VALUE`, flags,
repeatable options, the positional TEXT, and `--limit`/`--weeks` written as ASCII digits.
Anything else (`--help`, an unknown or misspelt option, `--`, a value that starts with
`-`, a flag given twice in two ways, an option that takes one value given twice, a
number Click would have to convert or reject) is not an answer here: `parse` returns
None and the Typer command reads the whole command line, so every usage error and every
help text is still Typer's own. tests/test_startup.py checks, over generated command
lines, that what `parse` accepts is exactly what Click reads from it.
"""

from __future__ import annotations

FLAG = "flag"  # --json: True when given
VALUE = "value"  # --theme T: one value, at most once here
MULTIPLE = "multiple"  # --tag T: repeatable, a list in order
INTEGER = "integer"  # --limit N: one value of ASCII digits

Kwargs = dict[str, str | bool | int | list[str]]


class Spec:
    """A command's options (as typed -> its parameter and kind) and its positional
    parameters, in order; the same names and kinds as the Typer command's. (A plain
    class: a NamedTuple costs a millisecond to define, on the fast path.)"""

    __slots__ = ("arguments", "options")

    def __init__(
        self, options: dict[str, tuple[str, str]], arguments: tuple[str, ...] = ()
    ) -> None:
        self.options = options
        self.arguments = arguments


WRITE = Spec(
    {
        "--theme": ("theme", VALUE),
        "--prompt": ("prompt_id", VALUE),
        "--free": ("free", FLAG),
        "--another": ("another", FLAG),
        "--tag": ("tags", MULTIPLE),
        "--date": ("when", VALUE),
        "--commit": ("commit", VALUE),
        "--due": ("due", VALUE),
        "--draft": ("draft", VALUE),
        "--json": ("as_json", FLAG),
    },
    ("text",),
)
LIST = Spec(
    {
        "--since": ("since", VALUE),
        "--until": ("until", VALUE),
        "--theme": ("themes", MULTIPLE),
        "--tag": ("tags", MULTIPLE),
        "--search": ("search", VALUE),
        "--limit": ("limit", INTEGER),
        "--no-pager": ("no_pager", FLAG),
        "--json": ("as_json", FLAG),
    }
)
SUMMARY = Spec(
    {
        "--week": ("week", VALUE),
        "--since": ("since", VALUE),
        "--until": ("until", VALUE),
        "--weeks": ("weeks", INTEGER),
        "--json": ("as_json", FLAG),
    }
)


class _Typers(Exception):
    """This command line is Typer's to read."""


def parse(spec: Spec, args: tuple[str, ...]) -> Kwargs | None:
    """The keyword arguments `args` give the command, or None when Typer must read them."""
    given: Kwargs = {}
    positional = list(spec.arguments)
    rest = list(args)
    try:
        while rest:
            arg = rest.pop(0)
            if arg.startswith("-"):
                _option(spec, arg, rest, given)
            elif positional:
                given[positional.pop(0)] = arg
            else:
                raise _Typers  # an extra argument: Typer's error
    except _Typers:
        return None
    return given


def _option(spec: Spec, arg: str, rest: list[str], given: Kwargs) -> None:
    """Read the option `arg` (and its value from `rest`) into `given`."""
    name, equals, value = arg.partition("=")
    if name not in spec.options:
        raise _Typers  # --help, --, -x, a misspelt or unknown option
    parameter, kind = spec.options[name]
    if kind == FLAG:
        if equals or parameter in given:
            raise _Typers
        given[parameter] = True
        return
    if not equals:
        if not rest or rest[0].startswith("-"):
            raise _Typers  # a missing value, or one Click may read differently
        value = rest.pop(0)
    if kind == MULTIPLE:
        values = given.setdefault(parameter, [])
        assert isinstance(values, list)  # noqa: S101 - only MULTIPLE stores lists
        values.append(value)
    elif parameter in given:
        raise _Typers  # given twice: Click keeps the last, Typer reads it
    elif kind == INTEGER:
        if not (value.isascii() and value.isdigit()):
            raise _Typers  # signs, spaces, underscores, errors: Click's to convert
        given[parameter] = int(value)
    else:
        given[parameter] = value
