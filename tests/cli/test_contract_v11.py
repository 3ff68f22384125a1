"""Contract v1.1 (docs/contract.md, "v1.1 additions"), through the real CLI.

Each test codes what an analyst would write with one addition and checks the
answer that addition changes (or the refusal it adds); the same file without
the addition gives today's answer, so each test fails if the addition is
ignored.
"""

from __future__ import annotations

import json

Q = "Borealis rejected the plan outright."
CLOSED = "the harbour must stay closed to foreign fleets"


def state(project, as_of: str = "2024-12-31", issue: str | None = None) -> dict:
    args = ["state", "harbour", "--as-of", as_of, "--json"]
    if issue:
        args += ["--issue", issue]
    result = project.run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["issues"]


def ingest(project, *files: str) -> None:
    result = project.run("ingest", *files)
    assert result.exit_code == 0, result.output


def refused_with(result, *fragments: str) -> str:
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    return result.stderr


# --- order and time within a day ------------------------------------------------


BACKGROUND = """\
  - id: av-long-opposed
    type: PositionStated
    date: 2024-01-25
    by: AV
    issue: fishing
    stance: opposes
    {extra}
    summary: Avalon has long opposed a joint zone (background of the report)
    source: {{ref: hw, quote: {closed}}}
"""


def test_background_coded_later_without_order_overrides_the_days_statement(project):
    # the defect of issue 17: the later file's background wins, as v1 says (date, then recording order)
    ingest(project, "harbour.yaml")
    project.tail(BACKGROUND.format(extra="", closed=CLOSED))
    ingest(project, "more.yaml")
    assert state(project)["fishing"]["stances"]["AV"]["stance"] == "opposes"


def test_order_minus_one_puts_background_before_the_days_statement(project):
    ingest(project, "harbour.yaml")
    project.tail(BACKGROUND.format(extra="order: -1", closed=CLOSED))
    ingest(project, "more.yaml")
    fishing = state(project)["fishing"]
    assert fishing["stances"]["AV"] == {"stance": "conditional", "since": "2024-01-25", "event": "av-welcomes"}
    assert fishing["last_event"] == {"id": "av-welcomes", "date": "2024-01-25"}
    # the replay applies it in the same place: the background first, then the day's acceptance
    replay = project.run("replay", "harbour", "--until", "2024-12-31").stdout
    assert replay.index("av-long-opposed") < replay.index("av-welcomes")


TWO_STATEMENTS = """\
  - {{id: bo-evening, type: PositionStated, date: 2024-02-01, {evening}by: BO, issue: port, stance: opposes,
     summary: Borealis opposes port access in the evening, source: {{ref: hw, quote: {q}}}}}
  - {{id: bo-morning, type: PositionStated, date: 2024-02-01, {morning}by: BO, issue: port, stance: supports,
     summary: Borealis supported port access that morning, source: {{ref: hw, quote: {q}}}}}
"""


def test_time_orders_statements_of_one_day_whatever_their_recording_order(project):
    ingest(project, "harbour.yaml")
    project.tail(TWO_STATEMENTS.format(evening="time: '18:30', ", morning="time: '09:15', ", q=Q))
    ingest(project, "more.yaml")
    port = state(project)["port"]
    assert port["stances"]["BO"]["event"] == "bo-evening" and port["stances"]["BO"]["stance"] == "opposes"
    # the timeline lists them in the order they apply, with their times
    lines = project.run("timeline", "harbour", "--issue", "port").stdout.splitlines()
    heads = [line.split("  ")[:2] for line in lines if line.startswith("2024-02-01")]
    assert heads == [["2024-02-01 09:15", "bo-morning"], ["2024-02-01 18:30", "bo-evening"]]
    rows = json.loads(project.run("timeline", "harbour", "--json").stdout)["events"]
    assert [(r["id"], r.get("time")) for r in rows if r["date"] == "2024-02-01"] == [
        ("bo-morning", "09:15"), ("bo-evening", "18:30")]  # fmt: skip


def test_without_time_the_later_recorded_statement_of_the_day_applies_last(project):
    ingest(project, "harbour.yaml")
    project.tail(TWO_STATEMENTS.format(evening="", morning="", q=Q))
    ingest(project, "more.yaml")
    assert state(project)["port"]["stances"]["BO"]["event"] == "bo-morning"


def test_an_event_without_time_comes_before_every_timed_event_of_its_date(project):
    # bo-evening is timed, bo-morning (recorded after it) is not: the untimed one applies first
    ingest(project, "harbour.yaml")
    project.tail(TWO_STATEMENTS.format(evening="time: '18:30', ", morning="", q=Q))
    ingest(project, "more.yaml")
    assert state(project)["port"]["stances"]["BO"]["event"] == "bo-evening"


def test_an_answer_placed_before_its_item_on_the_same_date_is_refused(project):
    ingest(project, "harbour.yaml")
    project.tail(
        f"""\
  - {{id: bo-offer, type: ConcessionMade, date: 2024-02-01, time: '12:00', by: BO, issue: port, concession: open port,
     summary: Borealis offers the port, source: {{ref: hw, quote: {Q}}}}}
  - {{id: av-takes, type: Accepted, date: 2024-02-01, time: '11:00', by: AV, ref: bo-offer,
     summary: Avalon accepts, source: {{ref: hw, quote: {Q}}}}}
  - {{id: av-takes-early, type: Accepted, date: 2024-02-01, order: -1, by: AV, ref: bo-offer,
     summary: Avalon accepts, source: {{ref: hw, quote: {Q}}}}}
"""
    )
    refused_with(
        project.run("ingest", "more.yaml"),
        "more.yaml: event av-takes: on 2024-02-01 it comes before 'bo-offer', which it answers "
        "(order 0, time 11:00 against order 0, time 12:00)",
        "more.yaml: event av-takes-early: on 2024-02-01 it comes before 'bo-offer', which it answers "
        "(order -1, no time against order 0, time 12:00)",
    )


def test_an_answer_placed_before_a_stored_item_is_refused_too(project):
    # the item's place comes from the store (the read model), not only from the same input
    ingest(project, "harbour.yaml")
    project.tail(
        f"""\
  - {{id: bo-offer, type: ConcessionMade, date: 2024-02-01, order: 2, by: BO, issue: port, concession: open port,
     summary: Borealis offers the port, source: {{ref: hw, quote: {Q}}}}}
"""
    )
    ingest(project, "more.yaml")
    project.tail(
        f"""\
  - {{id: av-takes, type: Accepted, date: 2024-02-01, order: 1, by: AV, ref: bo-offer,
     summary: Avalon accepts, source: {{ref: hw, quote: {Q}}}}}
""",
        name="answer.yaml",
    )
    refused_with(project.run("ingest", "answer.yaml"), "event av-takes: on 2024-02-01 it comes before 'bo-offer'")


def test_bad_time_and_order_are_refused_with_the_fix(project):
    project.tail(
        f"""\
  - {{id: a, type: PositionStated, date: 2024-02-01, time: '9:5', by: BO, issue: port, stance: supports,
     summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: b, type: PositionStated, date: 2024-02-01, order: first, by: BO, issue: port, stance: supports,
     summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: c, type: PositionStated, date: 2024-02-01, order: true, by: BO, issue: port, stance: supports,
     summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: d, type: PositionStated, date: 2024-02-01, precision: month, time: '10:00', by: BO, issue: port,
     stance: supports, summary: s, source: {{ref: hw, quote: {Q}}}}}
  - {{id: e, type: ReportRetracted, ref: a, reason: r, summary: s, order: 1}}
"""
    )
    refused_with(
        project.run("ingest", "harbour.yaml", "more.yaml"),
        "event a: `time`: bad time '9:5': expected HH:MM, 24-hour",
        "event b: `order`: bad order 'first': expected a whole number from -999 to 999",
        "event c: `order`: bad order True",
        "event d: `time` needs `precision: day` (the date is known only to the month)",
        "event e: unknown field `order`",
    )


# --- precision: year ---------------------------------------------------------------


YEAR_EVENT = """\
  - {{id: av-since-2022, type: PositionStated, date: {date}, precision: year, by: AV, issue: port, stance: opposes,
     summary: Avalon has opposed port access since 2022, source: {{ref: hw, quote: {closed}}}}}
"""


def test_precision_year_is_accepted_shown_and_orders_by_its_date(project):
    project.tail(YEAR_EVENT.format(date="2022-01-01", closed=CLOSED))
    ingest(project, "harbour.yaml", "more.yaml")
    port = state(project, as_of="2023-06-30")["port"]
    assert port["stances"]["AV"] == {"stance": "opposes", "since": "2022-01-01", "event": "av-since-2022"}
    assert state(project, as_of="2021-12-31")["port"]["status"] == "not-raised"
    timeline = project.run("timeline", "harbour").stdout
    assert timeline.splitlines()[0].startswith("2022-01-01 (year)  av-since-2022  PositionStated")


def test_a_year_given_as_the_date_suggests_precision_year(project):
    project.tail(YEAR_EVENT.format(date="2022", closed=CLOSED))
    refused_with(
        project.run("ingest", "harbour.yaml", "more.yaml"),
        "event av-since-2022: `date`: bad date 2022: a date is YYYY-MM-DD; for a year, write 2022-01-01 with `precision: year`",
    )


def test_exports_carry_a_year_as_a_year(project):
    project.tail(YEAR_EVENT.format(date="2022-01-01", closed=CLOSED))
    ingest(project, "harbour.yaml", "more.yaml")
    assert project.run("export", "harbour", "--format", "plover", "-o", "h.jsonl").exit_code == 0
    plover = {r["id"]: r for r in map(json.loads, (project.root / "h.jsonl").read_text().splitlines())}
    assert (plover["av-since-2022"]["date"], plover["av-since-2022"]["enddate"]) == ("2022-01-01", "2022-12-31")
    assert plover["av-since-2022"]["negotrack_precision"] == "year"
    assert project.run("export", "harbour", "--format", "timelinejs", "-o", "h.json").exit_code == 0
    slides = {s["unique_id"]: s for s in json.loads((project.root / "h.json").read_text())["events"]}
    assert slides["av-since-2022"]["start_date"] == {"year": 2022}
    assert slides["av-since-2022"]["display_date"] == "2022"


# --- reported_by -------------------------------------------------------------------


REPORTED = """\
  - {{id: bo-said-av-accepts, type: Accepted, date: 2024-02-01, by: AV, {reported}ref: bo-zone, stance: supports,
     summary: Borealis says Avalon accepted the zone, source: {{ref: hw, quote: {q}}}}}
"""


def test_reported_by_names_who_reported_a_statement_and_changes_no_answer(project):
    ingest(project, "harbour.yaml")
    project.tail(REPORTED.format(reported="reported_by: BO, ", q=Q))
    ingest(project, "more.yaml")
    fishing = state(project)["fishing"]
    # the stance and the answer are Avalon's, as without reported_by; the JSON says who reported them
    assert fishing["stances"]["AV"] == {"stance": "supports", "since": "2024-02-01", "event": "bo-said-av-accepts",
                                        "reported_by": "BO"}  # fmt: skip
    assert fishing["items"]["bo-zone"]["responses"]["AV"]["reported_by"] == "BO"
    assert fishing["status"] == "open"  # both support: not contested
    text = project.run("state", "harbour", "--as-of", "2024-12-31", "--issue", "fishing").stdout
    assert "(bo-said-av-accepts, reported by BO)" in text
    timeline = project.run("timeline", "harbour").stdout
    assert "bo-said-av-accepts  Accepted  AV, reported by BO" in timeline
    rows = json.loads(project.run("timeline", "harbour", "--json").stdout)["events"]
    assert next(r for r in rows if r["id"] == "bo-said-av-accepts")["reported_by"] == "BO"
    assert "reported_by" not in next(r for r in rows if r["id"] == "av-welcomes")


def test_without_reported_by_the_json_has_no_such_key(project):
    ingest(project, "harbour.yaml")
    project.tail(REPORTED.format(reported="", q=Q))
    ingest(project, "more.yaml")
    fishing = state(project)["fishing"]
    assert "reported_by" not in fishing["stances"]["AV"]
    assert "reported_by" not in fishing["items"]["bo-zone"]["responses"]["AV"]


def test_reported_by_must_name_a_declared_actor_or_party_other_than_by(project):
    project.tail(
        REPORTED.format(reported="reported_by: bayramov, ", q=Q)
        + REPORTED.format(reported="reported_by: AV, ", q=Q).replace("bo-said-av-accepts", "av-self")
        + REPORTED.format(reported="reported_by: 'not an id', ", q=Q).replace("bo-said-av-accepts", "bad-id")
    )
    refused_with(
        project.run("ingest", "harbour.yaml", "more.yaml"),
        "event bo-said-av-accepts: `reported_by`: 'bayramov' names no declared actor or party",
        "event av-self: `reported_by`: 'AV' is the event's own `by`; leave `reported_by` out",
        "event bad-id: `reported_by`: 'not an id' is not an identifier",
    )


def test_exports_show_who_reported_and_the_time(project):
    ingest(project, "harbour.yaml")
    project.tail(REPORTED.format(reported="reported_by: BO, time: '16:45', ", q=Q))
    ingest(project, "more.yaml")
    assert project.run("export", "harbour", "--format", "plover", "-o", "h.jsonl").exit_code == 0
    plover = {r["id"]: r for r in map(json.loads, (project.root / "h.jsonl").read_text().splitlines())}
    record = plover["bo-said-av-accepts"]
    assert record["negotrack_reported_by"] == "BO" and record["actor"][0]["code"] == "AV"
    assert record["negotrack_event"]["time"] == "16:45"
    assert "negotrack_reported_by" not in plover["av-welcomes"]
    assert project.run("export", "harbour", "--format", "timelinejs", "-o", "h.json").exit_code == 0
    slides = {s["unique_id"]: s for s in json.loads((project.root / "h.json").read_text())["events"]}
    slide = slides["bo-said-av-accepts"]
    assert slide["start_date"] == {"year": 2024, "month": 2, "day": 1, "hour": 16, "minute": 45}
    assert slide["display_date"] == "1 February 2024, 16:45"
    assert slide["text"]["text"].startswith("<p>Reported by Borealis</p>")
    assert "Reported by" not in slides["av-welcomes"]["text"]["text"]


# --- conditions on ConcessionMade ----------------------------------------------------


def test_a_concession_carries_its_conditions_into_the_timeline_and_exports(project):
    ingest(project, "harbour.yaml")
    project.tail(
        f"""\
  - {{id: bo-port-offer, type: ConcessionMade, date: 2024-02-01, by: BO, issue: port, concession: Avalon ships may dock,
     conditions: only once the fishing zone is signed, in_exchange_for: bo-zone,
     summary: Borealis offers docking rights on a condition, source: {{ref: hw, quote: {Q}}}}}
"""
    )
    ingest(project, "more.yaml")
    timeline = project.run("timeline", "harbour", "--issue", "port").stdout
    assert "    conditions: only once the fishing zone is signed\n" in timeline
    # an answer is unchanged by it: the item is an open concession of Borealis
    item = state(project)["port"]["items"]["bo-port-offer"]
    assert (item["kind"], item["by"], item["status"], item["text"]) == ("concession", "BO", "open", "Avalon ships may dock")
    assert project.run("export", "harbour", "--format", "csv", "-o", "h.csv").exit_code == 0
    import csv

    with (project.root / "h.csv").open(encoding="utf-8", newline="") as f:
        row = next(r for r in csv.DictReader(f) if r["id"] == "bo-port-offer")
    assert row["conditions"] == "only once the fishing zone is signed"


# --- AgreementReached on several issues --------------------------------------------------


AGREEMENT = """\
  - {{id: deal, type: AgreementReached, date: 2024-03-01, parties: [AV, BO], {issues}ref: bo-zone,
     terms: the joint zone and port access as proposed, summary: Avalon and Borealis sign the zone plan,
     source: {{ref: hw, quote: {q}}}}}
"""


def test_an_agreement_on_two_issues_makes_both_agreed(project):
    ingest(project, "harbour.yaml")
    project.tail(AGREEMENT.format(issues="issues: [fishing, port], ", q=Q))
    ingest(project, "more.yaml")
    issues = state(project)
    for key in ("fishing", "port"):
        assert issues[key]["status"] == "agreed", key
        assert issues[key]["agreement"] == {"event": "deal", "date": "2024-03-01", "parties": ["AV", "BO"],
                                            "terms": "the joint zone and port access as proposed", "ref": "bo-zone",
                                            "issues": ["fishing", "port"]}  # fmt: skip
        assert issues[key]["items"]["bo-zone"]["status"] == "adopted"
        assert issues[key]["last_event"] == {"id": "deal", "date": "2024-03-01"}
    assert state(project, as_of="2024-02-29")["port"]["status"] == "open"
    replay = project.run("replay", "harbour", "--until", "2024-12-31").stdout
    assert "fishing: status open -> agreed" in replay
    assert "port: status open -> agreed" in replay
    timeline = project.run("timeline", "harbour", "--issue", "port").stdout
    assert "deal  AgreementReached  [fishing, port]" in timeline


def test_an_agreement_on_one_issue_adopting_a_two_issue_proposal_agrees_that_issue_only(project):
    # version 1's meaning, unchanged: `issue` names the issue agreed; the other stays as it was
    ingest(project, "harbour.yaml")
    project.tail(AGREEMENT.format(issues="issue: fishing, ", q=Q))
    ingest(project, "more.yaml")
    issues = state(project)
    assert issues["fishing"]["status"] == "agreed" and "issues" not in issues["fishing"]["agreement"]
    assert issues["port"]["status"] == "open" and issues["port"]["agreement"] is None
    assert issues["port"]["items"]["bo-zone"]["status"] == "adopted"


def test_issues_must_be_declared_listed_once_and_not_given_with_issue(project):
    project.tail(
        AGREEMENT.format(issues="issues: [fishing, harbor], ", q=Q)
        + AGREEMENT.format(issues="issues: [port, port], ", q=Q).replace("id: deal", "id: twice")
        + AGREEMENT.format(issues="issue: port, issues: [port], ", q=Q).replace("id: deal", "id: both")
        + AGREEMENT.format(issues="", q=Q).replace("id: deal", "id: neither")
        + AGREEMENT.format(issues="issues: [], ", q=Q).replace("id: deal", "id: empty")
    )
    refused_with(
        project.run("ingest", "harbour.yaml", "more.yaml"),
        "event deal: issue 'harbor' is not declared",
        "event twice: `issues` names 'port' more than once",
        "event both: give `issue` or `issues`, not both",
        "event neither: missing required field `issue` (or `issues`, a list, for an agreement on several issues)",
        "event empty: `issues`: List should have at least 1 item",
    )


def test_issues_is_for_agreements_only(project):
    project.tail(
        f"""\
  - {{id: p, type: PositionStated, date: 2024-02-01, by: BO, issues: [port, fishing], stance: supports,
     summary: s, source: {{ref: hw, quote: {Q}}}}}
"""
    )
    refused_with(project.run("ingest", "harbour.yaml", "more.yaml"), "event p: unknown field `issues`")


def test_a_two_issue_agreement_exports_and_ingests_back_with_both_issues(project):
    ingest(project, "harbour.yaml")
    project.tail(AGREEMENT.format(issues="issues: [fishing, port], ", q=Q))
    ingest(project, "more.yaml")
    assert project.run("export", "harbour", "--format", "plover", "-o", "h.jsonl").exit_code == 0
    plover = {r["id"]: r for r in map(json.loads, (project.root / "h.jsonl").read_text().splitlines())}
    assert plover["deal"]["negotrack_issue"] == ["fishing", "port"]


# --- every addition survives an export and a re-ingest ---------------------------------


ALL_ADDITIONS = (
    BACKGROUND.format(extra="order: -1", closed=CLOSED)
    + TWO_STATEMENTS.format(evening="time: '18:30', ", morning="time: '09:15', ", q=Q)
    + YEAR_EVENT.format(date="2022-01-01", closed=CLOSED)
    + REPORTED.format(reported="reported_by: BO, ", q=Q)
    + f"""\
  - {{id: bo-port-offer, type: ConcessionMade, date: 2024-02-15, by: BO, issue: port, concession: Avalon ships may dock,
     conditions: only once the fishing zone is signed, summary: Borealis offers docking, source: {{ref: hw, quote: {Q}}}}}
"""
    + AGREEMENT.format(issues="issues: [fishing, port], ", q=Q)
)


def test_every_addition_survives_export_and_reingest_in_every_timeline_format(project):
    project.tail(ALL_ADDITIONS)
    ingest(project, "harbour.yaml", "more.yaml")
    dates = ("2022-06-30", "2024-01-25", "2024-02-01", "2024-02-20", "2024-12-31")
    expected = {d: state(project, as_of=d) for d in dates}
    original = {r["id"]: r for r in json.loads(project.run("export", "harbour", "--format", "json").stdout)["events"]}
    assert original["av-long-opposed"]["order"] == -1 and original["bo-evening"]["time"] == "18:30"
    assert original["deal"]["issues"] == ["fishing", "port"] and original["bo-port-offer"]["conditions"]
    for fmt in ("yaml", "json", "ndjson", "csv"):
        out = f"h-{fmt}.{fmt}"
        assert project.run("export", "harbour", "-o", out).exit_code == 0, fmt
        db = str(project.root / f"fresh-{fmt}.db")
        result = project.runner.invoke(cli_main(), ["ingest", out], env={"NEGOTRACK_DB": db})
        assert result.exit_code == 0, (fmt, result.output)
        for d in dates:
            again = project.runner.invoke(cli_main(), ["state", "harbour", "--as-of", d, "--json"], env={"NEGOTRACK_DB": db})
            assert json.loads(again.stdout)["issues"] == expected[d], (fmt, d)
        back = project.runner.invoke(cli_main(), ["export", "harbour", "--format", "json"], env={"NEGOTRACK_DB": db})
        assert {r["id"]: r for r in json.loads(back.stdout)["events"]} == original, fmt


def cli_main():
    from negotrack.cli import cli

    return cli


def test_the_html_report_carries_the_additions(project):
    project.tail(ALL_ADDITIONS)
    ingest(project, "harbour.yaml", "more.yaml")
    assert project.run("report", "harbour", "-o", "r.html").exit_code == 0
    html = (project.root / "r.html").read_text(encoding="utf-8")
    assert '"id":"av-since-2022","t":"PositionStated","d":"2022-01-01","p":"AV","s":' in html
    assert '"pr":"year"' in html  # the timeline spreads it over the year (report.js spanOf)
    assert '"reported_by":"BO"' in html and '"order":-1' in html and '"time":"18:30"' in html
    # the day's events in the order they apply: the 09:15 statement before the 18:30 one
    assert html.index('"id":"bo-morning"') < html.index('"id":"bo-evening"')
