"""Hostile files given to the real command, in a child process, so its memory and time are real.

Each one must be refused with exit 2 and a message naming the limit or the
rule it broke, without a traceback, with the child using under 5 seconds of
CPU and under 300 MB of memory, and with the store exactly as it was.  The
child runs with RLIMIT_CPU of 5 s (it is killed past it) and RLIMIT_AS of
2 GB (so a broken limit fails the test instead of swapping the machine); a
wall-clock guard kills a child that blocks (reading a pipe or a device).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile_support import CPU_SECONDS, HANG_GUARD_SECONDS, MAX_RSS_MB, dump_store, run_negotrack, write_project

from negotrack.domain import limits

@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding a small thread (shared: every test checks it is left unchanged)."""
    root = tmp_path_factory.mktemp("store")
    timeline = write_project(root)
    result = run_negotrack(root, "ingest", "--db", "store.db", timeline.name)
    assert result.code == 0, result.stderr
    return root / "store.db"


@pytest.fixture
def project(tmp_path: Path, store: Path) -> Path:
    """A folder for the hostile files; ``store.db`` in it is the shared store."""
    (tmp_path / "store.db").symlink_to(store)
    return tmp_path


def refused(project: Path, target: str, *expected: str) -> Run:
    """Ingest TARGET into the project's store: it must be refused cleanly, cheaply, and change nothing."""
    before = dump_store(project / "store.db")
    assert before["rm_events"], "the store holds the thread"
    result = run_negotrack(project, "ingest", "--db", str((project / "store.db").resolve()), target)
    assert not result.killed, f"still running after {HANG_GUARD_SECONDS} s: killed"
    assert result.code != -9 and result.code != -24, f"killed by the CPU limit of {CPU_SECONDS} s"  # SIGKILL/SIGXCPU
    assert "Traceback" not in result.stderr + result.stdout
    assert result.code == 2, result.stderr
    assert result.stderr.startswith("Error: the input was refused and nothing was written"), result.stderr
    for text in expected:
        assert text in result.stderr
    assert result.max_rss_mb < MAX_RSS_MB, f"peak memory {result.max_rss_mb:.0f} MB"
    assert dump_store(project / "store.db") == before
    return result


# ---------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------

HEADER_YAML = "negotrack: 1\nthread: {id: harbour}\n"
HEADER_JSON = '{"negotrack": 1, "thread": {"id": "harbour"}'
DEPTH = 20_000
BIG = 60 * 1024 * 1024


def alias_bomb() -> str:
    """The "billion laughs": nine levels of nine aliases each, 9**9 strings once expanded."""
    lines = [HEADER_YAML.rstrip("\n"), 'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("events: *l9")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_by_the_yaml_size_limit(project: Path):
    (project / "bomb.yaml").write_text(alias_bomb())
    refused(project, "bomb.yaml", "bomb.yaml: line", "aliases expand to more than 1,000,000 values", "YAML size limit")


def test_many_aliases_are_refused_by_the_alias_limit(project: Path):
    body = "x: &x [1]\nevents: [" + ", ".join(["*x"] * (limits.MAX_YAML_ALIASES + 1)) + "]\n"
    (project / "aliases.yaml").write_text(HEADER_YAML + body)
    refused(project, "aliases.yaml", f"more than {limits.MAX_YAML_ALIASES} aliases: over the YAML alias limit")


NESTING = {
    "flow.yaml": HEADER_YAML + "events: " + "[" * DEPTH + "]" * DEPTH + "\n",
    "block.yaml": HEADER_YAML + "events:\n" + "- " * DEPTH + "x\n",
    "mapping.yaml": HEADER_YAML + "events: " + "{a: " * DEPTH + "1" + "}" * DEPTH + "\n",
    "deep.json": HEADER_JSON + ', "events": ' + "[" * DEPTH + "]" * DEPTH + "}",
    "deep.ndjson": HEADER_JSON + "}\n" + '{"a": ' * DEPTH + "1" + "}" * DEPTH + "\n",
}


@pytest.mark.parametrize("name", NESTING)
def test_20000_levels_of_nesting_are_refused_by_the_nesting_limit(project: Path, name: str):
    (project / name).write_text(NESTING[name])
    refused(project, name, f"{name}: ", f"nested deeper than the nesting limit of {limits.MAX_DEPTH}")


def _big_event_json() -> str:
    return (
        '{"id": "big", "type": "PositionStated", "date": "2024-02-01", "by": "AV", "issue": "fishing", '
        '"stance": "opposes", "summary": "' + "a" * BIG + '", "source": {"ref": "hw"}}'
    )


def test_a_60_mb_field_in_json_is_refused_by_the_field_length_limit(project: Path):
    (project / "big.json").write_text(HEADER_JSON + ', "events": [' + _big_event_json() + "]}")
    refused(project, "big.json", f"a value of {BIG:,} characters: over the field length limit of 100,000")


def test_a_60_mb_field_in_ndjson_is_refused_by_the_field_length_limit(project: Path):
    (project / "big.ndjson").write_text(HEADER_JSON + "}\n" + _big_event_json() + "\n")
    refused(project, "big.ndjson", f"big.ndjson: line 2: a value of {BIG:,} characters: over the field length limit")


def test_a_60_mb_field_in_yaml_is_refused_by_the_yaml_file_size_limit(project: Path):
    (project / "big.yaml").write_text(HEADER_YAML + "events:\n- summary: " + "a" * BIG + "\n")
    refused(project, "big.yaml", f"over the file size limit of {limits.MAX_YAML_BYTES:,} bytes")


def test_a_long_field_in_yaml_is_refused_by_the_field_length_limit(project: Path):
    n = 15 * 1024 * 1024  # under the YAML file size limit
    (project / "long.yaml").write_text(HEADER_YAML + "events:\n- summary: |\n    " + "a" * n + "\n")
    refused(project, "long.yaml", f"long.yaml: line 4: a value of {n + 1:,} characters: over the field length limit")


def test_a_binary_file_is_refused(project: Path):
    (project / "binary.yaml").write_bytes(bytes(range(256)) * 1000)
    refused(project, "binary.yaml", "binary.yaml: line 1: binary data (a NUL byte): not a text file")


def test_a_file_that_is_not_utf8_is_refused(project: Path):
    (project / "latin1.yaml").write_bytes((HEADER_YAML + "events: []\n# café\n").encode("latin-1"))
    refused(project, "latin1.yaml", "latin1.yaml: line 4: not UTF-8 (byte 0xe9 at offset 51)")


def test_a_directory_is_refused(project: Path):
    (project / "folder.yaml").mkdir()
    refused(project, "folder.yaml", "folder.yaml: is a directory, not a timeline file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(project: Path, device: str):
    refused(project, device, f"{device}: is not a regular file (a device, pipe or socket)")
    link = project / "device.yaml"
    link.symlink_to(device)
    refused(project, "device.yaml", "device.yaml: is not a regular file (a device, pipe or socket)")


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(project: Path):
    os.mkfifo(project / "pipe.ndjson")
    refused(project, "pipe.ndjson", "pipe.ndjson: is not a regular file (a device, pipe or socket)")


def test_too_many_events_in_ndjson_are_refused_by_the_events_limit(project: Path):
    n = limits.MAX_EVENTS + 1
    (project / "many.ndjson").write_text(HEADER_JSON + "}\n" + "{}\n" * n)
    refused(project, "many.ndjson", f"many.ndjson: {n:,} events: over the limit of {limits.MAX_EVENTS:,} per input")


def test_too_many_events_in_json_are_refused_by_the_events_limit(project: Path):
    n = limits.MAX_EVENTS + 1
    (project / "many.json").write_text(HEADER_JSON + ', "events": [' + ",".join(["0"] * n) + "]}")
    refused(project, "many.json", f"many.json: {n:,} events: over the limit of {limits.MAX_EVENTS:,} per input")


JSON_SIZE = f"over the JSON size limit of {limits.MAX_JSON_VALUES:,} values per file"


def test_a_json_breadth_bomb_is_refused_by_the_json_size_limit(project: Path):
    """``[[],[],...]``: each item is tiny in the file and 60 bytes parsed; refused before any is built."""
    n = 3 * limits.MAX_JSON_VALUES  # 22 MB; a 200 MB one is refused the same way, after reading its first 4 MiB
    (project / "breadth.json").write_text("[" + ",".join(["[]"] * n) + "]")
    refused(project, "breadth.json", f"breadth.json: more than {limits.MAX_JSON_VALUES:,} values", JSON_SIZE)


def test_a_huge_array_as_a_source_title_is_refused_by_the_json_size_limit(project: Path):
    n = limits.MAX_JSON_VALUES + 1
    (project / "title.json").write_text(
        HEADER_JSON + ', "sources": {"s": {"url": "https://example.org", "title": [' + ",".join(["0.5"] * n) + ']}}, "events": []}'
    )
    refused(project, "title.json", "title.json: ", JSON_SIZE)


def test_a_breadth_bomb_on_one_ndjson_line_is_refused_by_the_json_size_limit(project: Path):
    n = limits.MAX_JSON_VALUES + 1
    (project / "bomb.ndjson").write_text(HEADER_JSON + "}\n" + '{"x": [' + ",".join(["{}"] * n) + "]}\n")
    refused(project, "bomb.ndjson", "bomb.ndjson: ", JSON_SIZE)


def test_ndjson_lines_without_brackets_count_as_values(project: Path):
    """A line ``0.5`` holds no ``[``, ``{``, ``,`` or ``:``: the line itself is counted."""
    n = limits.MAX_JSON_VALUES + 1
    (project / "floats.ndjson").write_text(HEADER_JSON + "}\n" + "0.5\n" * n)
    refused(project, "floats.ndjson", "floats.ndjson: ", JSON_SIZE)


def test_too_many_events_in_yaml_are_refused_by_the_yaml_size_limit(project: Path):
    n = limits.MAX_YAML_NODES + 1
    (project / "many.yaml").write_text(HEADER_YAML + "values:\n" + "- 0\n" * n)  # not events: their limit is lower
    refused(project, "many.yaml", f"more than {limits.MAX_YAML_NODES:,} values: over the YAML size limit")


def test_a_refused_file_among_good_ones_refuses_them_all(project: Path):
    """The good file would add an event; with a hostile one beside it, nothing is written."""
    (project / "more.yaml").write_text(
        HEADER_YAML + "events:\n- {id: av-more, type: PositionStated, date: 2024-02-01, by: AV, issue: fishing,"
        " stance: opposes, summary: s, source: {ref: hw, quote: Avalon welcomed the plan in principle.}}\n"
    )
    (project / "bomb.yaml").write_text(alias_bomb())
    before = dump_store(project / "store.db")
    result = run_negotrack(project, "ingest", "--db", str((project / "store.db").resolve()), "more.yaml", "bomb.yaml")
    assert result.code == 2 and "YAML size limit" in result.stderr and "Traceback" not in result.stderr
    assert dump_store(project / "store.db") == before
