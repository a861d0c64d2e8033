"""Reading the prompt files: the packaged prompts.yaml and the user's, validated by the
pydantic models of models.py and merged into one PromptSet (DESIGN.md sections 4 and 11).

Guides are validated one by one: a bad guide in the user's file (unknown keys, an id used
twice or taken from a built-in guide, an unknown theme) is reported with the file, the
guide and the problem and left out, and everything else of the file still works.

The merged set is cached under <home>/cache/ as plain JSON, keyed on both files, so that
a warm `prompt` neither parses YAML nor builds pydantic models. The file's specs become
Prompt and Theme tuples at once: those are the only shape the rest of the program sees.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from leadjournal import fsio, paths
from leadjournal.errors import PromptFileError, Warn
from leadjournal.prompts.promptset import Guide, GuideStep, Prompt, PromptSet, Theme

if TYPE_CHECKING:
    from pydantic import ValidationError

    from leadjournal.models import GuideSpec, PromptFile, PromptSpec, ThemeSpec

CACHE_VERSION = 4  # 3: prompts carry idea and audience; 4: guides
PROMPT_KEYS = ("id", "text", "follow_up", "idea", "audience", "source")  # models.PromptSpec
GUIDE_KEYS = ("id", "name", "description", "theme", "steps")  # models.GuideSpec
STEP_KEYS = ("id", "text", "kind", "theme", "commitment")  # models.StepSpec


def load_prompt_set(warn: Warn | None = None, *, use_cache: bool = True) -> PromptSet:
    """The built-in prompts plus the user's. A bad user file is reported through `warn` and
    left out; a bad built-in file is an error."""
    builtin = paths.builtin_prompts_file()
    user = paths.user_prompts_file()
    key = [_file_key(builtin), _file_key(user), CACHE_VERSION]
    cache = paths.cache_dir() / "prompts.json"
    prompt_set = _read_cache(cache, key) if use_cache else None
    if prompt_set is None:
        prompt_set = build_prompt_set(builtin, user)
        _write_cache(cache, key, prompt_set)
    if warn is not None:
        for message in prompt_set.warnings:
            warn(message)
    return prompt_set


def build_prompt_set(builtin: Path, user: Path) -> PromptSet:
    """Parse and validate both files; the user's is left out (with a warning) if bad."""
    spec = parse_prompt_file(builtin)
    themes: list[Theme] = []
    if not spec.themes:
        raise PromptFileError(f"The prompts file {builtin} has no themes.")
    for theme in spec.themes:
        if theme.name is None:
            raise PromptFileError(f"In {builtin}, theme '{theme.id}' has no name.")
        themes.append(_theme(theme, theme.name, theme.description or ""))
    _check_unique(builtin, themes)
    warnings: list[str] = []
    user_file = None
    if user.exists():
        try:
            user_file = parse_prompt_file(user)
            themes = merge_user_prompts(themes, user_file, user)
        except PromptFileError as exc:
            warnings.append(
                f"{exc.message} Your prompts and guides were left out; the built-in ones work."
            )
            user_file = None
    known = {theme.id for theme in themes}
    guides = read_guides(builtin, spec.guides, known, {}, strict=True)[0]
    if user_file is not None:
        built_in = {guide.id: str(builtin) for guide in guides}
        mine, problems = read_guides(user, user_file.guides, known, built_in, strict=False)
        guides += mine
        warnings += problems
    return PromptSet(tuple(themes), tuple(warnings), tuple(guides))


def read_guides(
    path: Path, raws: list[Any], themes: set[str], built_in: dict[str, str], *, strict: bool
) -> tuple[list[Guide], list[str]]:
    """The valid guides of one file, and a message for each one left out. `built_in` holds
    the ids no guide of this file may take; with `strict` (the packaged file) a bad guide
    is an error instead."""
    from pydantic import ValidationError

    from leadjournal.models import GuideSpec

    guides: list[Guide] = []
    problems: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(raws):
        label = raw.get("id") if isinstance(raw, dict) else None
        label = label if isinstance(label, str) and label else f"#{index + 1}"
        problem: str | None
        try:
            spec = GuideSpec.model_validate(raw)
        except ValidationError as exc:
            problem = _describe(exc, raw)
            if "unknown key" in problem:
                problem += (
                    f" (a guide may have {', '.join(GUIDE_KEYS)}; a step {', '.join(STEP_KEYS)})"
                )
        else:
            problem = _guide_problem(spec, themes, built_in, seen)
        if problem is None:
            seen.add(spec.id)
            guides.append(_guide(spec))
            continue
        message = f"In {path}, guide '{label}': {problem}."
        if strict:
            raise PromptFileError(message)
        problems.append(f"{message} That guide was left out; the rest works.")
    return guides, problems


def _guide_problem(
    spec: GuideSpec, themes: set[str], built_in: dict[str, str], seen: set[str]
) -> str | None:
    if spec.id in built_in:
        return f"the id '{spec.id}' is a built-in guide's; give yours another id"
    if spec.id in seen:
        return f"the guide id '{spec.id}' is used twice"
    steps: set[str] = set()
    for step in spec.steps:
        if step.id in steps:
            return f"the step id '{step.id}' is used twice"
        steps.add(step.id)
    for theme in [spec.theme, *(step.theme for step in spec.steps)]:
        if theme is not None and theme not in themes:
            return f"there is no theme '{theme}'"
    return None


def _guide(spec: GuideSpec) -> Guide:
    steps = tuple(GuideStep(s.id, s.text, s.kind, s.theme, s.commitment) for s in spec.steps)
    return Guide(spec.id, spec.name, spec.description or "", spec.theme, steps)


def _theme(spec: ThemeSpec, name: str, description: str) -> Theme:
    return Theme(spec.id, name, description, tuple(_prompt(p, spec.id) for p in spec.prompts))


def _prompt(spec: PromptSpec, theme_id: str) -> Prompt:
    return Prompt(
        spec.id, theme_id, spec.text, spec.follow_up, spec.source, spec.idea, spec.audience
    )


def merge_user_prompts(themes: list[Theme], user_file: PromptFile, path: Path) -> list[Theme]:
    """Add the user's themes and prompts to the built-in ones (a new list; inputs unchanged)."""
    merged = list(themes)
    where = {theme.id: index for index, theme in enumerate(merged)}
    built_in = set(where)
    for spec in user_file.themes:
        if spec.id in where and spec.id not in built_in:
            raise PromptFileError(f"In {path}, the theme id '{spec.id}' is defined twice.")
        if spec.id in where:
            if spec.name is not None or spec.description is not None:
                raise PromptFileError(
                    f"In {path}, theme '{spec.id}' is built in: list it with only 'id' and "
                    "'prompts' to add prompts to it."
                )
            index = where[spec.id]
            extra = tuple(_prompt(p, spec.id) for p in spec.prompts)
            merged[index] = merged[index]._replace(prompts=merged[index].prompts + extra)
        else:
            if spec.name is None:
                raise PromptFileError(
                    f"In {path}, the new theme '{spec.id}' needs a 'name' (and a 'description')."
                )
            where[spec.id] = len(merged)
            merged.append(_theme(spec, spec.name, spec.description or ""))
    _check_unique(path, merged)
    for theme in merged:
        if not theme.prompts:
            raise PromptFileError(f"In {path}, theme '{theme.id}' has no prompts.")
    return merged


def _check_unique(path: Path, themes: list[Theme]) -> None:
    seen_themes: set[str] = set()
    seen: set[str] = set()
    for theme in themes:
        if theme.id in seen_themes:
            raise PromptFileError(f"In {path}, the theme id '{theme.id}' is used twice.")
        seen_themes.add(theme.id)
        for prompt in theme.prompts:
            if prompt.id in seen:
                raise PromptFileError(f"In {path}, the prompt id '{prompt.id}' is used twice.")
            seen.add(prompt.id)


# ---------------------------------------------------------------------------------------
# The cache: the PromptSet as JSON, and back


def _file_key(path: Path) -> list[Any]:
    try:
        st = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), st.st_mtime_ns, st.st_size, st.st_ino]


def _read_cache(cache: Path, key: list[Any]) -> PromptSet | None:
    try:
        data = json.loads(fsio.read_regular(cache))
        if not isinstance(data, dict) or data.get("key") != key:
            return None
        themes = tuple(
            Theme(t["id"], t["name"], t["description"], tuple(Prompt(*p) for p in t["prompts"]))
            for t in data["themes"]
        )
        guides = tuple(
            Guide(g[0], g[1], g[2], g[3], tuple(GuideStep(*step) for step in g[4]))
            for g in data["guides"]
        )
        return PromptSet(themes, tuple(data["warnings"]), guides)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a missing or damaged cache is rebuilt


def _write_cache(cache: Path, key: list[Any], prompt_set: PromptSet) -> None:
    data = {
        "key": key,
        "themes": [
            {
                "id": t.id,
                "name": t.name,
                "description": t.description,
                "prompts": [list(p) for p in t.prompts],
            }
            for t in prompt_set.themes
        ],
        "guides": [[*g[:4], [list(step) for step in g.steps]] for g in prompt_set.guides],
        "warnings": list(prompt_set.warnings),
    }
    fsio.write_cache(cache, json.dumps(data, ensure_ascii=False).encode())


# ---------------------------------------------------------------------------------------
# One file


def parse_prompt_file(path: Path) -> PromptFile:
    """Read one prompts.yaml with yaml.safe_load and validate it; errors name file and entry."""
    import yaml
    from pydantic import ValidationError

    from leadjournal.models import PromptFile

    try:
        raw = fsio.read_regular(path)  # a FIFO named prompts.yaml must not hang us
    except OSError as exc:
        raise PromptFileError(f"Cannot read the prompts file {path}: {exc.strerror}.") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except UnicodeDecodeError:
        raise PromptFileError(f"The prompts file {path} is not UTF-8 text.") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" (line {where.line + 1})" if where is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise PromptFileError(
            f"The prompts file {path} is not valid YAML{at}: {problem}."
        ) from None
    except ValueError:  # Python reads no integer of more than 4,300 digits
        raise PromptFileError(
            f"The prompts file {path} holds a number too large to read."
        ) from None
    try:
        return PromptFile.model_validate(data)
    except ValidationError as exc:
        raise PromptFileError(
            f"The prompts file {path} is not valid: {_describe(exc, data)}."
        ) from None


def _describe(exc: ValidationError, data: Any) -> str:
    """'theme lead-yourself, prompt ly-x: text: must not be empty' for the first errors."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False)[:3]:
        loc = list(error["loc"])
        names: list[str] = []
        node = data
        for step in loc:
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                names.append(str(step))
                node = None
                continue
            if isinstance(step, int) and isinstance(node, dict) and "id" in node:
                names.append(str(node["id"]))
            elif not isinstance(step, int):
                names.append(str(step))
            else:
                names.append(f"#{step + 1}")
        message = str(error["msg"]).replace("String should match pattern", "must match")
        if error["type"] == "extra_forbidden":
            message = "unknown key"
            if len(loc) >= 3 and loc[-3] == "prompts":
                message += f" (a prompt may have {', '.join(PROMPT_KEYS)})"
        parts.append(f"{' > '.join(names) or 'file'}: {message}")
    return "; ".join(parts)
