"""The content digest is pinned: every store holds digests, and a re-ingest compares against them.

If the bytes hashed ever changed (a different encoder, escaping, key order or
spacing), every event already stored would read as "different content" on
its next ingest.  The text is negotrack's own canonical JSON (the standard
library's encoder with fixed options): ``speedups.canonical_json`` writes those
bytes, faster, for JSON data without floats, which a statement's content is.
"""

from __future__ import annotations

import hashlib

from negotrack.domain import events as ev
from negotrack.domain.rules import canonical_json, digest

CONTENT = {
    "type": "DemandIssued",
    "id": "d1",
    "summary": "\u00c9lan \u201cquoted\u201d \"x\" \\ tab\there\nnl \x01 \u2028 \u6f22 \U0001f389 </b>",
    "source": [{"ref": "s1", "quote": "q"}, {"ref": "s2"}],
    "of": ["BB", "AA"],
    "precondition": False,
    "provisions": [{"text": "t", "issue": "z"}],
    "date": "2024-02-29",
}

# keys sorted at every level, lists in their order, no spaces, non-ASCII as UTF-8, JSON escapes for
# the quote, the backslash and control characters (\u0001), U+2028 and "</" as themselves
GOLDEN = (
    b'{"date":"2024-02-29","id":"d1","of":["BB","AA"],"precondition":false,'
    b'"provisions":[{"issue":"z","text":"t"}],"source":[{"quote":"q","ref":"s1"},{"ref":"s2"}],'
    b'"summary":"\xc3\x89lan \xe2\x80\x9cquoted\xe2\x80\x9d \\"x\\" \\\\ tab\\there\\nnl \\u0001 '
    b'\xe2\x80\xa8 \xe6\xbc\xa2 \xf0\x9f\x8e\x89 </b>","type":"DemandIssued"}'
)
GOLDEN_SHA256 = "7c4fd4a54c3bd3deca9e931a96be6ac1ff1cf6fd7269da2ff45306c03e2e47fc"


def test_the_digest_text_is_these_bytes():
    assert canonical_json(CONTENT) == GOLDEN


def test_the_digest_is_the_sha256_of_those_bytes():
    assert hashlib.sha256(GOLDEN).hexdigest() == GOLDEN_SHA256
    assert digest(CONTENT) == GOLDEN_SHA256


def test_a_statement_digests_its_content_as_a_file_gives_it():
    statement = ev.ConcessionMade.model_validate(
        {"id": "c1", "type": "ConcessionMade", "date": "2024-03-01", "by": "AA", "issue": "fishing",
         "summary": "AA gives up \u00e9 quotas", "concession": "quotas", "source": {"ref": "hw", "quote": "q"}}
    )  # fmt: skip
    assert canonical_json(statement.content()) == (
        b'{"by":"AA","concession":"quotas","date":"2024-03-01","id":"c1","issue":"fishing",'
        b'"precision":"day","source":[{"quote":"q","ref":"hw"}],"summary":"AA gives up \xc3\xa9 quotas",'
        b'"type":"ConcessionMade"}'
    )


def _numbers(schema: object) -> list[str]:
    """The JSON-schema types "number" anywhere in ``schema``."""
    if isinstance(schema, dict):
        found = ["number"] if schema.get("type") == "number" else []
        return found + [n for v in schema.values() for n in _numbers(v)]
    if isinstance(schema, list):
        return [n for v in schema for n in _numbers(v)]
    return []


def test_no_statement_field_holds_a_float():
    """speedups.canonical_json is the standard library's text for data without floats: contents have none."""
    for name, cls in ev.STATEMENT_TYPES.items():
        assert _numbers(cls.model_json_schema()) == [], name
    with __import__("pytest").raises(ValueError):
        ev.PositionStated.model_validate(
            {"id": "p", "type": "PositionStated", "date": "2024-01-01", "by": "AA", "issue": "i", "summary": "s",
             "source": {"ref": "s"}, "stance": "supports", "order": 1.0}
        )  # fmt: skip
