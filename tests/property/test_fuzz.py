"""Garbage and mutated timelines given to the loader and to `negotrack ingest`.

Whatever the input, the command ends with exit 0 or 2 and an `Error:` block,
never a traceback, and a refused input leaves every table of the store as it
was.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from valid_timelines import HEADER, dump_store, timelines

from negotrack.cli import cli
from negotrack.store.recorder import forget
from negotrack.timeline.reader import ReadError, read_document

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
BASE_EVENT = {"id": "base", "type": "PositionStated", "date": "2024-01-01", "by": "AA", "issue": "i1",
              "stance": "supports", "summary": "base", "source": {"ref": "web"}}  # fmt: skip
SUFFIXES = [".yaml", ".json", ".ndjson"]


def check_ingest(content: bytes, suffix: str) -> None:
    """Ingest ``content`` into a store that already holds a thread; the outcome must be clean."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = root / "s.db"
        base = root / "base.json"
        base.write_text(json.dumps({**HEADER, "events": [BASE_EVENT]}))
        runner = CliRunner()
        env = {"NEGOTRACK_DB": str(db)}
        try:
            assert runner.invoke(cli, ["ingest", str(base)], env=env).exit_code == 0
            before = dump_store(db)
            path = root / f"input{suffix}"
            path.write_bytes(content)
            result = runner.invoke(cli, ["ingest", str(path)], env=env)
            assert "Traceback" not in result.output
            assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
            assert result.exit_code in (0, 2), result.output
            if result.exit_code == 2:
                assert result.output.startswith("Error:"), result.output
                assert dump_store(db) == before
        finally:
            forget(f"sqlite:///{db}")


# ---------------------------------------------------------------------------
# Garbage
# ---------------------------------------------------------------------------


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(SUFFIXES))
def test_garbage_bytes_are_refused_cleanly(content: bytes, suffix: str):
    check_ingest(content, suffix)


@SETTINGS
@given(st.text(max_size=200), st.sampled_from(SUFFIXES))
def test_garbage_text_is_refused_cleanly(text: str, suffix: str):
    check_ingest(text.encode("utf-8", "surrogatepass"), suffix)


@SETTINGS
@given(st.binary(max_size=300), st.sampled_from(SUFFIXES))
def test_the_loader_raises_only_its_own_error(content: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"f{suffix}"
        path.write_bytes(b"negotrack: 1\n" + content if suffix == ".yaml" else content)
        try:
            doc = read_document(path, path.name)
        except ReadError as e:
            assert str(e.problem)
        else:
            assert isinstance(doc.data, dict)


# ---------------------------------------------------------------------------
# Mutated valid timelines
# ---------------------------------------------------------------------------

JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(["2024-02-30", "2024-13-01", "24-01-01", "9999-12-31", "e0", "AA", "ann", "i1", "web", "UPPER",
                     "ReportRetracted", "Accepted", "\x1b[31m", "\u202e", "a" * 300]),
)  # fmt: skip


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    tl = draw(timelines(max_events=6, max_batches=1))
    doc: dict[str, Any] = json.loads(json.dumps({**HEADER, "events": tl.events}))
    for _ in range(draw(st.integers(1, 4))):
        events = doc.get("events")
        op = draw(st.sampled_from(["drop", "swap", "set", "dup", "top", "unknown"]))
        if op == "top" or not isinstance(events, list) or not events:
            key = draw(st.sampled_from(["negotrack", "thread", "sources", "events", "extra"]))
            if draw(st.booleans()):
                doc.pop(key, None)
            else:
                doc[key] = draw(JUNK)
            continue
        i = draw(st.integers(0, len(events) - 1))
        event = events[i]
        if not isinstance(event, dict):
            continue
        if op == "dup":
            copy = dict(event)
            if draw(st.booleans()):
                copy["summary"] = "different"
            events.append(copy)
        elif op == "drop" and event:
            event.pop(draw(st.sampled_from(sorted(event))))
        elif op == "swap" and event:
            event[draw(st.sampled_from(sorted(event)))] = draw(JUNK)
        elif op == "set":
            key = draw(st.sampled_from(["ref", "date", "by", "issue", "type", "revises", "source", "of", "to",
                                        "parties", "provisions", "stance", "recorded_at", "id"]))  # fmt: skip
            event[key] = draw(JUNK)
        elif op == "unknown":
            event[draw(st.text(min_size=1, max_size=8))] = draw(JUNK)
    return doc


def encode(doc: dict[str, Any], suffix: str) -> bytes:
    if suffix == ".json":
        return json.dumps(doc, ensure_ascii=False, allow_nan=True).encode()
    if suffix == ".ndjson":
        header = {k: v for k, v in doc.items() if k != "events"}
        events = doc.get("events") if isinstance(doc.get("events"), list) else []
        return "\n".join(json.dumps(x, allow_nan=True) for x in [header, *events]).encode()
    return yaml.safe_dump(doc, allow_unicode=True).encode()


@SETTINGS
@given(mutated(), st.sampled_from(SUFFIXES))
def test_mutated_timelines_are_ingested_or_refused_cleanly(doc: dict[str, Any], suffix: str):
    check_ingest(encode(doc, suffix), suffix)


@SETTINGS
@given(timelines(max_events=6, max_batches=1), st.sampled_from(SUFFIXES))
def test_valid_timelines_are_ingested_in_every_format(tl, suffix: str):
    """The control group: without mutation, every format is accepted."""
    doc = {**HEADER, "events": tl.events}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"t{suffix}"
        path.write_bytes(encode(doc, suffix))
        db = Path(tmp) / "s.db"
        try:
            result = CliRunner().invoke(cli, ["ingest", str(path)], env={"NEGOTRACK_DB": str(db)})
            assert result.exit_code == 0, result.output
        finally:
            forget(f"sqlite:///{db}")
