"""CSV out and in (issue 13): `export --format csv`, `state --format csv`, `ingest FILE.csv`, on both backends."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from negotrack.timeline.csvfile import HEADER

ROOT = Path(__file__).resolve().parents[2]

# Cells a spreadsheet would misread: separators, quotes, line breaks, and formulas.
TRICKY = """\
  - id: bo-tricky
    type: PositionStated
    date: 2024-02-02
    by: BO
    issue: port
    stance: supports
    summary: "=HYPERLINK(\\"http://evil.invalid\\",\\"click\\"), said \\"Borealis\\"\\nand then, a new line"
    source: {ref: hw, quote: "Borealis rejected the plan outright."}
  - {id: bo-minus, type: PositionStated, date: 2024-02-03, by: BO, issue: fishing, stance: opposes,
     summary: "-5% of the catch; @SUM(A1) +1", source: {ref: hw, quote: Borealis rejected the plan outright.}}
  - {id: bo-quote, type: PositionStated, date: 2024-02-04, by: BO, issue: fishing, stance: opposes,
     summary: "'=already quoted", source: {ref: hw, quote: Borealis rejected the plan outright.}}
  - {id: bo-tab, type: PositionStated, date: 2024-02-05, by: BO, issue: fishing, stance: opposes,
     summary: "\\ttabbed, [bracketed]", source: {ref: hw, quote: Borealis rejected the plan outright.}}
  - {id: oops, type: ReportRetracted, ref: bo-minus, reason: "it was a forecast, not a stance", summary: misread}
"""


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.fixture
def harbour(backend):
    backend.tail(TRICKY)
    result = backend.run("ingest", "harbour.yaml", "more.yaml")
    assert result.exit_code == 0, result.output
    return backend


def test_csv_export_is_rfc_4180_with_a_header_and_guards_formulas(harbour):
    assert harbour.run("export", "harbour", "-o", "h.csv").exit_code == 0
    with (harbour.root / "h.csv").open(encoding="utf-8", newline="") as f:
        text = f.read()
    assert harbour.run("export", "harbour", "--format", "csv").stdout == text.replace("\r\n", "\n")
    assert text.startswith(",".join(HEADER) + "\r\n")
    assert text.split("\r\n")[0].split(",")[:14] == [
        "id", "type", "date", "precision", "party", "actor", "issue", "ref", "stance", "summary", "quote", "source",
        "grade", "retracted",
    ]  # fmt: skip
    rows = {r["id"]: r for r in _rows(text)}
    assert list(rows) == ["av-closed", "bo-zone", "av-welcomes", "bo-tricky", "bo-minus", "bo-quote", "bo-tab", "oops"]
    assert (rows["bo-minus"]["retracted"], rows["oops"]["ref"], rows["oops"]["date"]) == ("oops", "bo-minus", "")
    # a comma, quotes and a line break inside one quoted cell, and a formula made inert
    assert '"\'=HYPERLINK(""http://evil.invalid"",""click""), said ""Borealis""\nand then, a new line"' in text
    assert rows["bo-tricky"]["summary"] == "'=HYPERLINK(\"http://evil.invalid\",\"click\"), said \"Borealis\"\nand then, a new line"
    assert rows["bo-minus"]["summary"] == "'-5% of the catch; @SUM(A1) +1"
    assert rows["bo-quote"]["summary"] == "''=already quoted"
    assert rows["bo-tab"]["summary"] == "'\ttabbed, [bracketed]"
    assert {k: rows["av-closed"][k] for k in ("type", "date", "precision", "party", "actor", "issue", "stance", "source",
                                               "grade", "retracted", "demand", "of", "precondition")} == {
        "type": "DemandIssued", "date": "2024-01-10", "precision": "day", "party": "AV", "actor": "alice",
        "issue": "fishing", "stance": "opposes", "source": "hw", "grade": "B", "retracted": "",
        "demand": "harbour stays closed", "of": "BO", "precondition": "false",
    }  # fmt: skip
    assert json.loads(rows["bo-zone"]["provisions"]) == [
        {"issue": "fishing", "text": "joint zone for ten years"}, {"issue": "port", "text": "open port access"}
    ]  # fmt: skip
    assert (rows["av-welcomes"]["ref"], rows["av-welcomes"]["qualifier"]) == ("bo-zone", "in_principle")


def test_a_csv_export_ingests_back_exactly(harbour):
    harbour.root.joinpath("out").mkdir()
    result = harbour.run("export", "harbour", "-o", "out/h.csv")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "harbour: 8 events written to out/h.csv, with its declarations in h.thread.yaml, and 1 source text beside it\n"
    )
    harbour.root.joinpath("hw.txt").unlink()  # the export stands on its own
    copy = harbour.new_store()
    ingested = harbour.run("ingest", "out/h.csv", db=copy)
    assert ingested.stdout == f"harbour: 8 new events, 6 declarations\nRecorded in {harbour.display(copy)}.\n"
    for as_of in ("2024-01-15", "2024-01-25", "2024-02-10"):
        assert harbour.state("harbour", "--as-of", as_of, db=copy) == harbour.state("harbour", "--as-of", as_of)
    # the same events, field for field: ingesting the CSV into the store it came from adds nothing
    ndjson = harbour.run("export", "harbour", "--format", "ndjson").stdout.splitlines()
    assert harbour.run("export", "harbour", "--format", "ndjson", db=copy).stdout.splitlines()[1:] == ndjson[1:]
    again = harbour.run("ingest", "out/h.csv")
    assert again.stdout.startswith("harbour: 0 new events, 8 already in the store\n"), again.output


def test_the_seed_thread_round_trips_through_csv(backend, tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    assert backend.run("ingest", "seeds/ukraine-peace.yaml").exit_code == 0
    result = backend.run("export", "ukraine-peace", "-o", "u.csv")
    assert result.exit_code == 0, result.output
    copy = backend.new_store()
    ingested = backend.run("ingest", "u.csv", db=copy)
    assert ingested.stdout.startswith("ukraine-peace: 47 new events, 33 declarations\n"), ingested.output
    for d in ("2008-04-03", "2025-03-17", "2025-11-30", "2025-12-14", "2025-12-31"):
        assert backend.state("ukraine-peace", "--as-of", d, db=copy) == backend.state("ukraine-peace", "--as-of", d)


def _edit(path: Path, edits: dict[tuple[int, str], str]) -> None:
    """Change cells as a spreadsheet would: (row number, header row being 1; column) -> new text."""
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    header = rows[0]
    for (number, column), value in edits.items():
        rows[number - 1][header.index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\r\n").writerows(rows)


def test_a_wrong_csv_is_refused_with_its_rows_and_columns_and_nothing_written(harbour):
    assert harbour.run("export", "harbour", "-o", "h.csv").exit_code == 0
    _edit(harbour.root / "h.csv", {
        (2, "stance"): "maybe", (3, "actor"): "nobody", (4, "date"): "2024-13-01", (5, "quote"): "not in the text",
        (6, "id"): "", (7, "type"): "Blah", (4, "ref"): "no-such-item",
    })  # fmt: skip
    copy = harbour.new_store()
    result = harbour.run("ingest", "h.csv", db=copy)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Error: the input was refused and nothing was written (7 problems):\n"
        "  h.csv: row 2, column stance (event av-closed): `stance`: Input should be 'supports', 'opposes', "
        "'conditional' or 'undecided', not 'maybe'\n"
        "  h.csv: row 4, column date (event av-welcomes): `date`: bad date '2024-13-01': no such day\n"
        "  h.csv: row 6, column id: missing required field `id`\n"
        "  h.csv: row 7, column type (event bo-quote): unknown type 'Blah' (one of: PositionStated, DemandIssued, "
        "ProposalTabled, ConcessionMade, GuaranteeOffered, ThreatIssued, Accepted, Rejected, Withdrawn, "
        "AgreementReached, ReportRetracted)\n"
        "  h.csv: row 3, column actor (event bo-zone): `by`: 'nobody' names no declared actor or party\n"
        "  h.csv: row 5, column quote (event bo-tricky): `source`: the quote does not appear in source 'hw'; no passage of the source is close to it\n"
        "  h.csv: row 9, column ref (event oops): `ref`: 'bo-minus' names no event recorded before it\n"
    )
    nothing = harbour.run("state", "harbour", db=copy)
    assert nothing.exit_code == 2 and "no thread 'harbour'" in nothing.stderr or "no negotrack store" in nothing.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("id,type,", "id,kind,", 1), "row 1: unknown column 'kind' (columns: " + ", ".join(HEADER) + ")"),
        (lambda t: t.replace("\r\n", ",extra\r\n", 2).replace(",extra", "", 1), f"row 2: {len(HEADER) + 1} cells, but the header has {len(HEADER)} columns"),
        (lambda t: t.replace('[{""issue""', '[{""issue"" oops', 1), "row 3: column provisions: a cell beginning with [ must be a JSON array"),
    ],
)  # fmt: skip
def test_a_malformed_csv_names_its_row(harbour, change, message):
    assert harbour.run("export", "harbour", "-o", "h.csv").exit_code == 0
    path = harbour.root / "h.csv"
    with path.open(encoding="utf-8", newline="") as f:
        text = f.read()
    path.write_text(change(text), encoding="utf-8", newline="")
    result = harbour.run("ingest", "h.csv", db=harbour.new_store())
    assert (result.exit_code, result.stdout) == (2, "")
    assert f"  h.csv: {message}\n" in result.stderr, result.stderr


def test_a_csv_needs_its_thread_declarations_beside_it_or_given(harbour):
    assert harbour.run("export", "harbour", "-o", "h.csv").exit_code == 0
    (harbour.root / "h.thread.yaml").rename(harbour.root / "decl.yaml")
    copy = harbour.new_store()
    missing = harbour.run("ingest", "h.csv", db=copy)
    assert (missing.exit_code, missing.stdout) == (2, "")
    assert missing.stderr == (
        "Error: the input was refused and nothing was written (1 problem):\n"
        "  h.csv: no thread declarations: expected h.thread.yaml beside it, or give --thread FILE\n"
    )
    given = harbour.run("ingest", "h.csv", "--thread", "decl.yaml", db=copy)
    assert given.exit_code == 0, given.output
    assert given.stdout.startswith("harbour: 8 new events, 6 declarations\n")


def test_state_as_csv_rows(harbour):
    result = harbour.run("state", "harbour", "--as-of", "2024-01-31", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.decode("utf-8") == (
        "issue,issue_status,row,party,stance,since,item,kind,by,date,item_status,responses,event\r\n"
        "fishing,open,stance,AV,conditional,2024-01-25,,,,,,,av-welcomes\r\n"
        "fishing,open,stance,BO,supports,2024-01-20,,,,,,,bo-zone\r\n"
        "fishing,open,item,,,,av-closed,demand,AV,2024-01-10,open,,\r\n"
        "fishing,open,item,,,,bo-zone,proposal,BO,2024-01-20,open,AV: accepted (in_principle),\r\n"
        "port,open,stance,BO,supports,2024-01-20,,,,,,,bo-zone\r\n"
        "port,open,stance,AV,conditional,2024-01-25,,,,,,,av-welcomes\r\n"
        "port,open,item,,,,bo-zone,proposal,BO,2024-01-20,open,AV: accepted (in_principle),\r\n"
    )
    later = _rows(harbour.run("state", "harbour", "--as-of", "2024-02-10", "--format", "csv").stdout)
    assert {(r["issue"], r["party"], r["stance"]) for r in later if r["row"] == "stance"} == {
        ("fishing", "AV", "conditional"), ("fishing", "BO", "opposes"), ("port", "AV", "conditional"),
        ("port", "BO", "supports"),
    }  # fmt: skip
    assert harbour.run("state", "harbour", "--json", "--format", "csv").exit_code == 2
