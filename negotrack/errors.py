"""Errors a user can meet. The CLI turns each into an `Error:` block and an exit code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    file: str
    where: str  # "event ru-demand", "line 12", "thread", "" ...
    message: str

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.where) if p]
        return ": ".join([*parts, self.message])


class NegotrackError(Exception):
    """Base class of the errors negotrack reports to a user."""

    exit_code = 2


class InputRejected(NegotrackError):
    """The input was checked and refused as a whole; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the input")


class UsageError(NegotrackError):
    """A command was called with arguments that make no sense."""


class NotFound(NegotrackError):
    """A thread, source or event named by the user does not exist."""


class StoreError(NegotrackError):
    """The store cannot be opened, or is not a negotrack store."""

    exit_code = 1


class ConcurrencyConflict(NegotrackError):
    """Other writers kept changing the thread; the retries ran out."""

    exit_code = 1
