"""The README tells the truth: every walkthrough block that shows a command's whole output is re-run here."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from click.testing import CliRunner

from negotrack.cli import cli

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```text\n(.*?)```", re.S)


def sessions() -> list[list[tuple[str, str]]]:
    """Each text block of the README made of `$ negotrack …` lines and their output, in order."""
    blocks = []
    for body in BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8")):
        if not body.startswith("$ negotrack ") or "…" in body:
            continue  # an excerpt (the demo), checked by test_demo instead
        runs = []
        for chunk in re.split(r"^\$ ", body, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            runs.append((command, output))
        blocks.append(runs)
    return blocks


def test_walkthrough_outputs_are_real(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEGOTRACK_DB", raising=False)
    runner = CliRunner()
    checked = 0
    for runs in sessions():
        for command, expected in runs:
            args = shlex.split(command)
            assert args[0] == "negotrack"
            result = runner.invoke(cli, args[1:], catch_exceptions=False)
            assert result.exit_code == 0, (command, result.output)
            assert result.output == expected, command
            checked += 1
    assert checked >= 6
