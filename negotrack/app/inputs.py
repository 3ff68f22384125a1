"""Reading the input files of a use case: timeline files and CSV files of events, checked for form.

What could be parsed comes back as :class:`~negotrack.timeline.schema.TimelineInput`
with every problem of form found; the rules across events are the checker's
(:mod:`negotrack.domain.rules`), run by :mod:`negotrack.app.ingest`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from negotrack.domain import limits
from negotrack.errors import InputRejected, Problem

if TYPE_CHECKING:  # the pydantic models are imported by the commands that read input, not by queries
    from negotrack.timeline.schema import TimelineInput


def display_name(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd())) if path.is_absolute() else str(path)
    except ValueError:
        return str(path)


@contextmanager
def problems_located(locators: list[Any]) -> Iterator[None]:
    """Let an :class:`InputRejected` raised inside through with each CSV's problems naming its rows and columns.

    ``locators``: what :func:`read_inputs` filled in, one per CSV file read.
    """
    try:
        yield
    except InputRejected as e:
        if not locators:
            raise
        located = e.problems
        for locate in locators:
            located = locate(located)
        raise InputRejected(located) from None


def load_inputs(paths: list[Path], *, allow_recorded_at: bool = False, allowed: Any = None) -> list[TimelineInput]:
    """Read and check the form of every file; raise InputRejected listing every problem."""
    inputs, problems = read_inputs(paths, allow_recorded_at=allow_recorded_at, allowed=allowed)
    if problems:
        raise InputRejected(problems)
    return inputs


def read_inputs(
    paths: list[Path],
    *,
    allow_recorded_at: bool = False,
    thread_file: Path | None = None,
    locators: list[Any] | None = None,
    allowed: Any = None,
) -> tuple[list[TimelineInput], list[Problem]]:
    """Read every file: what could be parsed, and every problem of form found.

    A ``.csv`` file of events is read with its thread's declarations (the
    timeline file ``thread_file``, or ``NAME.thread.yaml`` beside it), see
    :mod:`negotrack.timeline.csvfile`; ``locators`` is given, for each, the
    function that puts its CSV row and column in a problem's place.
    ``allowed`` (a :class:`negotrack.timeline.paths.Allowed`): the folders the
    files' sources may lie in besides each file's own (default: those of
    ``NEGOTRACK_SOURCES_ROOT``).
    """
    from negotrack.timeline.paths import Allowed, Budget, given_twice, given_twice_message, read_sources
    from negotrack.timeline.reader import ReadError, read_document
    from negotrack.timeline.schema import parse_document, statement_from_json

    allowed = allowed if allowed is not None else Allowed.named()
    budget = Budget()
    problems: list[Problem] = []
    inputs: list[TimelineInput] = []
    total = 0
    declared: dict[Path, str | None] = {}  # thread files read for CSV files: their thread id
    twice = given_twice(paths)
    for index, path in enumerate(paths):
        name = display_name(path)
        if index in twice:
            problems.append(Problem(name, "", given_twice_message(name, display_name(twice[index]))))
            continue
        try:
            if path.suffix.lower() == ".csv":
                doc = _csv_document(path, name, thread_file, declared, inputs, problems, locators, allowed, budget)
                if doc is None:
                    continue
            else:
                # scenario files may give `recorded_at`: statement_from_json leaves such a line to parse_event
                doc = read_document(path, name, typed=statement_from_json)
        except ReadError as e:
            problems.append(e.problem)
            continue
        parsed = parse_document(doc, problems, allow_recorded_at=allow_recorded_at)
        if parsed is not None:
            read_sources(parsed, allowed, budget)
            total += len(parsed.events)
            inputs.append(parsed)
    if total > limits.MAX_EVENTS:
        problems.append(Problem("", "", f"{total:,} events: over the limit of {limits.MAX_EVENTS:,} per input"))
    return inputs, problems


def _csv_document(
    path: Path,
    name: str,
    thread_file: Path | None,
    declared: dict[Path, str | None],
    inputs: list[TimelineInput],
    problems: list[Problem],
    locators: list[Any] | None,
    allowed: Any,
    budget: Any,
) -> Any:
    """A CSV of events as the document a timeline file gives, after its thread file (read once) is in ``inputs``."""
    from negotrack.timeline import csvfile
    from negotrack.timeline.reader import RawDocument, ReadError, decode_text, read_bytes, read_document
    from negotrack.timeline.paths import read_sources
    from negotrack.timeline.schema import parse_document

    decl_path = thread_file or csvfile.thread_file_for(path)
    key = decl_path.resolve()
    if key not in declared:
        decl_name = display_name(decl_path)
        if thread_file is None and not decl_path.exists():
            problems.append(Problem(name, "", f"no thread declarations: expected {decl_name} beside it, or give --thread FILE"))
            declared[key] = None
            return None
        doc = read_document(decl_path, decl_name)
        parsed = parse_document(doc, problems)
        declared[key] = parsed.thread.id if parsed is not None else None
        if parsed is not None:
            read_sources(parsed, allowed, budget)
            inputs.append(parsed)
    slug = declared[key]
    if slug is None:
        return None
    text = decode_text(read_bytes(path, name, limits.MAX_FILE_BYTES), name)
    events, lines, rows_of_line, csv_problems = csvfile.read_rows(text, name)
    del text
    problems.extend(csv_problems)
    rows_by_id = {e["id"]: rows_of_line[line] for e, line in zip(events, lines) if isinstance(e.get("id"), str)}
    if locators is not None:
        locators.append(lambda ps: csvfile.locate(ps, name, rows_by_id, rows_of_line))
    data = {"negotrack": 1, "thread": {"id": slug}, "events": events}
    return RawDocument(name=name, path=path, data=data, event_lines=list(lines), fmt="csv")
