"""`export --format timelinejs` loaded into the real TimelineJS3 (vendored under tests/vendor/) in headless Chromium.

The page is built in the test's folder with the library, its stylesheet (its
icon font inlined as a data URL) and the export inlined, because the browser
harness lets a page load nothing but its own file.  TimelineJS is told to load
no web font (``font: null``) and no language file (English is built in), so
it makes no request at all, and the test asserts that it made none.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from negotrack.cli import cli

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "tests" / "vendor" / "timelinejs"


def _inline(text: str) -> str:
    return text.replace("</", "<\\/")  # nothing inlined may end its <script> or <style>


def timeline_page(folder: Path, data_text: str) -> Path:
    css = (VENDOR / "css" / "timeline.css").read_text(encoding="utf-8")
    font = base64.b64encode((VENDOR / "css" / "icons" / "tl-icons.woff2").read_bytes()).decode("ascii")
    css, n = re.subn(
        r"src: url\([^)]*tl-icons\.eot\);\s*src: [^;]*;", f"src: url(data:font/woff2;base64,{font}) format('woff2');", css
    )
    assert n == 1, "the vendored stylesheet's @font-face is not where it was"
    js = (VENDOR / "js" / "timeline.js").read_text(encoding="utf-8")
    page = folder / "timeline.html"
    page.write_text(
        f"""<!doctype html>
<html><head><meta charset="utf-8"><title>negotrack export</title>
<style>{_inline(css)}</style>
<script>{_inline(js)}</script>
</head><body>
<div id="timeline" style="width: 100%; height: 600px"></div>
<script>
window.built = null;
var data = {_inline(data_text)};
var timeline = new TL.Timeline("timeline", data, {{
  font: null, language: "en", script_path: "{VENDOR.as_uri()}/js/", hash_bookmark: false, ga_measurement_id: null
}});
timeline.on("loaded", function () {{ window.built = true; }});
</script>
</body></html>
""",
        encoding="utf-8",
    )
    return page


@pytest.fixture
def seed_export(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    runner = CliRunner()
    env = {"NEGOTRACK_DB": str(tmp_path / "store.db")}
    assert runner.invoke(cli, ["ingest", "seeds/ukraine-peace.yaml"], env=env).exit_code == 0
    result = runner.invoke(cli, ["export", "ukraine-peace", "--format", "timelinejs", "-o", "u.json"], env=env)
    assert result.exit_code == 0, result.output
    return tmp_path / "u.json"


def test_timelinejs_builds_one_slide_per_event_with_no_error_and_no_request(seed_export, open_file, tmp_path):
    text = seed_export.read_text(encoding="utf-8")
    data = json.loads(text)
    assert len(data["events"]) == 47 and data["title"]["text"]["headline"] == "Russia–Ukraine peace negotiations"
    visit = open_file(timeline_page(tmp_path, text))
    visit.page.wait_for_function("window.built === true", timeout=15_000)
    slides = visit.page.eval_on_selector_all(".tl-storyslider .tl-slide", "els => els.map(e => e.id)")
    markers = visit.page.eval_on_selector_all(".tl-timenav .tl-timemarker", "els => els.length")
    eras = visit.page.eval_on_selector_all(".tl-timenav .tl-timeera", "els => els.length")
    assert len(slides) == 47 + 1  # the title slide and one per event
    assert set(slides) == {"thread-ukraine-peace"} | {e["unique_id"] for e in data["events"]}
    assert markers == 47
    assert eras == len(data["eras"]) == 7
    groups = visit.page.eval_on_selector_all(".tl-timegroup-message", "els => els.map(e => e.textContent)")
    assert {"Russia", "Ukraine", "United States"} <= set(groups)
    assert visit.console_errors == [] and visit.page_errors == []
    assert visit.foreign_requests == []


def test_timelinejs_shows_precision_and_escapes_text(seed_export, open_file, tmp_path):
    data = json.loads(seed_export.read_text(encoding="utf-8"))
    week = next(e for e in data["events"] if e["display_date"].startswith("week of "))
    assert "day" in week["start_date"]
    evil = {
        "start_date": {"year": 2025, "month": 3},
        "display_date": "March 2025",
        "text": {"headline": "&lt;img src=x onerror=alert(1)&gt; said", "text": "<blockquote>&lt;script&gt;</blockquote>"},
        "unique_id": "evil",
    }
    data["events"] = [week, evil]
    visit = open_file(timeline_page(tmp_path, json.dumps(data)))
    visit.page.wait_for_function("window.built === true", timeout=15_000)
    visit.page.evaluate("timeline.goToId('evil')")
    headline = visit.page.inner_text("#evil .tl-headline")
    assert headline == "<img src=x onerror=alert(1)> said"  # shown as text, not made an element
    assert visit.page.eval_on_selector_all("#evil img", "els => els.length") == 0
    assert visit.page.inner_text(f"#{week['unique_id']} .tl-headline-date") == week["display_date"]
    assert visit.console_errors == [] and visit.page_errors == [] and visit.foreign_requests == []
