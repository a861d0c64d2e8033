"""Start-up stays light: the CLI does not import what a command does not use."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

HEAVY = ("rich", "yaml", "pydantic", "filelock", "platformdirs", "pyrage")


def modules_after(
    argv: list[str], entry: str = "leadjournal.cli", *, watched: tuple[str, ...] = HEAVY
) -> list[str]:
    """Which of `watched` are imported once `entry`'s main() has run with argv."""
    code = (
        "import sys\n"
        f"from {entry} import main\n"
        f"sys.argv = ['leadjournal', *{argv!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {watched!r} if m in sys.modules))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(eval(proc.stdout.strip().splitlines()[-1]))  # noqa: S307 - our own output


def test_importing_the_cli_imports_nothing_heavy() -> None:
    code = f"import sys, leadjournal.cli; print([m for m in {HEAVY!r} if m in sys.modules])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_version_imports_nothing_heavy() -> None:
    assert modules_after(["--version"]) == []


def test_a_warm_prompt_imports_nothing_heavy() -> None:
    """With warm caches the prompt of the day needs neither YAML, nor pydantic, nor rich."""
    modules_after(["prompt"])  # builds the caches
    assert modules_after(["prompt"]) == []
    assert modules_after(["today"]) == []


def test_a_warm_prompt_with_a_role_imports_nothing_heavy(home: object) -> None:
    """Reading config.toml for the role costs tomllib, never YAML or pydantic."""
    from pathlib import Path

    journal = Path(str(home))
    journal.mkdir(parents=True)
    (journal / "config.toml").write_text('role = "individual"\n')
    modules_after(["prompt"])  # builds the caches
    for argv in (["prompt"], ["today"]):
        assert modules_after(argv) == [], argv


def test_a_warm_prompt_defines_no_dataclass_and_builds_no_signal_enums(home: object) -> None:
    """The fast path of `today` and `prompt` imports neither dataclasses (with inspect, ast
    and tokenize, ~7 ms) nor the signal module's enums: its value types are named tuples
    and slotted classes, and SIGXFSZ is ignored through _signal. A config.toml read too."""
    from pathlib import Path

    journal = Path(str(home))
    journal.mkdir(parents=True)
    (journal / "config.toml").write_text('week_start = "sunday"\n')
    watched = {"watched": ("dataclasses", "inspect", "signal")}
    modules_after(["prompt"])  # builds the caches
    for argv in (["prompt"], ["today"], []):
        found = modules_after(argv, "leadjournal.__main__", **watched)
        assert found == [], (argv, found)


def modules_after_console_script(argv: list[str]) -> list[str]:
    """What the `leadjournal` console script (leadjournal.__main__:main) imports for argv."""
    return modules_after(argv, "leadjournal.__main__", watched=(*HEAVY, "typer", "click"))


def test_the_commands_typed_most_start_without_typer() -> None:
    """Plain `leadjournal`, `today` and `prompt` are answered before Typer is imported."""
    modules_after_console_script(["prompt"])  # builds the caches
    for argv in ([], ["today"], ["prompt"], ["--version"]):
        assert modules_after_console_script(argv) == [], argv
    assert "typer" in modules_after_console_script(["prompt", "--json"])


def test_every_fast_command_is_a_typer_command_with_the_same_output() -> None:
    """The fast table and the Typer app come from one table: each name the fast path
    answers is a Typer command too, and prints the same (plain `leadjournal` and
    `--version` included)."""
    from typer.main import get_command

    from leadjournal.cli import fast_answer
    from leadjournal.cli.app import app
    from leadjournal.cli.commands import COMMANDS, DEFAULT_COMMAND
    from tests.helpers import cli, run

    typer_names = set(get_command(app).commands)  # type: ignore[attr-defined]
    fast_names = [
        name
        for name, command in COMMANDS.items()
        if command.fast is not None
        and command.fast_arguments == 0
        and command.fast_options is None  # write, list, summary: tests below
    ]
    assert fast_names, "the fast table is empty"
    assert set(COMMANDS) == typer_names
    assert cli("write", "--free", "--theme", "direction", "--date", "yesterday", "x").code == 0
    cases = [([name], [name]) for name in fast_names]
    cases += [([], [DEFAULT_COMMAND]), (["--version"], ["--version"])]
    for argv, command in cases:
        assert fast_answer(tuple(argv)) is not None, argv
        fast = run(argv)
        slow = cli(*command)
        assert fast.returncode == slow.code == 0, argv
        assert fast.stdout.decode() == slow.stdout, argv


def test_the_fast_path_reports_errors_like_the_cli(home: object) -> None:
    from pathlib import Path

    from tests.helpers import run

    journal = Path(str(home))
    journal.mkdir(parents=True)
    (journal / "config.toml").write_text("week_start = 'someday'\n")
    proc = run([])
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("Error: In ")
    assert "config.toml" in proc.stderr.decode()
    assert b"Traceback" not in proc.stderr


# ---------------------------------------------------------------------------------------
# write, list and summary without Typer (DESIGN.md section 8b: against jrnl, small journal)

# subprocess: only for a pager, which a pipe never gets (render.paged).
EVERYDAY_WATCHED = (*HEAVY, "typer", "click", "importlib.metadata", "subprocess")


def test_the_everyday_commands_start_without_typer_filelock_or_plugin_search() -> None:
    """write, list and summary with their usual options skip Typer and Click, take the
    lock without filelock, never search for pydantic plugins, and in a pipe print without
    rich and start no pager (nor import subprocess for one); pydantic still validates the
    month files they read."""
    modules_after(["prompt"])  # builds the caches (the prompt set: YAML only when cold)
    watched = {"watched": EVERYDAY_WATCHED}
    write = ["write", "--free", "--tag", "x", "--date", "2026-11-20T08:00", "An entry."]
    assert modules_after(write, "leadjournal.__main__", **watched) == ["pydantic"]
    for argv in (["list", "--limit", "10"], ["list", "--theme", "direction", "--json"]):
        assert modules_after(argv, "leadjournal.__main__", **watched) == ["pydantic"], argv
    summary = modules_after(["summary", "--week", "2026-W47"], "leadjournal.__main__", **watched)
    assert summary == ["pydantic"]
    # An option only Typer reads (here --help) goes to Typer, which prints the help.
    assert "typer" in modules_after(["write", "--help"], "leadjournal.__main__", **watched)


def loaded_after(argv: list[str], prefixes: tuple[str, ...]) -> list[str]:
    """The modules whose names start with one of `prefixes` that the `leadjournal`
    console script has imported once it answered argv."""
    code = (
        "import sys\n"
        "from leadjournal.__main__ import main\n"
        "sys.argv = ['leadjournal', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in sys.modules if m.startswith({prefixes!r})))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    return list(eval(proc.stdout.strip().splitlines()[-1]))  # noqa: S307 - our own output


# What write, list and summary may define beyond the month file's models (DESIGN.md
# section 8b: every model class and dataclass costs its definition at start-up).
EVERYDAY_MODULES = (
    "leadjournal.models",
    "leadjournal.journal_types",
    "leadjournal.write_types",
    "leadjournal.filters",
    "pydantic.functional_serializers",
    "signal",
)


def test_the_everyday_commands_define_only_the_models_and_types_they_use() -> None:
    """write defines the month file's models and its own request and result; list the
    month file's models and the filters; summary those and the summary's models. None
    defines the other commands' models or request and result types, pydantic's
    serializer module, or the signal module's enums; the month files are still
    validated (a bad one is refused, below)."""
    modules_after(["prompt"])  # builds the caches
    month = ["leadjournal.models", "leadjournal.models.disk"]
    write = ["write", "--free", "--tag", "x", "--date", "2026-11-20T08:00", "An entry."]
    assert loaded_after(write, EVERYDAY_MODULES) == [*month, "leadjournal.write_types"]
    for argv in (["list", "--limit", "10"], ["list", "--theme", "direction", "--json"]):
        assert loaded_after(argv, EVERYDAY_MODULES) == ["leadjournal.filters", *month], argv
    summary = loaded_after(["summary", "--week", "2026-W47"], EVERYDAY_MODULES)
    assert summary == [*month, "leadjournal.models.summary"]
    # --json of write is the only one to need the models of entries beyond the month's.
    write_json = loaded_after([*write[:-1], "--json", "Another."], EVERYDAY_MODULES)
    assert "leadjournal.models.entries" in write_json


def test_a_month_file_that_does_not_validate_is_still_refused_by_every_everyday_command(
    home: object,
) -> None:
    """The lighter start-up keeps pydantic the judge of every month file these commands
    read: a record that breaks the schema is named, and nothing is rewritten."""
    from pathlib import Path

    from tests.helpers import run

    journal = Path(str(home))
    assert run(["write", "--free", "--date", "2026-11-20T08:00", "First."]).returncode == 0
    month = journal / "entries" / "2026" / "2026-11.json"
    data = json.loads(month.read_bytes())
    data["entries"][0]["created_at"] = "2026-11-20T08:00:00"  # no UTC offset: invalid
    month.write_text(json.dumps(data))
    before = month.read_bytes()
    for argv in (
        ["list", "--limit", "10"],
        ["summary", "--week", "2026-W47"],
        ["write", "--free", "--date", "2026-11-21T08:00", "Second."],
    ):
        proc = run(argv)
        stderr = proc.stderr.decode()
        assert "2026-11.json" in stderr, (argv, stderr)
        assert b"Traceback" not in proc.stderr
        assert month.read_bytes() == before, argv
    written = run(["write", "--free", "--date", "2026-11-21T08:00", "Second."])
    assert written.returncode != 0


def test_the_everyday_commands_never_compile_tokenizes_patterns() -> None:
    """The models' list defaults are plain functions, not the builtin `list`: pydantic
    asks every default factory for its signature, and the first signature of a builtin
    compiles tokenize's patterns (~1.7 ms of every write, list and summary)."""
    code = (
        "import sys\n"
        "from leadjournal.__main__ import main\n"
        "sys.argv = ['leadjournal', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "tokenize = sys.modules.get('tokenize')\n"
        "print(0 if tokenize is None else tokenize._compile.cache_info().currsize)\n"
    )
    write = ["write", "--free", "--date", "2026-11-20T08:00", "An entry."]
    for argv in (write, ["list", "--limit", "10"], ["summary"], ["list", "--json"]):
        proc = subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
        )
        assert proc.stdout.strip().splitlines()[-1] == "0", (argv, proc.stdout)


def test_what_the_fast_path_reads_click_reads_the_same_way() -> None:
    """For every command line the fast parser accepts, Click (through the Typer command)
    reads exactly the same parameters; the ones it declines are Typer's to read."""
    from leadjournal.cli.commands import COMMANDS
    from leadjournal.cli.fastparse import parse

    accepted = declined = 0
    for name, argv in EVERYDAY_COMMAND_LINES:
        spec = COMMANDS[name].fast_options
        assert spec is not None, name
        fast = parse(spec, tuple(argv))
        if fast is None:
            declined += 1
            continue
        accepted += 1
        assert fast == click_reads(name, argv), (name, argv)
    assert accepted >= 20
    assert declined >= 15


def test_generated_command_lines_read_the_same_on_both_paths() -> None:
    """Property: any command line built from the options' own tokens, values and
    near-misses is either declined by the fast parser or read exactly as Click reads it."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from leadjournal.cli.commands import COMMANDS
    from leadjournal.cli.fastparse import parse

    values = st.sampled_from(
        ["text", "", "2026-11-20", "lead-yourself", "0", "07", "52", "x y", "a=b", "2026-W47"]
    )
    near_misses = st.sampled_from(
        ["--", "-h", "--help", "--fre", "-1", "+3", " 4", "1_0", "\u0663", "-", "--json=1"]
    )

    def command_lines(name: str) -> st.SearchStrategy[list[str]]:
        spec = COMMANDS[name].fast_options
        assert spec is not None
        options = st.sampled_from(sorted(spec.options))
        pieces = st.one_of(
            st.tuples(options, values).map(list),  # --theme T (or a flag, then a word)
            st.builds(lambda o, v: [f"{o}={v}"], options, values),
            options.map(lambda o: [o]),
            values.map(lambda v: [v]),
            near_misses.map(lambda n: [n]),
        )
        return st.lists(pieces, max_size=4).map(lambda parts: [a for p in parts for a in p])

    @settings(max_examples=1000, deadline=None, database=None)
    @given(
        st.sampled_from(["write", "list", "summary"]).flatmap(
            lambda name: st.tuples(st.just(name), command_lines(name))
        )
    )
    def check(case: tuple[str, list[str]]) -> None:
        name, argv = case
        spec = COMMANDS[name].fast_options
        assert spec is not None
        fast = parse(spec, tuple(argv))
        if fast is not None:
            accepted.append(argv)
            assert fast == click_reads(name, argv), (name, argv)

    accepted: list[list[str]] = []
    check()
    assert len(accepted) > 50, "the generated command lines were almost all declined"


def test_both_paths_give_the_same_answers_and_the_same_errors() -> None:
    """The same command lines as a real process (the fast path) and through Typer
    (CliRunner): the same exit status, output and error message, nothing changed by a
    failure."""
    from tests.helpers import cli, run

    first = ["write", "--free", "--theme", "direction", "--date", "2026-11-20T08:00", "First."]
    assert run(first).returncode == 0
    cases = [
        ["list", "--limit", "10"],
        ["list", "--since", "2026-11-01", "--until", "2026-11-30", "--json"],
        ["list", "--theme", "direction", "--tag", "none"],
        ["summary", "--week", "2026-W47"],
        ["summary", "--week", "2026-W47", "--json"],
        ["summary", "--weeks", "3", "--week", "2026-11-20", "--json"],
        # Usage errors the commands themselves find (exit 2), and failures (exit 1).
        ["list", "--since", "2026-13-01"],
        ["list", "--theme", "no-such-theme"],
        ["summary", "--weeks", "2", "--since", "2026-11-01"],
        ["summary", "--week", "2026-W99"],
        ["write", "--free", "--date", "2026-02-30", "never saved"],
        ["write", "--prompt", "no-such-prompt", "never saved"],
        ["write", "--free", "--theme", "no-such-theme", "never saved"],
        ["write", "--free", "   "],
    ]
    for argv in cases:
        fast, typer = run(argv), cli(*argv)
        assert fast.returncode == typer.code, argv
        assert fast.stdout.decode() == typer.stdout, argv
        assert fast.stderr.decode() == typer.stderr, argv
    listed = cli("list", "--json").json()
    assert [entry["text"] for entry in listed] == ["First."]


def test_an_entry_written_on_either_path_is_the_same() -> None:
    from tests.helpers import cli, run

    argv = ["write", "--free", "--theme", "direction", "--tag", "Team", "--tag", "plan"]
    argv += ["--date", "2026-11-20T08:00", "--json", "Same words."]
    fast, typer = run(argv), cli(*argv)
    assert fast.returncode == typer.code == 0
    written = [json.loads(fast.stdout), typer.json()]
    for entry in written:
        del entry["id"], entry["updated_at"]
    assert written[0] == written[1]
    assert written[0]["tags"] == ["team", "plan"]


def click_reads(name: str, argv: list[str]) -> dict[str, Any] | None:
    """The parameters Click reads for `leadjournal NAME ARGV` (only those given, lists as
    lists), or None when Click refuses the command line."""
    import click
    from typer.main import get_command

    from leadjournal.cli.app import app

    command = get_command(app).commands[name]  # type: ignore[attr-defined]
    try:
        context = command.make_context(name, list(argv), resilient_parsing=False)
    except click.exceptions.Exit:
        return None
    except click.ClickException:
        return None
    read: dict[str, Any] = {}
    for key, value in context.params.items():
        source = context.get_parameter_source(key)
        if source is not None and source.name == "DEFAULT":
            continue
        read[key] = list(value) if isinstance(value, tuple) else value
    return {k: v for k, v in read.items() if v != []}


EVERYDAY_COMMAND_LINES: list[tuple[str, list[str]]] = [
    # Read by the fast path.
    ("write", ["Some text."]),
    ("write", ["--free", "Some text."]),
    ("write", ["Some text.", "--free"]),
    ("write", ["--free", "--theme", "direction", "x"]),
    ("write", ["--theme=direction", "--free", "x"]),
    ("write", ["--tag", "a", "--tag", "b", "--tag=c", "x"]),
    ("write", ["--prompt", "ly-01", "--date", "2026-11-20", "x"]),
    ("write", ["--commit", "Ask Sam", "--due", "+3d", "x"]),
    ("write", ["--another", "--json", "x"]),
    ("write", ["--draft", "/tmp/draft.md"]),
    ("write", ["--theme", "", "x"]),
    ("write", []),
    ("list", []),
    ("list", ["--limit", "10"]),
    ("list", ["--limit=0"]),
    ("list", ["--limit", "007"]),
    ("list", ["--theme", "a", "--theme", "b", "--tag", "t"]),
    ("list", ["--since", "2026-11-01", "--until", "today", "--search", "Sam"]),
    ("list", ["--no-pager", "--json"]),
    ("summary", []),
    ("summary", ["--week", "2026-W47"]),
    ("summary", ["--weeks", "52", "--json"]),
    ("summary", ["--since", "2026-11-01", "--until=2026-11-30"]),
    # Declined: Typer reads these (help, errors, anything Click may read otherwise).
    ("write", ["--help"]),
    ("write", ["-h"]),
    ("write", ["--", "-starts with a dash"]),
    ("write", ["-starts with a dash"]),
    ("write", ["--theme"]),
    ("write", ["--theme", "--free", "x"]),
    ("write", ["--theme", "a", "--theme", "b", "x"]),
    ("write", ["--json", "--json", "x"]),
    ("write", ["--json=yes", "x"]),
    ("write", ["--fre", "x"]),
    ("write", ["one", "two"]),
    ("list", ["--limit", "-1"]),
    ("list", ["--limit", "ten"]),
    ("list", ["--limit", " 4"]),
    ("list", ["--limit", "1_0"]),
    ("list", ["--limit", "+3"]),
    ("list", ["--limit", "٣"]),
    ("list", ["extra"]),
    ("summary", ["--weeks", "-2"]),
    ("summary", ["--week"]),
    ("summary", ["--week", "a", "--week", "b"]),
]


def test_pydantic_finds_no_plugins_yet_its_loader_still_answers_every_name() -> None:
    """The command line tells pydantic's plugin loader there are no plugins (no
    importlib.metadata search); any other name a pydantic release asks of the loader
    comes from the real module, and models still validate."""
    code = (
        "import sys\n"
        "from leadjournal.cli import _without_pydantic_plugins\n"
        "_without_pydantic_plugins()\n"
        "from leadjournal.models import Entry\n"
        'entry = Entry.model_validate_json(\'{"id": "a1", "created_at": '
        '"2026-11-20T08:00:00+01:00", "updated_at": "2026-11-20T08:00:00+01:00", '
        '"text": "x"}\')\n'
        "print(entry.id, 'importlib.metadata' in sys.modules)\n"
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP, get_plugins\n"
        "print(PYDANTIC_ENTRY_POINT_GROUP, list(get_plugins()))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.splitlines() == ["a1 False", "pydantic []"]
