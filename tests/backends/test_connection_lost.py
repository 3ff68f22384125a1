"""A PostgreSQL connection killed during an ingest (issue 16, defect 10): one clear `Error:` line, nothing written.

psycopg logged ``error ignored terminating <psycopg.Pipeline [BAD]>`` on
stderr, beside negotrack's message.  The connection is killed from inside the
ingest's own insert, deterministically: a trigger on the events table calls
``pg_terminate_backend`` on its own session.  The real command runs in a
child process, so stderr is exactly what a user sees.
"""

from __future__ import annotations

import pytest
from procs import run

KILLER = (
    "CREATE FUNCTION negotrack_test_kill() RETURNS trigger AS $$\n"
    "BEGIN\n  IF NEW.originator_version = 150 THEN PERFORM pg_terminate_backend(pg_backend_pid()); END IF;\n"
    "  RETURN NEW;\nEND $$ LANGUAGE plpgsql",
    "CREATE TRIGGER negotrack_test_kill BEFORE INSERT ON stored_events FOR EACH ROW EXECUTE FUNCTION negotrack_test_kill()",
)


def test_a_killed_connection_gives_one_clear_error_and_writes_nothing(backend):
    if backend.name != "postgres":
        pytest.skip("a PostgreSQL connection")
    assert backend.run("init").exit_code == 0
    for statement in KILLER:
        backend.sql(statement)
    backend.tail("".join(
        f"  - {{id: bo-{i}, type: PositionStated, date: 2024-02-01, by: BO, issue: fishing, stance: opposes,\n"
        f"     summary: Borealis opposes, source: {{ref: hw, quote: Borealis rejected the plan outright.}}}}\n"
        for i in range(300)
    ))  # the 150th stored event is inserted in the middle of a batch (psycopg's pipeline)
    result = run("ingest", "harbour.yaml", "more.yaml", cwd=backend.root, extra_env={"NEGOTRACK_DB": backend.db})
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("Error: the store failed: "), result.stderr
    assert len(lines) == 1, result.stderr  # no "error ignored terminating <psycopg.Pipeline [BAD]>"
    assert lines[0].endswith("(the connection to the store was lost; nothing of this command was written)")
    assert "Traceback" not in result.stderr
    assert backend.sql("SELECT count(*) FROM stored_events") == [(0,)]
