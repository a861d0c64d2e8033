"""The built-in prompts.yaml ships inside the wheel and is found from anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_the_wheel_contains_prompts_yaml_and_works_unpacked_elsewhere(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = out.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "leadjournal/prompts.yaml" in names
    assert "leadjournal/cli/__init__.py" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "LEADJOURNAL_HOME": str(tmp_path / "h")}
    proc = subprocess.run(
        [sys.executable, "-c", "import leadjournal.paths as p; print(p.builtin_prompts_file())"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.strip() == str(site / "leadjournal" / "prompts.yaml")
    themes = subprocess.run(
        [sys.executable, "-m", "leadjournal", "themes", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"lead-yourself"' in themes.stdout


def test_a_checkout_uses_the_top_level_prompts_file() -> None:
    from leadjournal.paths import builtin_prompts_file

    found = builtin_prompts_file()
    assert found.is_file()
    assert found.read_bytes() == (ROOT / "prompts.yaml").read_bytes()
