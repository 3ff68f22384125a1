"""What an analyst most likely meant, for the form errors a hand-written timeline meets most."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

QUOTE_IT = "Inside { }, a value holding ',' or ': ' must be in quotes"


def one_issue(path: str, value: Any) -> str | None:
    """``issue: [a, b]``: an event is about one issue."""
    if path.split(".")[-1] != "issue" or not isinstance(value, list):
        return None
    given = ", ".join(repr(v) for v in value[:5])
    return (
        f"`{path}`: one issue is allowed per event (given a list: {given}): record one event per issue, "
        "or, for a proposal on several issues, a ProposalTabled whose provisions each name one; "
        "an AgreementReached on several issues lists them in `issues`"
    )


def comma_split(path: str, loc: Sequence[Any], value: Any, data: Any) -> str | None:
    """An unknown field with no value, right after a text field: an unquoted comma cut the text there."""
    if value is not None:
        return None
    container = data
    for step in loc[:-1]:
        if step == 0 and isinstance(container, dict):
            continue  # a single mapping given where a list is allowed (``source: {…}``)
        try:
            container = container[step]
        except (KeyError, IndexError, TypeError):
            return None
    if not isinstance(container, dict):
        return None
    keys = list(container)
    at = keys.index(loc[-1]) if loc[-1] in keys else -1
    if at <= 0 or not isinstance(container[keys[at - 1]], str):
        return None
    before = keys[at - 1]
    return (
        f"unknown field `{path}`: did an unquoted comma cut `{before}` short? {QUOTE_IT}, "
        f"e.g. {before}: \"{container[before]}, {loc[-1]}\""
    )


def yaml_flow(problem: str) -> str:
    """A YAML syntax error inside a flow collection ``{…}`` / ``[…]``: most often an unquoted ',' or ': '."""
    if "expected ',' or '}'" in problem or "expected ',' or ']'" in problem:
        return f"{problem} ({QUOTE_IT[0].lower()}{QUOTE_IT[1:]})"
    return problem
