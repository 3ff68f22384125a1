"""The HTML report in a real browser: offline, one lane per party, and an "as of" control that agrees with `state`.

Each report is built from a real store (the seed timeline ingested; the
conformance thread through the scenario runner, with its late report and its
retractions), opened from disk in Chromium with the network shut, and read
back from the page's DOM.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from negotrack.app import ingest as app_ingest
from negotrack.app import queries
from negotrack.domain.instants import parse_known_at
from negotrack.store.store import Store
from negotrack.cli import cli
from negotrack.report import Request, write_report
from negotrack.scenarios.runner import load_scenario, scenario_store

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "ukraine-peace.yaml"
HARBOUR = ROOT / "tests" / "conformance" / "harbour.scenario.yaml"
MADE_AT = datetime(2025, 12, 16, 12, 0, tzinfo=timezone.utc)

# The state panel, read back from the page: what `state --json` says, in the same shape.
READ_STATE = """() => {
  const out = {};
  for (const card of document.querySelectorAll('#state .issue')) {
    const stances = {};
    for (const li of card.querySelectorAll('.stances > li')) stances[li.dataset.party] = li.dataset.stance;
    const items = {};
    for (const li of card.querySelectorAll('.items > li')) {
      const responses = {};
      for (const r of li.querySelectorAll('.responses > li'))
        responses[r.dataset.party] = [r.dataset.response, r.dataset.qualifier || null];
      items[li.dataset.item] = {kind: li.dataset.kind, status: li.dataset.status, responses};
    }
    const agreement = card.querySelector('.agreement');
    out[card.dataset.issue] = {
      status: card.querySelector('.status').dataset.status, stances, items,
      agreement: agreement ? agreement.dataset.agreement : null,
    };
  }
  return out;
}"""


def expected_state(doc: dict[str, Any]) -> dict[str, Any]:
    """`state --json` in the shape READ_STATE reads."""
    return {
        key: {
            "status": issue["status"],
            "stances": {p: s["stance"] for p, s in issue["stances"].items()},
            "items": {
                item_id: {
                    "kind": item["kind"],
                    "status": item["status"],
                    "responses": {p: [r["response"], r.get("qualifier")] for p, r in item["responses"].items()},
                }
                for item_id, item in issue["items"].items()
            },
            "agreement": issue["agreement"]["event"] if issue["agreement"] else None,
        }
        for key, issue in doc["issues"].items()
    }


def set_as_of(page: Any, day: str) -> None:
    page.fill("#asof-date", day)
    page.dispatch_event("#asof-date", "change")


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("seed")
    url = "sqlite:///" + str(folder / "seed.db")
    app_ingest.ingest(Store(url), [SEED])
    return url


@pytest.fixture(scope="module")
def seed_report(seed_store: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed-report") / "ukraine-peace.html"
    write_report(Store.open(seed_store), Request("ukraine-peace"), out, made_at=MADE_AT)
    return out


@pytest.fixture(scope="module")
def harbour_store() -> Iterator[str]:
    with scenario_store(load_scenario(HARBOUR)) as store:
        url = store.url
        yield url


def visit_ok(visit: Any) -> None:
    assert visit.foreign_requests == []
    assert visit.console_errors == []
    assert visit.page_errors == []
    assert visit.page.evaluate("document.documentElement.dataset.ready") == "true"


def test_seed_report_is_offline_one_lane_per_party_one_marker_per_event(open_file: Any, seed_report: Path,
                                                                       seed_store: str) -> None:
    visit = open_file(seed_report)
    visit_ok(visit)
    page = visit.page
    parties = list(queries.threads(Store.open(seed_store))[0]["parties"])
    assert page.eval_on_selector_all("#timeline-svg .lane", "els => els.map(e => e.dataset.party)") == parties
    events = [e["id"] for e in queries.timeline(Store.open(seed_store), "ukraine-peace") if e["type"] != "ReportRetracted"]
    shown = page.eval_on_selector_all("#timeline-svg .marker", "els => els.map(e => e.dataset.event)")
    assert sorted(shown) == sorted(events) and len(shown) == 47
    # Each marker sits in the lane of its party.
    lanes = page.eval_on_selector_all(
        "#timeline-svg .marker", "els => els.map(e => [e.dataset.event, e.dataset.party])"
    )
    party_of = {e["id"]: e["party"] for e in queries.timeline(Store.open(seed_store), "ukraine-peace")}
    assert all(party_of[event] == party for event, party in lanes)
    header = page.inner_text("#head")
    assert "Russia–Ukraine peace negotiations" in header
    assert "47 events · 5 sources · 2008-04-03 to 2025-12-15" in header
    assert "Maria Zakharova, Foreign Ministry spokeswoman" in header
    assert "Proposition: Ukraine may join NATO" in header
    visit.screenshot("report-seed-1280x800.png")


@pytest.mark.parametrize("day", ["2019-06-01", "2025-03-17", "2025-04-16", "2025-11-30", "2025-12-14", "2025-12-15"])
def test_seed_as_of_agrees_with_state(open_file: Any, seed_report: Path, seed_store: str, day: str) -> None:
    visit = open_file(seed_report)
    set_as_of(visit.page, day)
    got = visit.page.evaluate(READ_STATE)
    printed = CliRunner().invoke(cli, ["state", "ukraine-peace", "--db", seed_store, "--as-of", day, "--json"])
    assert printed.exit_code == 0
    assert got == expected_state(json.loads(printed.stdout))
    assert visit.page.inner_text("#state-when") == f"as of {day}"
    visit_ok(visit)


def test_the_slider_steps_by_keyboard_through_the_dates_that_changed(open_file: Any, seed_report: Path,
                                                                     seed_store: str) -> None:
    visit = open_file(seed_report)
    page = visit.page
    page.focus("#asof-range")
    page.keyboard.press("End")
    assert page.input_value("#asof-date") == "2025-12-15"
    page.keyboard.press("ArrowLeft")
    assert page.input_value("#asof-date") == "2025-12-14"
    page.keyboard.press("Home")
    first = page.input_value("#asof-date")
    assert first == "2008-04-03"
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    day = page.input_value("#asof-date")
    assert day == "2025-03-11"  # the fourth date on which something changed
    got = page.evaluate(READ_STATE)
    assert got == expected_state(queries.state(Store.open(seed_store), queries.Query("ukraine-peace", day)))
    visit_ok(visit)


def test_a_markers_detail_shows_its_verbatim_quote_and_source(open_file: Any, seed_report: Path,
                                                              seed_store: str) -> None:
    visit = open_file(seed_report)
    page = visit.page
    row = next(e for e in queries.timeline(Store.open(seed_store), "ukraine-peace") if e["id"] == "zelensky-forgoes-nato")
    page.click('#timeline-svg .marker[data-event="zelensky-forgoes-nato"]')
    assert page.is_visible("#detail")
    quotes = page.eval_on_selector_all("#detail blockquote", "els => els.map(e => e.textContent)")
    assert quotes == [s["quote"] for s in row["sources"]]  # two reports of one statement
    text = page.inner_text("#detail")
    assert "Zelensky proposes abandoning NATO membership" in text and "grade B" in text
    page.keyboard.press("Escape")
    assert not page.is_visible("#detail")
    # By keyboard: the timeline is one tab stop; arrows move, Enter opens.
    page.focus('#timeline-svg .marker[tabindex="0"]')
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    last = queries.timeline(Store.open(seed_store), "ukraine-peace")[-1]
    assert page.get_attribute("#detail", "data-event") == last["id"]
    assert page.inner_text("#detail blockquote") == last["sources"][0]["quote"]
    # Items answering it are listed, and open their own detail.
    page.keyboard.press("Escape")
    page.click('#timeline-svg .marker[data-event="us-28-point-plan"]')
    page.click('#detail button[data-open="putin-plan-basis"]')
    assert page.get_attribute("#detail", "data-event") == "putin-plan-basis"
    visit_ok(visit)


def test_phone_width_is_legible(open_file: Any, seed_report: Path) -> None:
    visit = open_file(seed_report, width=390, height=844)
    page = visit.page
    visit_ok(visit)
    # Nothing but the timeline and bands (which scroll in their own box) is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("document.getElementById('timeline').scrollWidth") > 390
    set_as_of(page, "2025-11-30")
    assert page.is_visible('#state .issue[data-issue="nato-membership"]')
    visit.screenshot("report-seed-390x844.png")
    page.click('#timeline-svg .marker[data-event="ru-nato-unacceptable"]')
    visit.screenshot("report-seed-390x844-detail.png", full_page=False)


def test_print_shows_the_state_not_the_controls(open_file: Any, seed_report: Path) -> None:
    visit = open_file(seed_report)
    page = visit.page
    set_as_of(page, "2025-11-30")
    page.emulate_media(media="print")
    assert not page.is_visible("#asof-bar")
    assert page.is_visible("#state .issue")
    assert page.inner_text("#state-when") == "as of 2025-11-30"
    visit.screenshot("report-seed-print.png")


def test_readme_screenshot(open_file: Any, seed_report: Path) -> None:
    """docs/report.png, the README's picture: set NEGOTRACK_UPDATE_SCREENSHOT=1 to write it again."""
    visit = open_file(seed_report, width=1280, height=800)
    set_as_of(visit.page, "2025-11-30")
    # The as-of bar at the top, the timeline and the stance bands below it.
    visit.page.evaluate("document.activeElement.blur(); window.scrollTo(0, document.getElementById('asof-bar').offsetTop)")
    visit.page.hover('#timeline-svg .marker[data-event="putin-plan-basis"]')
    path = visit.screenshot("report-readme.png", full_page=False)
    if os.environ.get("NEGOTRACK_UPDATE_SCREENSHOT"):
        shutil.copyfile(path, ROOT / "docs" / "report.png")
    assert (ROOT / "docs" / "report.png").is_file()


# --- the conformance thread: late report, retractions, known-at ---------------------------------


@pytest.mark.parametrize("known_at", [None, "2024-06-02T00:00:00Z", "2024-07-15T00:00:00Z"])
def test_conformance_as_of_agrees_with_state(open_file: Any, harbour_store: str, tmp_path: Path,
                                             known_at: str | None) -> None:
    moment = (parse_known_at(known_at) if known_at else None)
    out = tmp_path / "harbour.html"
    write_report(Store.open(harbour_store), Request("harbour", known_at=moment), out, made_at=MADE_AT)
    visit = open_file(out)
    visit_ok(visit)
    page = visit.page
    if known_at:
        assert f"As known at {known_at}" in page.inner_text("#known-at")
    else:
        assert page.query_selector("#known-at") is None
    assert page.eval_on_selector_all("#timeline-svg .lane", "els => els.map(e => e.dataset.party)") == ["AV", "BO", "MED"]
    dated = [e for e in queries.timeline(Store.open(harbour_store), "harbour", known_at=moment) if e["type"] != "ReportRetracted"]
    shown = page.eval_on_selector_all("#timeline-svg .marker", "els => els.map(e => e.dataset.event)")
    assert sorted(shown) == sorted(e["id"] for e in dated)
    for day in ["2024-01-06", "2024-01-15", "2024-01-25", "2024-02-10", "2024-03-03", "2024-03-04", "2024-03-10"]:
        set_as_of(page, day)
        expected = queries.state(Store.open(harbour_store), queries.Query("harbour", day, moment))
        assert page.evaluate(READ_STATE) == expected_state(expected), (day, known_at)
    visit_ok(visit)


def test_retracted_events_are_struck_through_with_the_retraction(open_file: Any, harbour_store: str,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "harbour.html"
    write_report(Store.open(harbour_store), Request("harbour"), out, made_at=MADE_AT)
    visit = open_file(out)
    page = visit.page
    struck = page.eval_on_selector_all("#timeline-svg .marker.retracted", "els => els.map(e => e.dataset.event)")
    assert sorted(struck) == ["bo-rejects-frame", "med-guarantee"]
    assert page.query_selector('#timeline-svg .marker[data-event="med-guarantee"] .strike') is not None
    page.click('#timeline-svg .marker[data-event="med-guarantee"]')
    assert "Retracted: no such guarantee was offered (retract-guarantee" in page.inner_text("#detail .retraction")
    visit.screenshot("report-harbour-1280x800.png")
    visit_ok(visit)


# --- text from sources is data ------------------------------------------------------------------

HOSTILE = "<script>window.pwned=1</script></textarea></script><img src=x onerror=window.pwned=2><!-- \u2028 {{data}}"


def test_a_hostile_quote_stays_text(open_file: Any, tmp_path: Path) -> None:
    (tmp_path / "wire.txt").write_text(f"The wire says: {HOSTILE} and no more.\n", encoding="utf-8")
    timeline = {
        "negotrack": 1,
        "thread": {
            "id": "hostile",
            "title": "</title><script>window.pwned=3</script>",
            "parties": {"AV": {"name": "<b>Avalon</b>"}, "BO": {"name": "Borealis"}},
            "issues": {"port": {"title": "</script><script>window.pwned=4</script>", "proposition": "<i>x</i>"}},
        },
        "sources": {"w": {"path": "wire.txt", "title": "<img src=x onerror=window.pwned=5>"}},
        "events": [
            {"id": "e1", "type": "PositionStated", "date": "2024-01-10", "by": "AV", "issue": "port",
             "stance": "supports", "summary": "</textarea><script>window.pwned=7</script>",
             "source": {"ref": "w", "quote": HOSTILE}},
        ],
    }
    (tmp_path / "t.json").write_text(json.dumps(timeline), encoding="utf-8")
    url = "sqlite:///" + str(tmp_path / "h.db")
    app_ingest.ingest(Store(url), [tmp_path / "t.json"])
    out = tmp_path / "hostile.html"
    write_report(Store.open(url), Request("hostile"), out, made_at=MADE_AT)
    visit = open_file(out)
    visit_ok(visit)
    page = visit.page
    page.click('#timeline-svg .marker[data-event="e1"]')
    assert page.text_content("#detail blockquote") == HOSTILE
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 3  # data, one block of details, the script
    assert page.title() == "</title><script>window.pwned=3</script>: negotrack report"
    assert page.query_selector("#detail a") is None  # a javascript: address is not made a link
    assert "<b>Avalon</b>" in page.inner_text("#head")


# --- scale: a 10,000-event generated thread -----------------------------------------------------


@pytest.mark.slow
def test_a_ten_thousand_event_thread_opens_and_responds(open_file: Any, tmp_path: Path) -> None:
    """Zoomed out it counts events per week, month or year; a count zooms in to one marker per event."""
    import sys
    import time

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import generate

    path = generate.write_thread(generate.ThreadGenerator("big-0000", 10_000, seed=1), tmp_path, "ndjson")
    url = "sqlite:///" + str(tmp_path / "big.db")
    app_ingest.ingest(Store(url), [path])
    out = tmp_path / "big.html"
    written = write_report(Store.open(url), Request("big-0000"), out, made_at=MADE_AT)
    t0 = time.perf_counter()
    visit = open_file(out)
    print(f"10,000 events: {written.bytes:,} bytes, opened in {time.perf_counter() - t0:.1f} s")
    visit_ok(visit)
    page = visit.page
    assert page.query_selector_all("#timeline-svg .marker") == []
    bins = page.query_selector_all("#timeline-svg .bin")
    assert bins
    counts = page.eval_on_selector_all("#timeline-svg .bin text", "els => els.map(e => +e.textContent)")
    rows = [e for e in queries.timeline(Store.open(url), "big-0000") if e["type"] != "ReportRetracted"]
    agreements = sum(len(r["body"]["parties"]) - 1 for r in rows if r["type"] == "AgreementReached")
    assert sum(counts) == len(rows) + agreements  # an agreement is counted in the lane of each of its parties
    # Zoom in on one count: one marker per event of that period.
    bins[len(bins) // 2].click()
    note = page.inner_text("#zoom-note")
    lo, hi = note.split(":")[0].split(" to ")
    in_view = [r for r in rows if lo <= r["date"] <= hi]
    assert page.eval_on_selector_all("#timeline-svg .marker", "els => els.length") == len(in_view)
    first = in_view[0]
    page.click(f'#timeline-svg .marker[data-event="{first["id"]}"]')
    quote = first["sources"][0]["quote"]
    if quote:
        assert page.text_content("#detail blockquote") == quote
    page.keyboard.press("Escape")
    set_as_of(page, hi)
    assert page.evaluate(READ_STATE) == expected_state(queries.state(Store.open(url), queries.Query("big-0000", hi)))
    page.click("#zoom-out")
    assert page.query_selector_all("#timeline-svg .bin")
    # By keyboard: the counts are one tab stop; arrows move between them, Enter zooms in.
    page.focus('#timeline-svg .bin[tabindex="0"]')
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert page.query_selector_all("#timeline-svg .marker")
    visit_ok(visit)


def test_a_narrowed_report_agrees_with_state_on_its_issue(open_file: Any, harbour_store: str, tmp_path: Path) -> None:
    out = tmp_path / "port.html"
    write_report(Store.open(harbour_store), Request("harbour", ("port",), "2024-01-15", "2024-03-05"), out, made_at=MADE_AT)
    visit = open_file(out)
    visit_ok(visit)
    page = visit.page
    rows = queries.timeline(Store.open(harbour_store), "harbour", issue="port", start="2024-01-15", end="2024-03-05")
    shown = page.eval_on_selector_all("#timeline-svg .marker", "els => els.map(e => e.dataset.event)")
    assert sorted(shown) == sorted(r["id"] for r in rows if r["type"] != "ReportRetracted")
    assert "This report shows issues: port; from 2024-01-15; to 2024-03-05." in page.inner_text("#head")
    assert page.get_attribute("#asof-date", "min") == "2024-01-15"
    for day in ["2024-01-15", "2024-01-25", "2024-03-03", "2024-03-05"]:
        set_as_of(page, day)
        expected = queries.state(Store.open(harbour_store), queries.Query("harbour", day, issue="port"))
        assert page.evaluate(READ_STATE) == expected_state(expected), day
