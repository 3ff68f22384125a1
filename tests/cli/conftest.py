"""Fixtures for driving the CLI: a small valid timeline in a temporary folder, and a runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.harbour import Project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.chdir(tmp_path)
    return Project(tmp_path)
