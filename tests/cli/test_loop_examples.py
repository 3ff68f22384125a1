"""The help's examples of `ingest --check`, `show` and `search` run as shown (negotrack.conventions.EXAMPLES)."""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from negotrack.cli import cli
from negotrack.conventions import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", ["ingest", "show", "search"])
def test_the_examples_run(command, tmp_path, monkeypatch):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEGOTRACK_DB", raising=False)
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", "seeds/ukraine-peace.yaml"]).exit_code == 0
    help_text = runner.invoke(cli, [command, "--help"]).output
    for example in EXAMPLES[command]:
        assert f"$ {example}" in help_text
        result = runner.invoke(cli, shlex.split(example)[1:], catch_exceptions=False)
        assert result.exit_code == 0, (example, result.output)
        assert result.stdout.strip(), example
