"""What a timeline can make negotrack read: only files inside the allowed folders (issue 16, defect 1).

A source's ``path`` (and a scenario's ``include``) must resolve, after
symlinks, inside the folder of the file that names it or under a root the
user named (``--sources-root``, ``NEGOTRACK_SOURCES_ROOT``), and be a
regular UTF-8 text file.  Before, ``/etc/passwd``, ``../../etc/hostname``, a
symlink out of the folder, ``/proc/self/environ`` and ``/dev/stdin`` were all
archived in the store (and shown by ``sources show`` to every analyst), and
the quote check told a guessed secret from a wrong guess.

Each case runs the real command in a capped child process; the store (SQLite,
and PostgreSQL where the store matters) must be left exactly as it was.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile_support import TIMELINE, dump_store, run_negotrack, write_project

RULE = (
    "is outside the allowed folder: it must lie, after symlinks, inside the folder of the file that names it"
    " or under a folder given with --sources-root or NEGOTRACK_SOURCES_ROOT"
)
SECRET = "api-key=abc123\n"


def timeline_citing(path: str, quote: str = "the harbour must stay closed", cited: bool = True) -> str:
    """The small harbour timeline with one more source, ``pw``, at ``path`` (cited by one event, or by none)."""
    event = (
        f"  - {{id: av-pw, type: PositionStated, date: 2024-01-30, by: AV, issue: fishing, stance: opposes,\n"
        f"     summary: s, source: {{ref: pw, quote: {quote!r}}}}}\n"
    )
    text = TIMELINE.replace(
        "sources:\n", f"sources:\n  pw: {{path: {path!r}, title: Anything}}\n"
    )
    return text + (event if cited else "")


@pytest.fixture
def layout(tmp_path: Path) -> Path:
    """``project/`` (the timeline's folder, with hw.txt) and, beside it, ``secret/key.txt``; returns project/."""
    project = tmp_path / "project"
    project.mkdir()
    write_project(project)
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "key.txt").write_text(SECRET)
    return project


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, layout: Path) -> str:
    """A store holding the harbour thread: an SQLite file in the project, or a fresh PostgreSQL schema."""
    url = str(layout / "store.db") if request.param == "sqlite" else request.getfixturevalue("pg_url")
    result = run_negotrack(layout, "ingest", "--db", url, "harbour.yaml")
    assert result.code == 0, result.stderr
    return url


def store_rows(url: str) -> dict[str, list[tuple]]:
    if "://" not in url:
        return dump_store(Path(url))
    from sqlalchemy import create_engine, inspect, text

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            return {t: sorted((tuple(r) for r in conn.execute(text(f'SELECT * FROM "{t}"'))), key=repr) for t in tables}
    finally:
        engine.dispose()


def ingest_refused(project: Path, store: str, file: str, *expected: str, args: tuple[str, ...] = (), env=None):
    before = store_rows(store)
    result = run_negotrack(project, "ingest", "--db", store, *args, file, env=env)
    assert not result.killed and "Traceback" not in result.stderr
    assert (result.code, result.stdout) == (2, ""), result.stderr
    assert result.stderr.startswith("Error: the input was refused and nothing was written"), result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr
    assert "abc123" not in result.stderr and "root:" not in result.stderr
    assert store_rows(store) == before
    return result


@pytest.mark.parametrize(
    "path",
    [
        "/etc/passwd",
        "../../../../etc/hostname",
        "../secret/key.txt",
        "/proc/self/environ",
        "/dev/stdin",
        "/etc/shadow",
    ],
)
def test_a_source_outside_the_folder_is_refused_and_nothing_is_archived(layout: Path, store: str, path: str):
    (layout / "t.yaml").write_text(timeline_citing(path))
    ingest_refused(layout, store, "t.yaml", f"t.yaml: source pw: source file {path!r} {RULE}")


def test_a_symlink_out_of_the_folder_is_refused(layout: Path, store: str):
    (layout / "link.txt").symlink_to(layout.parent / "secret" / "key.txt")
    (layout / "sub").mkdir()
    (layout / "sub" / "up").symlink_to(layout.parent / "secret")  # a folder symlink on the way
    (layout / "t.yaml").write_text(timeline_citing("link.txt"))
    ingest_refused(layout, store, "t.yaml", f"source file 'link.txt' {RULE}")
    (layout / "t.yaml").write_text(timeline_citing("sub/up/key.txt"))
    ingest_refused(layout, store, "t.yaml", f"source file 'sub/up/key.txt' {RULE}")


def test_a_source_no_event_cites_obeys_the_same_rule(layout: Path, store: str):
    (layout / "t.yaml").write_text(timeline_citing("/etc/passwd", cited=False))
    ingest_refused(layout, store, "t.yaml", f"source file '/etc/passwd' {RULE}")


def test_the_refusal_tells_nothing_of_the_file_outside(layout: Path):
    """A file that exists, one that does not, a right and a wrong guess at its content: one message."""
    store = str(layout / "store.db")
    assert run_negotrack(layout, "ingest", "--db", store, "harbour.yaml").code == 0
    messages = []
    for path, quote in [
        ("../secret/key.txt", "api-key=abc123"),  # the right guess
        ("../secret/key.txt", "api-key=zzz"),  # a wrong one
        ("../secret/missing.txt", "api-key=abc123"),  # no such file
    ]:
        (layout / "t.yaml").write_text(timeline_citing(path, quote))
        result = ingest_refused(layout, store, "t.yaml", RULE)
        messages.append(result.stderr.replace(path, "PATH"))
    assert messages[0] == messages[1] == messages[2]
    assert "quote" not in messages[0]


def test_a_named_root_allows_a_folder_outside(layout: Path, store: str):
    (layout / "t.yaml").write_text(timeline_citing("../secret/key.txt", "api-key=abc123"))
    result = run_negotrack(layout, "ingest", "--db", store, "--sources-root", str(layout.parent / "secret"), "t.yaml")
    assert result.code == 0, result.stderr
    shown = run_negotrack(layout, "sources", "show", "pw", "--db", store)
    assert SECRET.strip() in shown.stdout  # archived: the user allowed it


def test_the_environment_variable_names_roots_too(layout: Path):
    (layout / "t.yaml").write_text(timeline_citing("../secret/key.txt", "api-key=abc123"))
    env = {"NEGOTRACK_SOURCES_ROOT": os.pathsep.join(["/nonexistent-is-refused"])}
    result = run_negotrack(layout, "ingest", "--db", "s.db", "t.yaml", env=env)
    assert (result.code, result.stderr) == (2, "Error: --sources-root: '/nonexistent-is-refused' is not a folder\n")
    env = {"NEGOTRACK_SOURCES_ROOT": str(layout.parent / "secret")}
    result = run_negotrack(layout, "ingest", "--db", "s.db", "t.yaml", env=env)
    assert result.code == 0, result.stderr


def test_inside_a_root_a_source_must_still_be_a_regular_text_file(layout: Path):
    store = str(layout / "store.db")
    assert run_negotrack(layout, "ingest", "--db", store, "harbour.yaml").code == 0
    os.mkfifo(layout / "pipe.txt")
    (layout / "nul.txt").write_bytes(b"the harbour must stay closed\x00")
    (layout / "t.yaml").write_text(timeline_citing("pipe.txt"))
    ingest_refused(layout, store, "t.yaml", "source file 'pipe.txt' is not a regular file (a device, pipe or socket)")
    (layout / "t.yaml").write_text(timeline_citing("nul.txt"))
    ingest_refused(layout, store, "t.yaml", "source file 'nul.txt' is not a text file (a NUL byte)")
    # the user names / as a root: /proc files are still not regular files, a device is not either
    (layout / "t.yaml").write_text(timeline_citing("/proc/self/environ"))
    ingest_refused(
        layout, store, "t.yaml", "source file '/proc/self/environ' is not a regular file (its size changes as it is read)",
        args=("--sources-root", "/"),
    )  # fmt: skip
    (layout / "t.yaml").write_text(timeline_citing("/dev/stdin"))
    ingest_refused(layout, store, "t.yaml", "source file '/dev/stdin' is not a regular file", args=("--sources-root", "/"))


def test_a_symlink_that_stays_inside_is_read(layout: Path):
    (layout / "texts").mkdir()
    (layout / "texts" / "hw.txt").write_text((layout / "hw.txt").read_text())
    (layout / "hw.txt").unlink()
    (layout / "hw.txt").symlink_to(layout / "texts" / "hw.txt")
    result = run_negotrack(layout, "ingest", "--db", "s.db", "harbour.yaml")
    assert result.code == 0, result.stderr


SCENARIO = """\
negotrack: 1
scenario: Harbour, included
include: [{include}]
expect:
  - {{as_of: 2024-01-30, issue: fishing, status: contested}}
"""


def test_a_scenario_include_obeys_the_same_rule(layout: Path):
    other = layout.parent / "other"
    other.mkdir()
    write_project(other)
    checks = layout / "checks"
    checks.mkdir()
    (checks / "s.scenario.yaml").write_text(SCENARIO.format(include="../../other/harbour.yaml"))
    result = run_negotrack(layout, "check", "checks")
    assert result.code == 2 and "Traceback" not in result.stdout
    assert f"checks/s.scenario.yaml: include: include '../../other/harbour.yaml' {RULE}" in result.stdout
    (checks / "s.scenario.yaml").write_text(SCENARIO.format(include="/etc/passwd"))
    result = run_negotrack(layout, "check", "checks")
    assert result.code == 2 and f"include '/etc/passwd' {RULE}" in result.stdout and "root:" not in result.stdout
    (checks / "inc.yaml").symlink_to(other / "harbour.yaml")
    (checks / "s.scenario.yaml").write_text(SCENARIO.format(include="inc.yaml"))
    result = run_negotrack(layout, "check", "checks")
    assert result.code == 2 and f"include 'inc.yaml' {RULE}" in result.stdout
    # named as a root, the other folder may be included (and its sources are read beside it)
    (checks / "s.scenario.yaml").write_text(SCENARIO.format(include="../../other/harbour.yaml"))
    result = run_negotrack(layout, "check", "--sources-root", str(other), "checks")
    assert (result.code, result.stdout.splitlines()[-1]) == (0, "1 passed, 0 failed"), result.stdout
