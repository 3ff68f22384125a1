"""`export --format timelinejs`: the choices of issue 13, slide by slide (the browser test loads it into TimelineJS)."""

from __future__ import annotations

import json

MORE = """\
  - {id: bo-month, type: PositionStated, date: 2024-03-01, precision: month, by: BO, issue: port, stance: opposes,
     summary: "Borealis <b>hardens</b> & \\"waits\\"", source: {ref: hw, quote: Borealis rejected the plan outright.}}
  - {id: av-week, type: PositionStated, date: 2024-02-05, precision: week, by: AV, issue: fishing, stance: supports,
     summary: Avalon comes round, source: {ref: hw, quote: Avalon welcomed the zone plan in principle.}}
  - {id: oops, type: ReportRetracted, ref: av-week, reason: "it was <Borealis>", summary: misreported}
"""


def test_timelinejs_export_follows_the_format_and_the_issue_s_choices(backend):
    assert backend.run("ingest", "harbour.yaml").exit_code == 0
    backend.tail(MORE)
    assert backend.run("ingest", "more.yaml").exit_code == 0
    backend.root.joinpath("out").mkdir()
    result = backend.run("export", "harbour", "-o", "out/h.json", "--format", "timelinejs")
    assert result.exit_code == 0, result.output
    assert result.stderr == "harbour: 6 events written to out/h.json, and 1 source text beside it\n"
    data = json.loads((backend.root / "out" / "h.json").read_text(encoding="utf-8"))
    assert list(data) == ["title", "events", "eras"]
    assert data["title"] == {
        "text": {"headline": "Avalon–Borealis harbour talks",
                 "text": "<p>Parties: Avalon, Borealis</p><p>Issues:</p><ul><li>Fishing zone</li><li>Port access</li></ul>"},
        "unique_id": "thread-harbour",
    }  # fmt: skip
    slides = {s["unique_id"]: s for s in data["events"]}
    assert list(slides) == ["av-closed", "bo-zone", "av-welcomes", "bo-month", "av-week"]  # no slide for a retraction
    assert slides["av-closed"] == {
        "start_date": {"year": 2024, "month": 1, "day": 10},
        "display_date": "10 January 2024",
        "text": {"headline": "Avalon demands the harbour stay closed",
                 "text": "<blockquote>the harbour must stay closed to foreign fleets</blockquote>"},
        "group": "Avalon",
        "unique_id": "av-closed",
        "autolink": False,
        "media": {"url": "<blockquote>Harbour Wire</blockquote>", "credit": "2024-03-01 · reliability B",
                  "link": "h.sources/hw.txt", "link_target": "_blank"},
    }  # fmt: skip
    month = slides["bo-month"]
    assert (month["start_date"], month["display_date"]) == ({"year": 2024, "month": 3}, "March 2024")
    assert month["text"]["headline"] == "Borealis &lt;b&gt;hardens&lt;/b&gt; &amp; &quot;waits&quot;"
    week = slides["av-week"]
    assert (week["start_date"], week["display_date"]) == ({"year": 2024, "month": 2, "day": 5}, "week of 5 February 2024")
    assert week["text"]["headline"] == "Retracted: Avalon comes round"
    assert week["text"]["text"].startswith("<p><strong>Retracted</strong> by oops: it was &lt;Borealis&gt;</p>")
    assert data["eras"] == [
        {"start_date": {"year": 2024, "month": 1, "day": 10}, "end_date": {"year": 2024, "month": 1, "day": 20},
         "text": {"headline": "Fishing zone"}},
        {"start_date": {"year": 2024, "month": 1, "day": 20}, "end_date": {"year": 2024, "month": 3, "day": 1},
         "text": {"headline": "Port access"}},
    ]  # fmt: skip
