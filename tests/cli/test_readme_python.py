"""The README's Python example runs as shown, against a fresh store in a temporary folder holding the seeds."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    (code,) = [b for b in blocks if "negotrack.open(" in b]
    return code


def test_the_readme_python_example_runs_and_prints_what_the_comments_say(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    done = subprocess.run(
        [sys.executable, "-c", example()], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "contested"  # as the comment in the README says
    assert any(line.startswith("2025-11-27 ThreatIssued RU ") for line in lines[1:])  # the timeline, one event a line
    assert any(line.startswith("nato-membership stance UA supports -> ") for line in lines)  # the diff's changes
    assert (tmp_path / "negotrack.db").is_file()


def test_importing_negotrack_loads_nothing_heavy():
    code = "import sys, negotrack; print(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'pydantic', 'eventsourcing', 'click')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
