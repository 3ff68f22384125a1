"""pytest plugin: collects ``*.scenario.yaml`` files, one test item per expectation.

Registered through the ``pytest11`` entry point, so installing negotrack is
enough.  Each file is ingested once into a fresh temporary store; a failing
item reports the scenario, the date and each field, expected versus actual.
"""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(".scenario.yaml"):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioError(Exception):
    pass


class ScenarioFile(pytest.File):
    def collect(self) -> Any:
        from negotrack.scenarios.runner import ScenarioInvalid, load_scenario
        from negotrack.timeline.paths import Allowed

        try:
            # pytest already runs the project's own code (conftest.py): its rootdir is an allowed root
            self.scenario = load_scenario(self.path, Allowed.named([self.config.rootpath]))
        except ScenarioInvalid as e:
            raise self.CollectError("\n".join(["not a valid scenario:", *(f"  {p}" for p in e.problems)])) from None
        self._stack: ExitStack | None = None
        self._store: Any = None
        self._error: str | None = None
        for exp in self.scenario.expectations:
            yield ScenarioItem.from_parent(self, name=f"{exp.label}", expectation=exp)

    def store(self) -> Any:
        from negotrack.scenarios.runner import ScenarioInvalid, scenario_store

        if self._error is not None:
            raise ScenarioError(self._error)
        if self._store is None:
            self._stack = ExitStack()
            try:
                self._store = self._stack.enter_context(scenario_store(self.scenario))
            except ScenarioInvalid as e:
                self._stack.close()
                self._error = "\n".join(["the scenario's timeline was refused:", *(f"  {p}" for p in e.problems)])
                raise ScenarioError(self._error) from None
        return self._store

    def teardown(self) -> None:
        if self._stack is not None:
            self._stack.close()
            self._stack = None


class ScenarioFailed(Exception):
    def __init__(self, mismatches: list[Any]):
        self.mismatches = mismatches


class ScenarioItem(pytest.Item):
    def __init__(self, *, expectation: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.expectation = expectation

    def runtest(self) -> None:
        from negotrack.scenarios.runner import evaluate

        parent: ScenarioFile = self.parent  # type: ignore[assignment]
        mismatches = evaluate(parent.store(), self.expectation)
        if mismatches:
            raise ScenarioFailed(mismatches)

    def repr_failure(self, excinfo: Any, style: Any = None) -> str:
        parent: ScenarioFile = self.parent  # type: ignore[assignment]
        head = [
            f"scenario: {parent.scenario.title}",
            f"file:     {parent.scenario.name}",
            f"expected: {self.expectation.label}",
        ]
        if isinstance(excinfo.value, ScenarioFailed):
            return "\n".join([*head, *(f"  {m}" for m in excinfo.value.mismatches)])
        if isinstance(excinfo.value, ScenarioError):
            return "\n".join([*head, str(excinfo.value)])
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"{self.parent.name}: {self.name}"
