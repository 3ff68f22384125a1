"""A real browser for the tests here: Debian's Chromium driven by playwright-python.

The browser is ``/usr/bin/chromium`` (or ``NEGOTRACK_TEST_CHROMIUM``), launched
headless with the network kept shut: every request a page makes is recorded,
and any request other than the page's own ``file://`` URL is aborted, so a test
can assert that a page needs nothing from outside.  ``playwright install`` is
never used (it downloads a browser of its own).  Without a browser or without
playwright these tests skip, saying why; in CI (``CI=true``) they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("NEGOTRACK_TEST_CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(os.environ.get("NEGOTRACK_TEST_ARTIFACTS", Path(__file__).resolve().parents[2] / "build" / "test-artifacts"))


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _unavailable(reason: str) -> None:
    if _in_ci():
        pytest.fail(f"CI is set but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"no browser: {reason}")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """One headless Chromium for the whole session."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"{CHROMIUM} not found (Debian: apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """A page opened from a file, with every request and console error it made."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    @property
    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if u != self.url]

    def screenshot(self, name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def open_file(chromium: Any) -> Iterator[Any]:
    """``open_file(path, width=1280, height=800)`` → a :class:`Visit` of that file, offline."""
    contexts: list[Any] = []

    def _open(path: Path, width: int = 1280, height: int = 800) -> Visit:
        context = chromium.new_context(viewport={"width": width, "height": height}, offline=True)
        contexts.append(context)
        page = context.new_page()
        visit = Visit(page, Path(path).resolve().as_uri())

        def on_request(route: Any) -> None:
            visit.requests.append(route.request.url)
            if route.request.url == visit.url:
                route.continue_()
            else:
                route.abort()

        page.route("**/*", on_request)
        page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
        page.goto(visit.url, wait_until="load")
        return visit

    yield _open
    for context in contexts:
        context.close()
