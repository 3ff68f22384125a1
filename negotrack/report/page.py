"""The report's page: one self-contained HTML file, its script, style and data inline.

The template, the style sheet and the script are package data
(``negotrack/report/assets/``), read and inlined here.  The page declares a
Content-Security-Policy that allows no request at all: the inline script and
style are allowed by their SHA-256 hashes, nothing else may load.  The data are
JSON inside ``<script type="application/json">`` blocks, escaped so that no
text from a source (``</script>``, ``<!--``, U+2028) can end the block; the
script inserts every text with ``textContent``, never as markup.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from importlib.resources import files
from typing import Any

_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_TABLE = str.maketrans(_ESCAPES)
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def asset(name: str) -> str:
    return (files("negotrack.report") / "assets" / name).read_text(encoding="utf-8")


def json_for_html(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>``, ``&``, U+2028 or U+2029 left raw."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_TABLE)


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def csp(script: str, style: str) -> str:
    return (
        f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(style)}'; "
        "img-src data:; font-src 'none'; connect-src 'none'; base-uri 'none'; form-action 'none'"
    )


def render(data: dict[str, Any], details: list[dict[str, Any]]) -> str:
    """The whole page as text."""
    script = asset("report.js")
    style = asset("report.css")
    for name, text, end in (("report.js", script, "</script"), ("report.css", style, "</style")):
        if end in text.lower():  # pragma: no cover - a packaging mistake, caught by the tests
            raise ValueError(f"{name} holds {end!r}: it would end its own element")
    chunk = data["detail_chunk"]
    blocks = "\n".join(
        f'<script type="application/json" id="detail-{n // chunk}">{json_for_html(details[n : n + chunk])}</script>'
        for n in range(0, len(details), chunk)
    )
    title = data["thread"]["title"]
    parts = {
        "csp": html.escape(csp(script, style), quote=False).replace('"', "&quot;"),
        "title": html.escape(f"{title}: negotrack report", quote=True),
        "style": style,
        "details": blocks,
        "data": json_for_html(data),
        "script": script,
    }
    # one pass over the template: a text from a source that reads "{{data}}" is never a placeholder
    return _PLACEHOLDER.sub(lambda m: parts[m.group(1)], asset("report.html"))
