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
    "summary",
    "themes",
    "prompts",
    "export",
    "import",
    "doctor",
    "sync",
    "merge-month",
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
