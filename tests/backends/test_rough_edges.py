"""Rough edges of issue 16 (defect 10), each a clear message or the right answer, on both backends."""

from __future__ import annotations

import unicodedata

NFD_SOURCE = unicodedata.normalize("NFD", "Le Café du Port, 2024. Le ministre a déclaré que le café restera fermé.\n")

ACCENTED = """\
negotrack: 1
thread:
  id: cafe
  parties: {AV: {name: Avalon}}
  issues: {port: {title: Port, proposition: The port opens}}
sources:
  cp: {path: cafe.txt, title: Le Café du Port}
events:
  - {id: closed, type: PositionStated, date: 2024-01-10, by: AV, issue: port, stance: opposes,
     summary: The minister says the café stays closed, source: {ref: cp, quote: QUOTE}}
"""


def test_a_quote_typed_in_nfc_matches_a_source_in_nfd(backend):
    (backend.root / "cafe.txt").write_text(NFD_SOURCE, encoding="utf-8")
    quote = unicodedata.normalize("NFC", "le café restera fermé")
    assert quote not in NFD_SOURCE  # the bytes differ: "é" composed against "e" + U+0301
    backend.write("cafe.yaml", ACCENTED.replace("QUOTE", quote))
    result = backend.run("ingest", "cafe.yaml")
    assert result.exit_code == 0, result.output
    shown = backend.run("sources", "show", "cp", "--thread", "cafe")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.count("\u0301") == NFD_SOURCE.count("\u0301")  # archived as it was, accents apart


def test_a_quote_typed_in_nfd_matches_a_source_in_nfc(backend):
    (backend.root / "cafe.txt").write_text(unicodedata.normalize("NFC", NFD_SOURCE), encoding="utf-8")
    backend.write("cafe.yaml", ACCENTED.replace("QUOTE", unicodedata.normalize("NFD", "le café restera fermé")))
    result = backend.run("ingest", "cafe.yaml")
    assert result.exit_code == 0, result.output


def test_a_quote_that_differs_by_more_than_composition_is_still_refused(backend):
    (backend.root / "cafe.txt").write_text(NFD_SOURCE, encoding="utf-8")
    backend.write("cafe.yaml", ACCENTED.replace("QUOTE", "le cafe restera ferme"))  # no accents at all
    result = backend.run("ingest", "cafe.yaml")
    assert result.exit_code == 2
    assert "quote" in result.stderr


def test_the_same_file_given_twice_to_ingest_is_named_once(backend):
    absolute = str(backend.timeline.resolve())
    for second in ("harbour.yaml", "./harbour.yaml", absolute):
        result = backend.run("ingest", "harbour.yaml", second)
        assert result.exit_code == 2, result.output
        assert result.stderr.count("given twice") == 1, result.stderr
        assert "duplicate event id" not in result.stderr
        assert "(1 problem)" in result.stderr
    assert backend.run("state", "harbour").exit_code != 0  # nothing was written
    assert backend.run("ingest", "harbour.yaml").exit_code == 0


def test_the_same_scenario_given_twice_to_check_is_named_once(tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    from click.testing import CliRunner

    from negotrack.cli import cli

    conformance = Path(__file__).resolve().parents[1] / "conformance"
    for f in conformance.iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    monkeypatch.chdir(tmp_path)
    for args in (["harbour.scenario.yaml", "harbour.scenario.yaml"], [".", "harbour.scenario.yaml"]):
        result = CliRunner().invoke(cli, ["check", *args])
        assert result.exit_code == 2, result.output
        assert result.output.count("given twice") == 1, result.output
        assert "passed" not in result.output


def test_a_database_of_another_program_is_not_turned_into_a_store(backend):
    backend.sql("CREATE TABLE contacts (name TEXT)")
    backend.sql("INSERT INTO contacts VALUES ('Ada')")
    for command in (["ingest", "harbour.yaml"], ["init"]):
        result = backend.run(*command)
        assert result.exit_code == 1, result.output
        assert "is not a negotrack store: it holds 1 other table (contacts); nothing was written" in result.stderr
    tables = {r[0] for r in backend.sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'" if backend.name == "sqlite"
        else "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
    )}
    assert tables == {"contacts"}
    assert backend.sql("SELECT name FROM contacts") == [("Ada",)]


def test_an_empty_database_becomes_a_store(backend):
    if backend.name == "sqlite":
        (backend.root / backend.db).write_bytes(b"")  # an empty file, as `touch` makes
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
