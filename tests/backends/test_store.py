"""The same commands on SQLite and on PostgreSQL: init, ingest, queries, verify, rebuild."""

from __future__ import annotations

import pytest

RETRACTION = """\
  - {id: bo-rejects, type: Rejected, date: 2024-02-01, by: AV, ref: bo-zone, summary: Avalon rejects the plan,
     source: {ref: hw, quote: Borealis rejected the plan outright.}}
  - {id: oops, type: ReportRetracted, ref: bo-rejects, reason: it was Borealis, summary: misreported}
"""


def test_init_creates_the_tables_once_then_ingest_and_queries_work(backend):
    first = backend.run("init")
    assert (first.exit_code, first.stdout) == (0, f"Created {backend.display()}\n")
    again = backend.run("init")
    assert (again.exit_code, again.stdout) == (0, f"Already initialised: {backend.display()}\n")
    ingest = backend.run("ingest", "harbour.yaml")
    assert ingest.exit_code == 0, ingest.output
    assert ingest.stdout == f"harbour: 3 new events, 6 declarations\nRecorded in {backend.display()}.\n"
    fishing = backend.state("harbour", "--as-of", "2024-01-25")["issues"]["fishing"]
    assert fishing["status"] == "open"
    assert fishing["items"]["bo-zone"]["responses"]["AV"]["qualifier"] == "in_principle"
    assert backend.run("threads").stdout == (
        "thread   events  dates                     parties  issues\n"
        "-------  ------  ------------------------  -------  -------------\n"
        "harbour  3       2024-01-10 .. 2024-01-25  AV, BO   fishing, port\n"
    )


def test_tables_are_created_on_first_ingest(backend):
    result = backend.run("ingest", "harbour.yaml")
    assert result.exit_code == 0, result.output
    again = backend.run("ingest", "harbour.yaml")
    assert again.stdout == (
        f"harbour: 0 new events, 3 already in the store\nNothing to write: the store {backend.display()} already has all of it.\n"
    )


def test_verify_says_ok_with_counts(backend):
    backend.run("ingest", "harbour.yaml")
    backend.tail(RETRACTION)
    assert backend.run("ingest", "more.yaml").exit_code == 0
    result = backend.run("verify")
    assert (result.exit_code, result.stderr) == (0, "")
    # 1 thread opened, 2 parties, 1 actor, 2 issues, 1 source, 5 statements; a snapshot per ingest
    assert result.stdout == (
        f"ok: {backend.display()}: 1 thread, 12 stored events (5 statements), 2 snapshots; the read model matches the events\n"
    )


def test_verify_of_a_missing_store_is_refused(backend):
    result = backend.run("verify")
    assert result.exit_code == 2
    assert result.stderr == f"Error: no negotrack store at {backend.display()} (ingest a timeline first, or give --db)\n"


def test_verify_finds_a_damaged_read_model_and_rebuild_repairs_it(backend):
    backend.run("ingest", "harbour.yaml")
    before = backend.state("harbour", "--as-of", "2024-01-25")
    backend.sql("DELETE FROM rm_events WHERE event_id = 'av-closed'")
    backend.sql("UPDATE rm_events SET body = replace(body, 'Joint zone', 'Joint Zone') WHERE event_id = 'bo-zone'")
    backend.sql("UPDATE rm_declarations SET text = 'edited' WHERE key = 'hw'")
    backend.sql("UPDATE rm_threads SET events = 7")
    result = backend.run("verify")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "problem: thread harbour: event av-closed (version 8) is missing from the read model\n"
        "problem: thread harbour: the read model's row of event bo-zone differs from the event (body)\n"
        "problem: thread harbour: the read model's source hw differs from its declaration (text)\n"
        "problem: thread harbour: the read model's thread row differs from the events (events)\n"
        # the ingest made a checkpoint of the rows as they were
        "problem: thread harbour: the checkpoint at 2024-01-25 is not the fold of the events up to that date\n"
        f"Error: {backend.display()}: 5 problems found\n"
    )
    rebuilt = backend.run("rebuild")
    assert (rebuilt.exit_code, rebuilt.stdout) == (
        0,
        f"harbour: 3 events\nRebuilt the read model of {backend.display()} from its events.\n",
    )
    assert backend.run("verify").exit_code == 0
    assert backend.state("harbour", "--as-of", "2024-01-25") == before


def test_verify_finds_rows_of_the_read_model_that_no_event_gives(backend):
    backend.run("ingest", "harbour.yaml")
    backend.sql(
        "INSERT INTO rm_events (thread, event_id, seq, type, date, recorded_at, party, ref, issues, digest, body) "
        "VALUES ('harbour', 'ghost', 99, 'PositionStated', '2024-01-01', '2024-01-01T00:00:00.000000Z', 'AV', NULL, '', 'x', '{}')"
    )
    backend.sql(
        "INSERT INTO rm_threads (thread, aggregate_id, title, version, events) VALUES ('phantom', 'x', NULL, 1, 0)"
    )
    result = backend.run("verify")
    assert result.exit_code == 1
    assert result.stderr == (
        "problem: thread harbour: the read model has event ghost, which is not in the event log\n"
        "problem: thread phantom: in the read model but no events of it are stored\n"
        "problem: thread harbour: the checkpoint at 2024-01-25 is not the fold of the events up to that date\n"
        f"Error: {backend.display()}: 3 problems found\n"
    )
    assert backend.run("rebuild").exit_code == 0
    assert backend.run("verify").exit_code == 0
    assert backend.sql("SELECT count(*) FROM rm_threads") == [(1,)]


def test_verify_finds_a_gap_in_the_versions_and_an_event_that_does_not_decode(backend):
    backend.run("ingest", "harbour.yaml")
    backend.sql("DELETE FROM stored_events WHERE originator_version = 9")
    backend.sql("UPDATE stored_events SET state = :s WHERE originator_version = 3", s=b'{"key": "BO"}')
    result = backend.run("verify")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("problem: thread harbour: version 3 (PartyDeclared) does not decode: ValidationError: ")
    assert lines[1] == "problem: thread harbour: version 10 follows version 8 (versions must run 1..n)"
    assert lines[-1] == f"Error: {backend.display()}: 2 problems found"


def test_rebuild_refuses_an_event_log_that_does_not_decode_and_changes_nothing(backend):
    backend.run("ingest", "harbour.yaml")
    rows = backend.sql("SELECT event_id, body FROM rm_events ORDER BY seq")
    backend.sql("UPDATE stored_events SET state = :s WHERE originator_version = 9", s=b"not json")
    result = backend.run("rebuild")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot rebuild the read model, nothing was changed: aggregate ")
    assert "version 9 does not decode: JSONDecodeError" in result.stderr
    assert backend.sql("SELECT event_id, body FROM rm_events ORDER BY seq") == rows


def test_a_store_error_is_reported_not_raised(backend):
    backend.run("ingest", "harbour.yaml")
    backend.sql("DROP TABLE rm_events")
    result = backend.run("state", "harbour", "--as-of", "2024-01-25")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the store failed: ")
    assert "Traceback" not in result.output


def test_checkpoints_are_kept_right_checked_by_verify_and_cleared_by_rebuild(backend, monkeypatch):
    from negotrack.store import checkpoints

    monkeypatch.setattr(checkpoints, "EVERY", 1)
    backend.run("ingest", "harbour.yaml")  # the ingest makes them: here one per date
    assert backend.sql("SELECT date, events FROM rm_checkpoints ORDER BY date") == [
        ("2024-01-10", 1), ("2024-01-20", 2), ("2024-01-25", 3)
    ]
    before = backend.state("harbour", "--as-of", "2024-01-25")
    # a late report dated 2024-01-15 changes the folds from that date on: the ingest deletes those and makes them again
    backend.tail(
        "  - {id: bo-early, type: PositionStated, date: 2024-01-15, by: BO, issue: fishing, stance: opposes,\n"
        "     summary: Borealis opposes, source: {ref: hw, quote: Borealis rejected the plan outright.}}\n"
    )
    body_0110 = backend.sql("SELECT body FROM rm_checkpoints WHERE date = '2024-01-10'")
    assert backend.run("ingest", "more.yaml").exit_code == 0
    assert backend.sql("SELECT date, events FROM rm_checkpoints ORDER BY date") == [
        ("2024-01-10", 1), ("2024-01-15", 2), ("2024-01-20", 3), ("2024-01-25", 4)
    ]
    assert backend.sql("SELECT body FROM rm_checkpoints WHERE date = '2024-01-10'") == body_0110  # before the report: kept
    assert backend.run("verify").exit_code == 0
    after = backend.state("harbour", "--as-of", "2024-01-25")
    assert after["issues"]["fishing"]["stances"]["BO"]["stance"] == "supports"  # bo-zone (01-20) comes later
    assert backend.state("harbour", "--as-of", "2024-01-17")["issues"]["fishing"]["stances"]["BO"]["stance"] == "opposes"
    assert before["issues"]["fishing"]["last_event"] == after["issues"]["fishing"]["last_event"]
    assert backend.run("verify").exit_code == 0
    backend.sql("UPDATE rm_checkpoints SET body = replace(body, '\"supports\"', '\"opposes\"') WHERE date = '2024-01-20'")
    result = backend.run("verify")
    assert result.exit_code == 1
    assert result.stderr == (
        "problem: thread harbour: the checkpoint at 2024-01-20 is not the fold of the events up to that date\n"
        f"Error: {backend.display()}: 1 problem found\n"
    )
    assert backend.run("rebuild").exit_code == 0
    assert backend.sql("SELECT count(*) FROM rm_checkpoints") == [(0,)]
    assert backend.run("verify").exit_code == 0
    assert backend.state("harbour", "--as-of", "2024-01-25") == after


def test_an_ingest_that_would_fold_much_more_than_it_wrote_leaves_the_checkpoints_to_the_first_query(backend, monkeypatch):
    from negotrack.store import checkpoints

    monkeypatch.setattr(checkpoints, "EVERY", 1)  # bound(1 new event) = 3 events folded again
    backend.run("ingest", "harbour.yaml")
    assert backend.sql("SELECT date, events FROM rm_checkpoints ORDER BY date") == [
        ("2024-01-10", 1), ("2024-01-20", 2), ("2024-01-25", 3)
    ]
    # a late report dated before every event: the ingest would fold all four again, over its bound
    backend.tail(
        "  - {id: bo-early, type: PositionStated, date: 2024-01-05, by: BO, issue: fishing, stance: opposes,\n"
        "     summary: Borealis opposes, source: {ref: hw, quote: Borealis rejected the plan outright.}}\n"
    )
    assert backend.run("ingest", "more.yaml").exit_code == 0
    assert backend.sql("SELECT count(*) FROM rm_checkpoints") == [(0,)]  # none is left wrong; none made
    assert backend.run("verify").exit_code == 0
    state = backend.state("harbour", "--as-of", "2024-01-07")
    assert state["issues"]["fishing"]["stances"]["BO"]["stance"] == "opposes"
    assert backend.sql("SELECT date, events FROM rm_checkpoints ORDER BY date") == [  # the query made them
        ("2024-01-05", 1)
    ]
    assert backend.state("harbour", "--as-of", "2024-01-25")["issues"]["fishing"]["stances"]["BO"]["stance"] == "supports"
    assert backend.run("verify").exit_code == 0


def test_a_checkpoint_of_another_format_is_ignored_and_replaced(backend, monkeypatch):
    from negotrack.store import checkpoints

    monkeypatch.setattr(checkpoints, "EVERY", 1)
    backend.run("ingest", "harbour.yaml")
    right = backend.state("harbour", "--as-of", "2024-01-25")
    backend.sql("UPDATE rm_checkpoints SET body = '{\"format\": 1, \"issues\": {}}'")
    assert backend.state("harbour", "--as-of", "2024-01-25") == right
    assert [r[0].startswith(f'{{"format":{checkpoints.FORMAT},') for r in backend.sql("SELECT body FROM rm_checkpoints")] == [True] * 3
    assert backend.run("verify").exit_code == 0


def _fold_then(backend, action):
    """Fold the thread as of a date (making checkpoints), run ``action``, then try to save them.

    The query's own save is for a store without checkpoints (one an older negotrack wrote): the
    ingest's are deleted first.
    """
    from negotrack.store import checkpoints, readmodel
    from negotrack.store.db import database_for

    backend.sql("DELETE FROM rm_checkpoints")
    database = database_for(backend.url())
    with database.transaction() as conn:
        declared = readmodel.declared_issues(conn, "harbour")
        folded = checkpoints.fold_as_of(conn, "harbour", declared, "2024-01-25")
    assert len(folded.new) == 3
    action(database)
    return checkpoints.save(database, "harbour", folded)


def test_checkpoints_folded_before_a_write_are_not_saved_after_it(backend, monkeypatch):
    from negotrack.store import checkpoints

    monkeypatch.setattr(checkpoints, "EVERY", 1)
    backend.run("ingest", "harbour.yaml")
    backend.tail(
        "  - {id: bo-early, type: PositionStated, date: 2024-01-15, by: BO, issue: fishing, stance: opposes,\n"
        "     summary: Borealis opposes, source: {ref: hw, quote: Borealis rejected the plan outright.}}\n"
    )
    # a late report lands between the query's read and its save: the folds it made are stale
    saved = _fold_then(backend, lambda db: backend.run("ingest", "more.yaml"))
    assert saved == 0
    # none was left, and the ingest (one event, four to fold again: over its bound) made none
    assert backend.sql("SELECT date, events FROM rm_checkpoints ORDER BY date") == []
    assert backend.state("harbour", "--as-of", "2024-01-17")["issues"]["fishing"]["stances"]["BO"]["stance"] == "opposes"
    # the first query made them, from the start: with the late report in them
    assert backend.sql("SELECT date, events FROM rm_checkpoints ORDER BY date") == [("2024-01-10", 1), ("2024-01-15", 2)]
    assert backend.run("verify").exit_code == 0


def test_a_query_does_not_wait_for_a_writer_to_save_its_checkpoints(backend, monkeypatch):
    from negotrack.store import checkpoints

    monkeypatch.setattr(checkpoints, "EVERY", 1)
    backend.run("ingest", "harbour.yaml")
    outcome = {}

    def while_a_writer_holds_the_lock(database):
        with database.transaction(write=True, lock_keys=("harbour",)):
            import threading

            # the save runs in another thread while this write transaction is open
            t = threading.Thread(target=lambda: outcome.update(saved=_save_again(database)))
            t.start()
            t.join(timeout=30)
            assert not t.is_alive(), "the checkpoint save waited for the writer"

    def _save_again(database):
        from negotrack.store import readmodel

        with database.engine.connect() as conn:
            declared = readmodel.declared_issues(conn, "harbour")
            folded = checkpoints.fold_as_of(conn, "harbour", declared, "2024-01-25")
        return checkpoints.save(database, "harbour", folded)

    assert _fold_then(backend, while_a_writer_holds_the_lock) == 3  # saved once the writer is gone
    assert outcome == {"saved": 0}  # skipped while it held the lock


def test_the_first_query_after_an_ingest_finds_the_checkpoint_made(backend, monkeypatch):
    """The ingest folds the thread to its last date in its own transaction: the first query folds nothing."""
    from negotrack.store import checkpoints, readmodel
    from negotrack.store.db import database_for

    backend.run("ingest", "harbour.yaml")
    assert backend.sql("SELECT date, events FROM rm_checkpoints") == [("2024-01-25", 3)]  # the last date only
    with database_for(backend.url()).transaction() as conn:
        folded = checkpoints.fold_as_of(conn, "harbour", readmodel.declared_issues(conn, "harbour"), "2024-02-28")
    assert (folded.from_checkpoint, folded.folded, folded.new) == ("2024-01-25", 0, [])
    assert folded.fold.view() == backend.state("harbour", "--as-of", "2024-02-28")["issues"]
    # each later ingest folds from there, and the checkpoint it leaves at the end replaces the one before
    # unless EVERY events lie between them
    monkeypatch.setattr(checkpoints, "EVERY", 2)
    for day in range(1, 6):
        backend.tail(
            f"  - {{id: av-{day}, type: PositionStated, date: 2024-02-0{day}, by: AV, issue: port, stance: supports,\n"
            "     summary: Avalon supports, source: {ref: hw, quote: Borealis rejected the plan outright.}}\n",
            name=f"day{day}.yaml",
        )
        assert backend.run("ingest", f"day{day}.yaml").exit_code == 0
    assert backend.sql("SELECT date, events FROM rm_checkpoints ORDER BY date") == [
        ("2024-01-25", 3), ("2024-02-02", 5), ("2024-02-04", 7), ("2024-02-05", 8)
    ]
    assert backend.run("verify").exit_code == 0


@pytest.mark.parametrize("backend", ["postgres"], indirect=True)
def test_postgres_sessions_run_without_jit_and_keep_the_urls_own_options(backend):
    """Every query reads one thread by an index: PostgreSQL's JIT only cost time (20-430 ms a query on a
    store without statistics, where the planner guessed huge row counts).  The URL's own ``options`` (here
    the test's schema) still apply, and come after negotrack's."""
    assert backend.run("init").exit_code == 0
    assert backend.sql("SHOW jit") == [("off",)]
    assert backend.sql("SELECT current_schema()") != [("public",)]  # the URL's search_path
