"""negotrack.speedups writes and reads the very JSON the standard library does, whatever the text holds."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from negotrack import speedups

HOSTILE = st.sampled_from(["\x00\x1f\x7f\x9f\"\\/", "\u2028\u2029\u202e\ufeff", "é漢🎉", "a\nb\tc\r\x08\x0c", "\ud800"])
TEXT = st.text(max_size=30) | HOSTILE


def json_data(text: st.SearchStrategy[str]) -> st.SearchStrategy[object]:
    """JSON data (no floats: negotrack writes none) whose strings and keys are drawn from ``text``."""
    return st.recursive(
        st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70) | text,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
        max_leaves=30,
    )


JSON = json_data(TEXT)


@settings(max_examples=400, deadline=None)
@given(JSON)
def test_the_fast_texts_are_the_standard_librarys(data):
    assert speedups.dumps_indented(data) == json.dumps(data, ensure_ascii=False, indent=2)
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert speedups.dumps_compact(data) == compact
    if not _surrogate(data):  # the digest's text is UTF-8, which has no lone surrogate (neither path writes one)
        assert speedups.canonical_json(data) == json.dumps(
            data, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")
    if not _big_int(data):  # loads reads what negotrack wrote: no integer past 64 bits
        assert speedups.loads(compact) == json.loads(compact)


def _surrogate(data: object) -> bool:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _big_int(data: object) -> bool:
    if isinstance(data, bool) or data is None or isinstance(data, str):
        return False
    if isinstance(data, int):
        return not -(2**63) <= data < 2**64
    values = data.values() if isinstance(data, dict) else data
    return any(_big_int(v) for v in values)  # type: ignore[union-attr]


def test_a_state_document_is_written_the_same():
    doc = {"thread": "t", "as_of": "2025-01-01", "known_at": None,
           "issues": {"i": {"title": "Zölle «x»", "status": "open", "stances": {}, "items": {
               "e1": {"kind": "demand", "by": "AA", "responses": {"BB": {"response": "accepted", "date": "2025-01-01"}},
                      "summary": "a\u202eb\x1b[31m", "text": None}}, "agreement": None, "last_event": None}}}  # fmt: skip
    assert speedups.dumps_indented(doc) == json.dumps(doc, ensure_ascii=False, indent=2)


def _for_scripts(data: object) -> str:
    """What negotrack prints for scripts, written plainly: json's indented text, then the invisible characters escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return re.sub(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group(0)):04x}", text)


INVISIBLE = st.sampled_from(["\x7f", "\x80", "\x9f", "\xa0«é»", "\u2028", "\u202a", "\u202e", "\u2066", "\u2069", "\u2026"])
SCRIPT_TEXT = TEXT | st.lists(TEXT | INVISIBLE, max_size=4).map("".join)
SCRIPT_JSON = json_data(SCRIPT_TEXT)  # with the characters the printed JSON escapes


@settings(max_examples=400, deadline=None)
@given(SCRIPT_JSON)
def test_the_printed_json_is_the_plain_text(data):
    assert speedups.dumps_for_scripts(data) == _for_scripts(data)


def test_each_invisible_character_alone_is_escaped():
    for code in [*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]:
        doc = {"k": f"a{chr(code)}b", chr(code): [chr(code)]}
        assert speedups.dumps_for_scripts(doc) == _for_scripts(doc)
        assert chr(code) not in speedups.dumps_for_scripts(doc)



def test_the_canonical_text_is_the_standard_librarys_for_every_character():
    for start in range(0, 0x110000, 0x800):
        chars = "".join(chr(c) for c in range(start, start + 0x800) if not 0xD800 <= c < 0xE000)
        doc = {"k": chars, chars[:3]: [chars[::-1]], "a": {"z": chars[:1], "b": None}}
        assert speedups.canonical_json(doc) == json.dumps(
            doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")


def test_the_canonical_text_falls_back_where_orjson_refuses():
    for doc in ({"n": 2**64}, {"n": -(2**63) - 1}, [{"b": 2**70, "a": "x"}]):
        assert speedups.canonical_json(doc) == json.dumps(
            doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")
        ).encode("utf-8")


# Letters that re.IGNORECASE equates with others in ways str.lower() does not (İ/i, ı/I, ſ/s, K/k, ẞ/ß) and accents.
LETTERS = "abiksz" + "ABIKSZ" + "İıſKẞßéÉčČ"
NAME = st.text(alphabet=LETTERS, min_size=1, max_size=6)


def _variant(word: str, data: st.DataObject) -> str:
    """``word`` with each letter swapped, at random, for one the regular expression equates with it."""
    same = {"i": "Iİı", "I": "iİı", "s": "Sſ", "S": "sſ", "k": "KK", "K": "kK", "ß": "ẞ", "é": "É", "č": "Č"}
    return "".join(data.draw(st.sampled_from(c + same.get(c, c.swapcase()))) for c in word)


@settings(max_examples=300, deadline=None)
@given(st.lists(NAME, min_size=1, max_size=3), st.data())
def test_the_attribution_filter_never_skips_a_mention(names, data):
    from negotrack.draft.attribute import Lexicon

    parties = {f"p{i}": {"name": " ".join([n, n[::-1]]) if i % 2 else n} for i, n in enumerate(names)}
    actors = {"a0": {"name": f"{names[0]} {names[-1]}Ova", "party": "p0", "role": f"{names[-1]} minister"}}
    lex = Lexicon(parties, actors)
    plain = Lexicon(parties, actors)
    plain.patterns = [(pat, key, kind, how, "") for pat, key, kind, how, _ in plain.patterns]  # every pattern runs
    plain._roles = [(pat, aid, "") for pat, aid, _ in plain._roles]
    words = [_variant(w, data) for n in names for w in n.split()] + [_variant(f"{names[-1]} minister", data)]
    text = " ".join(data.draw(st.permutations(words + ["said", "ıts", "ſo"])))
    assert lex._mentions(text) == plain._mentions(text)
