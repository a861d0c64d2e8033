"""Shell completion through the real protocol, in a real process.

The completion scripts Typer 0.24 installs (typer/_completion_shared.py) run `leadjournal`
with NO arguments and put the request in the environment: for bash
`_LEADJOURNAL_COMPLETE=complete_bash` with COMP_WORDS (the words typed so far) and
COMP_CWORD (the index of the word being completed); for zsh
`_LEADJOURNAL_COMPLETE=complete_zsh` with _TYPER_COMPLETE_ARGS (the words typed so far).
Typer replaces Click's completion classes: bash gets one value per line (Click's own class
would print `type,value`; both are read here), zsh gets an `_arguments` spec to evaluate.

A completion request must be answered with completions, never with the prompt of the day
(plain `leadjournal` is answered by the fast path, before Typer could see the request).
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from tests.helpers import cli, run

VARIABLE = "_LEADJOURNAL_COMPLETE"
COMMANDS = {
    "today",
    "prompt",
    "write",
    "list",
    "show",
    "edit",
    "delete",
    "commit",
    "commitments",
    "resolve",
    "review",
    "guides",
    "reflect",
    "summary",
    "tags",
    "lookback",
    "revisit",
    "themes",
    "prompts",
    "export",
    "import",
    "doctor",
    "sync",
    "merge-month",
    "keys",
    "encrypt",
    "decrypt",
}
CLICK_TYPES = ("plain,", "file,", "dir,")  # the `type,` of Click's own bash lines
# One zsh item per line, `"value"` or `"value":"help"`; the first line starts `_arguments '*: :((`.
ZSH_ITEM = re.compile(r"""^(?:_arguments '\*: :\(\()?"((?:[^"]|"")*)"(?::|\)|$)""", re.M)


def complete_bash(words: str, argv: Sequence[str] = ()) -> subprocess.CompletedProcess[bytes]:
    """What `leadjournal` answers bash completing the last word of `words` ("leadjournal "
    completes an empty word)."""
    cword = len(words.split(" ")) - 1
    env = {VARIABLE: "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    return run(list(argv), env=env)


def complete_zsh(words: str) -> subprocess.CompletedProcess[bytes]:
    return run([], env={VARIABLE: "complete_zsh", "_TYPER_COMPLETE_ARGS": words})


def bash_values(proc: subprocess.CompletedProcess[bytes]) -> list[str]:
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    lines = proc.stdout.decode().splitlines()
    return [line.split(",", 1)[1] if line.startswith(CLICK_TYPES) else line for line in lines]


def assert_no_prompt(proc: subprocess.CompletedProcess[bytes]) -> None:
    """No prompt of the set (its id or its text) is in the output, whatever the day."""
    out = proc.stdout.decode(errors="replace")
    shown = [p["id"] for p in cli("prompts", "--json").json() if p["id"] in out or p["text"] in out]
    assert shown == [], f"a prompt was printed instead of completions:\n{out}"


def test_completing_the_empty_command_word_lists_every_command_and_no_prompt() -> None:
    proc = complete_bash("leadjournal ")
    assert_no_prompt(proc)
    assert set(bash_values(proc)) == COMMANDS


def test_completing_wr_gives_write() -> None:
    assert bash_values(complete_bash("leadjournal wr")) == ["write"]


def test_completing_a_double_dash_after_list_offers_its_options() -> None:
    offered = set(bash_values(complete_bash("leadjournal list --")))
    assert {"--since", "--theme", "--limit", "--json"} <= offered


def test_the_zsh_protocol_also_completes_commands() -> None:
    proc = complete_zsh("leadjournal s")
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    out = proc.stdout.decode()
    assert out.startswith("_arguments "), out
    assert sorted(v.replace('""', '"') for v in ZSH_ITEM.findall(out)) == [
        "show",
        "summary",
        "sync",
    ]


def test_prompt_with_the_completion_variable_set_completes_instead_of_printing_a_prompt() -> None:
    proc = complete_bash("leadjournal prompt --", argv=["prompt"])
    assert_no_prompt(proc)
    assert {"--date", "--theme", "--another", "--why", "--json"} <= set(bash_values(proc))


# ---------------------------------------------------------------------------------------
# Values (DESIGN.md section 16)


def complete_fish(words: str) -> list[str]:
    proc = run(
        [],
        env={
            VARIABLE: "complete_fish",
            "_TYPER_COMPLETE_ARGS": words,
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        },
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return [line.split("\t", 1)[0] for line in proc.stdout.decode().splitlines()]


def zsh_values(words: str) -> list[str]:
    proc = complete_zsh(words)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return [v.replace('""', '"') for v in ZSH_ITEM.findall(proc.stdout.decode())]


def theme_ids() -> list[str]:
    return [t["id"] for t in cli("themes", "--json").json()]


def test_the_contract_protocol_check_prints_the_theme_ids_one_per_line() -> None:
    proc = run(
        [],
        env={
            VARIABLE: "complete_bash",
            "COMP_WORDS": "leadjournal list --theme ",
            "COMP_CWORD": "3",
        },
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().splitlines() == theme_ids()
    assert_no_prompt(proc)


def test_theme_values_complete_from_what_was_typed_in_every_shell() -> None:
    expected = [t for t in theme_ids() if t.startswith("lead")]
    assert expected
    assert bash_values(complete_bash("leadjournal write --theme lead")) == expected
    assert zsh_values("leadjournal prompt --theme lead") == expected
    assert complete_fish("leadjournal export --theme lead") == expected


def test_prompt_ids_complete_after_write_prompt() -> None:
    ids = [p["id"] for p in cli("prompts", "--json").json()]
    first = ids[0]
    prefix = first[:3]
    offered = bash_values(complete_bash(f"leadjournal write --prompt {prefix}"))
    assert offered == [i for i in ids if i.startswith(prefix)]
    assert complete_fish(f"leadjournal write --prompt {prefix}") == offered


def test_guide_ids_complete_for_reflect_in_every_shell() -> None:
    ids = [g["id"] for g in cli("guides", "--json").json()]
    assert len(ids) >= 4
    assert bash_values(complete_bash("leadjournal reflect ")) == ids
    expected = [i for i in ids if i.startswith("d")]
    assert expected
    assert bash_values(complete_bash("leadjournal reflect d")) == expected
    assert zsh_values("leadjournal reflect d") == expected
    assert complete_fish("leadjournal reflect d") == expected


def test_tags_complete_from_the_journal_most_used_first() -> None:
    cli("write", "--free", "--tag", "team", "one")
    cli("write", "--free", "#team #travel", input=None)
    cli("write", "--free", "--tag", "tooling", "--tag", "team", "three")
    offered = bash_values(complete_bash("leadjournal list --tag "))
    assert offered[0] == "team"  # three entries
    assert sorted(offered[1:]) == ["tooling", "travel"]  # one each
    assert zsh_values("leadjournal write --tag tr") == ["travel"]


def test_entry_ids_complete_newest_first_for_show_edit_and_delete() -> None:
    ids = [
        cli("write", "--free", "--json", "--date", day, text).json()["id"]
        for day, text in (("-3d", "older"), ("yesterday", "newest"), ("-2d", "middle"))
    ]
    expected = ["last", ids[1], ids[2], ids[0]]
    assert bash_values(complete_bash("leadjournal show ")) == expected
    assert zsh_values("leadjournal edit ") == expected
    assert complete_fish("leadjournal delete ") == expected
    assert bash_values(complete_bash(f"leadjournal show {ids[0][:5]}")) == [ids[0]]


def test_resolve_completes_only_open_commitment_ids() -> None:
    kept = cli("commit", "--json", "Kept one").json()["id"]
    still_open = cli("commit", "--json", "Open one").json()["id"]
    assert cli("resolve", kept, "kept").code == 0
    assert bash_values(complete_bash("leadjournal resolve ")) == [still_open]


def test_a_broken_journal_completes_nothing_and_fails_quietly(home: Path) -> None:
    cli("write", "--free", "--tag", "team", "one")
    for path in (home / "entries").rglob("*.json"):
        path.write_text("{ not json")
    (home / "cache").mkdir(exist_ok=True)
    for path in (home / "cache").rglob("*"):
        if path.is_file():
            path.write_text("garbage")
    for words in ("leadjournal list --tag ", "leadjournal show ", "leadjournal resolve "):
        proc = complete_bash(words)
        assert proc.returncode == 0
        assert proc.stderr == b""
        assert [v for v in bash_values(proc) if v not in ("", "last")] == []


def test_a_completion_request_never_prints_the_prompt_of_the_day_even_with_entries() -> None:
    cli("write", "answer of the day")
    for words in ("leadjournal ", "leadjournal today ", "leadjournal write --theme "):
        assert_no_prompt(complete_bash(words))
