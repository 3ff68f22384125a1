"""`negotrack report`: the command's output, what the file holds, and what it refuses (nothing written)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from freezegun import freeze_time

from negotrack.report.page import csp, json_for_html

DATA = re.compile(r'<script type="application/json" id="report-data">(.*?)</script>', re.S)


@pytest.fixture
def ingested(project):
    with freeze_time("2024-06-01T12:00:00Z"):
        assert project.run("ingest", "harbour.yaml").exit_code == 0
    return project


def data_of(path) -> dict[str, Any]:
    return json.loads(DATA.search(path.read_text(encoding="utf-8")).group(1))


def test_report_writes_one_file_and_says_so(ingested):
    result = ingested.run("report", "harbour", "-o", "r.html")
    assert result.exit_code == 0, result.output
    assert result.stdout == "harbour: 3 events, 1 source, 2 issues written to r.html\n"
    assert [p.name for p in ingested.root.iterdir() if p.suffix == ".html"] == ["r.html"]
    assert not [p for p in ingested.root.iterdir() if p.name.endswith(".partial")]


def test_the_default_file_is_named_after_the_thread(ingested):
    result = ingested.run("report", "harbour")
    assert result.exit_code == 0
    assert result.stdout.endswith("written to harbour.html\n")
    assert (ingested.root / "harbour.html").is_file()


def test_the_page_forbids_every_request_and_loads_nothing(ingested):
    ingested.run("report", "harbour", "-o", "r.html")
    text = (ingested.root / "r.html").read_text(encoding="utf-8")
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text).group(1)
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # The hashes are those of the inline script and style, so only they run.
    script = re.search(r"<script>(.*?)</script>", text, re.S).group(1)
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    assert policy == csp(script, style)
    assert not re.search(r"""\s(src|href)=["']?(https?:|//)""", text)  # nothing from outside
    assert "<link" not in text and "@import" not in text and "url(" not in style


def test_the_report_holds_the_fold_states_and_the_options(ingested):
    result = ingested.run("report", "harbour", "-o", "r.html", "--issue", "port", "--from", "2024-01-15",
                          "--to", "2024-01-31", "--known-at", "2024-06-02")
    assert result.exit_code == 0, result.output
    data = data_of(ingested.root / "r.html")
    assert data["known_at"] == "2024-06-02T23:59:59.999999Z"
    assert (data["from"], data["to"], data["issue_filter"]) == ("2024-01-15", "2024-01-31", ["port"])
    assert [i["id"] for i in data["issues"]] == ["port"]
    assert [e["id"] for e in data["events"]] == ["bo-zone", "av-welcomes"]
    states = data["states"]
    assert states["dates"] == ["2024-01-20", "2024-01-25"]
    port = [states["issue_states"][row[0]] for row in states["by_date"]]
    assert [s["status"] for s in port] == ["open", "open"]
    stances = [{p: states["stances"][i][0] for p, i in s["stances"].items()} for s in port]
    assert stances == [{"BO": "supports"}, {"BO": "supports", "AV": "conditional"}]


def test_refusals_write_nothing(ingested):
    cases = [
        (["report", "nope"], 2, "Error: no thread 'nope' in the store (threads: harbour)\n"),
        (["report", "harbour", "--issue", "x"], 2,
         "Error: --issue: thread 'harbour' has no issue 'x' (issues: fishing, port)\n"),
        (["report", "harbour", "--from", "2024-02-01", "--to", "2024-01-01"], 2,
         "Error: --from (2024-02-01) is after --to (2024-01-01)\n"),
        (["report", "harbour", "--to", "2024-13-01"], 2, "Error: --to: '2024-13-01' is not a date (YYYY-MM-DD)\n"),
        (["report", "harbour", "-o", "missing/r.html"], 2, "Error: -o: missing is not a folder\n"),
        (["report", "harbour", "--known-at", "soon"], 2,
         "Error: --known-at: 'soon' is not a date or an ISO 8601 instant\n"),
    ]
    before = sorted(p.name for p in ingested.root.iterdir())
    for args, code, message in cases:
        result = ingested.run(*args)
        assert (result.exit_code, result.stderr) == (code, message), args
        assert sorted(p.name for p in ingested.root.iterdir()) == before


def test_json_in_the_page_cannot_end_its_script_element():
    text = json_for_html({"q": "</script><!-- <script> & \u2028\u2029 </SCRIPT>"})
    assert "<" not in text and ">" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"q": "</script><!-- <script> & \u2028\u2029 </SCRIPT>"}


def test_the_report_never_writes_through_a_link(ingested):
    # -o names a link to a file elsewhere: refused, and neither the link nor its target changes
    target = ingested.root / "important.txt"
    target.write_text("keep me\n", encoding="utf-8")
    (ingested.root / "r.html").symlink_to(target)
    result = ingested.run("report", "harbour", "-o", "r.html")
    assert result.exit_code == 2
    assert result.stderr == "Error: r.html is a symbolic link: negotrack writes only regular files\n"
    assert target.read_text(encoding="utf-8") == "keep me\n"
    assert (ingested.root / "r.html").is_symlink()
    assert not [p for p in ingested.root.iterdir() if p.name.endswith(".partial") or p.name.startswith(".r.html")]


def test_the_report_replaces_an_earlier_report(ingested):
    assert ingested.run("report", "harbour", "-o", "r.html").exit_code == 0
    (ingested.root / "r.html").write_text("old\n", encoding="utf-8")
    assert ingested.run("report", "harbour", "-o", "r.html").exit_code == 0
    assert "harbour" in data_of(ingested.root / "r.html")["thread"]["id"]
