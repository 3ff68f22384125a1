"""The browser harness itself: a page's requests are seen and stopped, its errors are caught."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_a_request_to_the_network_is_recorded_and_blocked(open_file: Any, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(
        "<!doctype html><title>t</title><img src='https://example.invalid/x.png'>"
        "<script>document.title = 'ran'</script>",
        encoding="utf-8",
    )
    visit = open_file(page)
    assert visit.page.title() == "ran"
    assert visit.foreign_requests == ["https://example.invalid/x.png"]


def test_a_script_error_is_caught(open_file: Any, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text("<!doctype html><title>t</title><script>undefinedFunction()</script>", encoding="utf-8")
    visit = open_file(page)
    assert visit.page_errors and "undefinedFunction" in visit.page_errors[0]
    assert visit.foreign_requests == []
