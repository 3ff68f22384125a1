"""Events as CSV (RFC 4180, UTF-8, a header row): ``export --format csv``, ``state --format csv``, ``ingest FILE.csv``.

One row per event.  The first columns are the ones an analyst reads
(:data:`COLUMNS`); the type-specific fields of contract §3 follow, one column
each, named as in a timeline file (:data:`OWN_FIELDS`), so that a CSV export
ingests back exactly.  Cell rules, both ways:

- empty cell: the field is absent;
- ``source`` and ``quote``: one citation as plain text; several (or a single
  one that begins with ``[``) as a JSON array, one entry per citation in the
  same order; ``of`` and ``parties`` likewise (party ids), and
  ``issues`` (v1.1: an agreement's issue ids); ``provisions`` is
  always a JSON array of ``{"issue": ..., "text": ...}``;
- ``precondition``: ``true`` or ``false``; ``order`` (contract v1.1) a whole
  number; ``time`` and ``reported_by`` (v1.1) as text, in the last columns;
- ``party``, ``grade`` and ``retracted`` are computed on export (the speaking
  party, the outlets' grades, the retraction naming the event) and ignored on
  ingest; a retraction is its own row (type ``ReportRetracted``);
- formula injection (OWASP, "CSV Injection"): a cell that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return, or with a single quote, is
  written with one more single quote in front, so a spreadsheet shows it as
  text and runs nothing.  Ingest removes exactly one leading single quote
  from every cell that has one, so the round trip is exact.

Ingest reads the rows into the very document a timeline file would give
(``{"negotrack": 1, "thread": {"id": ...}, "events": [...]}``), checked by
the same code as YAML; the thread's declarations come from a timeline file
beside it (``NAME.thread.yaml``) or from ``--thread FILE``.  A problem is
reported with its CSV row and column.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from negotrack.domain import limits
from negotrack.domain import vocabulary
from negotrack.domain.state import Rec
from negotrack.errors import Problem

COLUMNS = ("id", "type", "date", "precision", "party", "actor", "issue", "ref", "stance", "summary", "quote",
           "source", "grade", "retracted")  # fmt: skip
OWN_FIELDS = tuple(f for f in vocabulary.OWN_FIELDS if f not in COLUMNS)  # the types' own fields, in §3's order
V11_FIELDS = vocabulary.V11_COMMON_FIELDS  # contract v1.1's common fields, after the v1 columns
HEADER = COLUMNS + OWN_FIELDS + V11_FIELDS
COMPUTED = ("party", "grade", "retracted")  # written on export, ignored on ingest
FIELD_OF_COLUMN = {"actor": "by"}  # the column's name where it differs from the field's
COLUMN_OF_FIELD = {"by": "actor", "source": "source"}
LIST_FIELDS = ("of", "parties", "issues")  # issues: contract v1.1's AgreementReached
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "'")


def guard(cell: str) -> str:
    """A cell as written: one single quote in front of one that a spreadsheet could run as a formula."""
    return "'" + cell if cell.startswith(TRIGGERS) else cell


def unguard(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def _list_cell(values: list[str]) -> str:
    if len(values) == 1 and not values[0].startswith("["):
        return values[0]
    return json.dumps(values, ensure_ascii=False)


def row(rec: Rec, decls: Any) -> list[str]:
    body = rec.body
    cites = body.get("source", [])
    cells: dict[str, str] = {
        "id": body["id"],
        "type": rec.type,
        "date": rec.date or "",
        "precision": body.get("precision", "") if rec.date else "",
        "party": rec.party or "",
        "actor": body.get("by") or "",
        "issue": body.get("issue") or "",
        "ref": body.get("ref") or "",
        "stance": body.get("stance") or "",
        "summary": body.get("summary", ""),
        "quote": _list_cell([s.get("quote") or "" for s in cites]) if cites else "",
        "source": _list_cell([s["ref"] for s in cites]) if cites else "",
        "grade": " ".join(decls.sources.get(s["ref"], {}).get("reliability") or "-" for s in cites),
        "retracted": (decls.retracted.get(body["id"]) or ("",))[0],
    }
    for name in OWN_FIELDS + V11_FIELDS:
        value = body.get(name)
        if value is None:
            cells[name] = ""
        elif name == "provisions":
            cells[name] = json.dumps(value, ensure_ascii=False)
        elif name in LIST_FIELDS:
            cells[name] = _list_cell(list(value))
        elif isinstance(value, bool):
            cells[name] = "true" if value else "false"
        else:
            cells[name] = str(value)
    return [guard(cells[c]) for c in HEADER]


def write(decls: Any, recs: Iterable[Rec], out: Any) -> int:
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180: CRLF, fields quoted where needed
    writer.writerow(HEADER)
    n = 0
    for rec in recs:
        writer.writerow(row(rec, decls))
        n += 1
    return n


STATE_HEADER = ("issue", "issue_status", "row", "party", "stance", "since", "item", "kind", "by", "date",
                "item_status", "responses", "event")  # fmt: skip


def state_rows(doc: dict[str, Any]) -> Iterator[list[str]]:
    """The state of contract §5 as rows: one per party's stance, one per item, one for an issue with neither."""
    for key, issue in doc["issues"].items():
        base = {"issue": key, "issue_status": issue["status"]}
        wrote = False
        for party, s in issue["stances"].items():
            yield _state_row({**base, "row": "stance", "party": party, "stance": s["stance"], "since": s["since"],
                              "event": s["event"]})  # fmt: skip
            wrote = True
        for item_id, item in issue["items"].items():
            responses = "; ".join(
                f"{p}: {r['response']}" + (f" ({r['qualifier']})" if r.get("qualifier") not in (None, "full") else "")
                for p, r in item["responses"].items()
            )
            yield _state_row({**base, "row": "item", "item": item_id, "kind": item["kind"], "by": item["by"],
                              "date": item["date"], "item_status": item["status"], "responses": responses})  # fmt: skip
            wrote = True
        agreement = issue.get("agreement")
        if agreement:
            yield _state_row({**base, "row": "agreement", "date": agreement["date"], "event": agreement["event"],
                              "by": " ".join(agreement["parties"]), "item": agreement.get("ref") or ""})  # fmt: skip
            wrote = True
        if not wrote:
            yield _state_row({**base, "row": "issue"})


def _state_row(cells: dict[str, Any]) -> list[str]:
    return [guard(str(cells.get(c) or "")) for c in STATE_HEADER]


def state_csv(doc: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(STATE_HEADER)
    writer.writerows(state_rows(doc))
    return buf.getvalue()


# ---------------------------------------------------------------------------
# Reading: a CSV of events into the document a timeline file gives
# ---------------------------------------------------------------------------


def thread_file_for(path: Path) -> Path:
    """The declaration file beside ``events.csv``: ``events.thread.yaml``."""
    return path.with_name(f"{path.stem}.thread.yaml")


_WHOLE = re.compile(r"[-+]?\d{1,6}")
_BACKTICK = re.compile(r"`([A-Za-z_][A-Za-z0-9_.]*)`")


class CsvError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _cell_list(text: str, name: str, where: str, column: str) -> Any:
    if not text.startswith("["):
        return text
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        raise CsvError(Problem(name, where, f"column {column}: a cell beginning with [ must be a JSON array")) from None
    if not isinstance(value, list):  # pragma: no cover - '[' begins only an array
        raise CsvError(Problem(name, where, f"column {column}: not a JSON array"))
    return value


def read_rows(text: str, name: str) -> tuple[list[dict[str, Any]], list[int], dict[int, int], list[Problem]]:
    """The raw events of a CSV text, the line of each, and every problem of form (row and column named).

    Returns ``(events, lines, rows_of_line, problems)``: ``rows_of_line`` maps
    an event's line to its CSV row number (the header is row 1).
    """
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    events: list[dict[str, Any]] = []
    lines: list[int] = []
    rows_of_line: dict[int, int] = {}
    old_limit = csv.field_size_limit()
    csv.field_size_limit(limits.MAX_FIELD_CHARS + 2)  # a guarded cell has one more character
    try:
        try:
            header = [unguard(c).strip() for c in next(reader)]
        except StopIteration:
            return [], [], {}, [Problem(name, "", "empty file: no header row")]
        unknown = [c for c in header if c not in HEADER]
        if unknown:
            known = ", ".join(HEADER)
            return [], [], {}, [Problem(name, "row 1", f"unknown column {c!r} (columns: {known})") for c in unknown]
        dupes = {c for c in header if header.count(c) > 1}
        if dupes:
            return [], [], {}, [Problem(name, "row 1", f"column {c!r} given twice") for c in sorted(dupes)]
        for required in ("id", "type"):
            if required not in header:
                problems.append(Problem(name, "row 1", f"missing column {required!r}"))
        if problems:
            return [], [], {}, problems
        number = 1
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                msg = str(e)
                if "field larger than field limit" in msg:
                    msg = f"a cell over the field length limit of {limits.MAX_FIELD_CHARS:,} characters"
                problems.append(Problem(name, f"row {number + 1}", f"not valid CSV: {msg}"))
                break
            number += 1
            if not any(c.strip() for c in cells):
                continue  # a blank row, as spreadsheets leave at the end
            if len(events) >= limits.MAX_EVENTS:
                problems.append(Problem(name, f"row {number}", f"more events than the limit of {limits.MAX_EVENTS:,}"))
                break
            where = f"row {number}"
            if len(cells) != len(header):
                problems.append(Problem(name, where, f"{len(cells)} cells, but the header has {len(header)} columns"))
                continue
            try:
                events.append(_event(dict(zip(header, (unguard(c) for c in cells), strict=True)), name, where))
            except CsvError as e:
                problems.append(e.problem)
                continue
            lines.append(line)
            rows_of_line[line] = number
    finally:
        csv.field_size_limit(old_limit)
    return events, lines, rows_of_line, problems


def _event(cells: dict[str, str], name: str, where: str) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for column, text in cells.items():
        if column in COMPUTED or column in ("quote", "source") or text == "":
            continue
        field = FIELD_OF_COLUMN.get(column, column)
        if column == "provisions":
            if not text.startswith("["):
                raise CsvError(Problem(name, where, 'column provisions: a JSON array of {"issue": ..., "text": ...}'))
            value = _cell_list(text, name, where, column)
        elif column in LIST_FIELDS:
            value = _cell_list(text, name, where, column)
        elif column == "precondition" and text.lower() in ("true", "false"):
            value = text.lower() == "true"
        elif column == "order" and _WHOLE.fullmatch(text.strip()):
            value = int(text)
        else:
            value = text
        raw[field] = value
    refs = _cell_list(cells.get("source", ""), name, where, "source") if cells.get("source") else []
    quotes = _cell_list(cells.get("quote", ""), name, where, "quote") if cells.get("quote") else []
    refs = refs if isinstance(refs, list) else [refs]
    quotes = quotes if isinstance(quotes, list) else [quotes]
    if refs or quotes:
        if len(quotes) > len(refs):
            raise CsvError(Problem(name, where, f"column quote: {len(quotes)} quotes for {len(refs)} sources"))
        raw["source"] = [
            {"ref": ref, **({"quote": quotes[i]} if i < len(quotes) and quotes[i] not in (None, "") else {})}
            for i, ref in enumerate(refs)
        ]
    return raw


_COLUMN_BY_MESSAGE = (
    ("dated ", "date"),
    ("unknown type", "type"),
    ("issue ", "issue"),
    ("duplicate event id", "id"),
    ("event id ", "id"),
    ("only ", "actor"),
)


def column_of(message: str) -> str | None:
    """The CSV column a checker's message is about: the first `field` it names."""
    m = _BACKTICK.search(message)
    if m is None:
        for start, column in _COLUMN_BY_MESSAGE:
            if message.startswith(start):
                return column
        return None
    first = m.group(1).split(".")
    field = first[0]
    if field == "source":
        return "quote" if first[-1] == "quote" or "quote" in message else "source"
    if field in FIELD_OF_COLUMN.values():
        return COLUMN_OF_FIELD[field]
    return field if field in HEADER else None


def locate(problems: list[Problem], name: str, rows_by_id: dict[str, int], rows_of_line: dict[int, int]) -> list[Problem]:
    """Problems of a CSV document with its row and column in place of "event ID"."""
    out = []
    for p in problems:
        if p.file != name:
            out.append(p)
            continue
        where = p.where
        if where.startswith("event "):
            event_id = where[len("event ") :]
            if event_id in rows_by_id:
                where = f"row {rows_by_id[event_id]}"
        elif where.startswith("line ") and where[5:].isdigit() and int(where[5:]) in rows_of_line:
            where = f"row {rows_of_line[int(where[5:])]}"
        if where.startswith("row "):
            column = column_of(p.message)
            if column is not None:
                where = f"{where}, column {column}"
            if p.where.startswith("event "):
                where = f"{where} (event {p.where[len('event '):]})"
        out.append(Problem(p.file, where, p.message))
    return out
