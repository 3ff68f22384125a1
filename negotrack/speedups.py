"""negotrack's speed tricks, all of them: each one here is worth more than 3% of a benchmark figure.

Each says what it replaces, what it gains (measured with ``benchmarks/run.py``
and the stage breakdown of ``benchmarks/probe.py state-stages``, on the
2-core machine, beside the plain code in the same run), and what holds it to
giving the same answer as the plain code (a test).  None relies on a
library's private internals: orjson is used through its documented API, and
every function falls back to the standard library where orjson refuses a
value (a lone surrogate, an integer past 64 bits) or is not installed.

Two tricks read or write the event store's own stored format and so live
beside its mapper, in :mod:`negotrack.store.application`: ``recorded_state``
(ingest writes a statement's stored bytes without building its event) and
``PydanticMapper.stored_rec`` (export reads them back without decoding the
event), each with its gain and the test that holds it to the plain code.

A leaf module (standard library and orjson only), so every layer may use it.
The one trick of the ``negotrack`` process itself (the cyclic collector off for
the whole command) is in :mod:`negotrack.process`, with its gain: it must not
run in a host process such as pytest or a notebook.  What a host process gets
instead is :func:`collector_paused`, around a query only, which leaves the
collector as it found it.
"""

from __future__ import annotations

import gc
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; the plain code still answers the same
    orjson = None  # type: ignore[assignment]

_INDENTED = json.JSONEncoder(ensure_ascii=False, indent=2).encode
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def dumps_indented(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=2)``, the same text.

    The standard library writes indented JSON in pure Python (its C encoder
    only writes it unindented): the state of a 100,000-event thread (15 MB,
    14,000-37,000 items) took 0.87 s of a cold ``state --json`` of 1.2 s;
    orjson writes the same bytes in 0.05 s (measured: 0.19 s against 3.0 s
    on a loaded machine, 16x). tests/property/test_speedups.py holds the two
    texts equal.
    """
    if orjson is not None:
        try:
            return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode("utf-8")
        except TypeError:  # a lone surrogate or a huge int: the plain encoder writes them
            pass
    return _INDENTED(data)


# What negotrack's JSON for scripts escapes beyond json.dumps(ensure_ascii=False): DEL, the C1
# controls and the bidirectional overrides and isolates (a terminal or an editor would act on them).
_INVISIBLE = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _invisible_escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group(0)):04x}"


def dumps_for_scripts(data: Any) -> str:
    """The JSON negotrack prints (``render.to_json``): the text of :func:`dumps_indented`, with the
    characters of ``_INVISIBLE`` written as ``\\uXXXX`` escapes.

    The escapes are a regular-expression pass over the whole text: 65 ms on
    the 21 MB state at the end of the uniform 100,000-event thread, nearly
    three times orjson's whole encoding (24 ms).  Every one of those characters is
    DEL (byte 0x7f) or begins with byte 0xc2 or 0xe2 in UTF-8, and finding a
    byte in orjson's output is a memchr (under 1 ms each): the pass runs only
    when one of them is there.  tests/property/test_speedups.py holds the
    text to ``json.dumps(...)`` and the regular expression's.
    """
    if orjson is not None:
        try:
            raw = orjson.dumps(data, option=orjson.OPT_INDENT_2)
        except TypeError:  # a lone surrogate or a huge int: the plain encoder writes them
            pass
        else:
            text = raw.decode("utf-8")
            if b"\x7f" not in raw and b"\xc2" not in raw and b"\xe2" not in raw:  # lead bytes: never inside another character
                return text
            return _INVISIBLE.sub(_invisible_escape, text)
    return _INVISIBLE.sub(_invisible_escape, _INDENTED(data))


def dumps_compact(data: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``, the same text.

    For the checkpoints (a dump of the fold: 8.5 MB at the end of a
    100,000-event thread, one every 4,000 events) and read-model bodies:
    about 4x faster than the C encoder of the standard library.
    """
    if orjson is not None:
        try:
            return orjson.dumps(data).decode("utf-8")
        except TypeError:
            pass
    return _COMPACT(data)


def loads(text: str | bytes) -> Any:
    """``json.loads(text)`` of JSON negotrack wrote: the same data, about twice as fast.

    A checkpoint of 8.5 MB: 0.23 s against 0.48 s.  Only for negotrack's own
    JSON (checkpoints, read-model bodies): orjson reads an integer past 64
    bits as a float, and negotrack writes none.
    """
    if orjson is not None:
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:  # e.g. a lone surrogate escape, which json reads
            pass
    return json.loads(text)


# PostgreSQL's JIT compiler off for negotrack's sessions (libpq's ``options``, a documented server setting).
# Every query negotrack makes reads or writes one thread through an index; JIT pays off only for long
# CPU-bound analytic queries, and PostgreSQL starts it by the planner's cost estimate alone.  On a store
# whose tables have no statistics (autovacuum off, or not yet run: this project's machine has it off) the
# planner guesses ~186,000 rows for a thread's stored events in a 10,000,000-event store, and compiled
# each such query: 20-430 ms apiece.  Measured on that store, one ingest of 100 threads of 1,000 events,
# two runs each: server CPU 9.1-9.8 s and wall 15-19 s with JIT, 3.4-3.5 s and 10 s without; a fresh
# store: 2.6-3.0 s and 9-14 s either way.  ``benchmarks/scale.py`` prints the fall (wall 0.75x at 10M with
# JIT).  A URL's own ``options`` come after this one, so a user's ``-c jit=on`` still wins.
POSTGRES_OPTIONS = "-c jit=off"


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused for the block, then enabled again if it was.

    A query in a host process (the Python API in a notebook, the scenario
    runner, a test) loads a checkpoint of tens of thousands of dicts and
    lists and folds on from it: each allocation of that many containers
    triggers collections, full ones included, that walk them all and find
    nothing to free (the fold makes no reference cycles; what it drops,
    reference counting frees).  What the block made and still holds (the
    state it returns) is then moved to the oldest generation at once
    (``gc.freeze()`` then ``gc.unfreeze()``), or the first young collection
    after would walk it all; only when the host has frozen nothing, so that
    no object of the host's is thawed.  Measured, ``state`` called 10 times
    in one process (CPU, median, 3 interleaved runs, beside the pre-round-2
    code, which paused and froze on every query): the project's 100,000-event
    thread at its end, warm 92 -> 67 ms (base 75 ms), first call 112 -> 90 ms
    (base 229 ms); the uniform thread at its end, warm 169 -> 127 ms (base
    180 ms).  Nothing is left frozen, thresholds are untouched, a collector
    that was off stays off: the ``negotrack`` process has it off already
    (:mod:`negotrack.process`), so its commands are unchanged.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:  # the host froze nothing: unfreeze can thaw only what freeze just froze
            gc.freeze()
            gc.unfreeze()
        gc.enable()


# A probe of what could differ between orjson's sorted output and the standard library's: every
# character up to U+00FF (the escapes: quote, backslash, the controls), the separators and the
# byte-order mark json leaves as they are, astral characters, keys to sort at two levels, the
# 64-bit integer bounds, booleans and null.
_PROBE: Any = {
    "z": ["".join(map(chr, range(0x100))), "\u2028\u2029\u202e\ufeff\uffff\u6f22\U0001f389\U0010ffff"],
    "a": {"y": -(2**63), "b": 2**64 - 1, "\u00e9": [True, False, None, 0, -1, {}, []], "B": ""},
    "\U0001f389": 1, "\uffff": 2, "\u00ff": 3, "A": 4,
}
_CANONICAL_FAST: list[bool] = []  # one answer, found on first use: does orjson write the canonical text?


def canonical_json(data: Any) -> bytes:
    """``json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` in UTF-8: the same bytes.

    The text of the content digest (``domain.rules.canonical_json``), computed for
    every event ingested.  The standard library writes it in 4.4 us an event
    (its C encoder, and the Python around it for ``sort_keys``); orjson with its
    documented ``OPT_SORT_KEYS`` in 1.1-1.9 us: 100,000-event NDJSON ingest, about
    0.35 s of CPU less (micro-benchmark of the thread's 100,000 contents: 0.44 s
    against 0.11-0.20 s).

    For JSON data without floats (a statement's content holds none: no field of
    a statement is a float, tests/unit/test_digest.py checks the models). The
    digests every store holds are of this text, so it must never change: orjson is
    used only if, on first use, it writes the standard library's bytes for
    ``_PROBE`` (every escape and ordering question JSON data without floats can
    raise); a lone surrogate or an integer past 64 bits, which orjson refuses,
    are written by the standard library.  tests/property/test_speedups.py holds the
    two texts equal, tests/unit/test_digest.py pins the bytes.
    """
    if not _CANONICAL_FAST:
        _CANONICAL_FAST.append(_orjson_is_canonical())
    if _CANONICAL_FAST[0]:
        try:
            return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # a lone surrogate or a huge int: the plain encoder writes them
            pass
    return _CANONICAL(data).encode("utf-8")


def _orjson_is_canonical() -> bool:
    if orjson is None:
        return False
    try:
        return orjson.dumps(_PROBE, option=orjson.OPT_SORT_KEYS) == _CANONICAL(_PROBE).encode("utf-8")
    except TypeError:  # pragma: no cover - an orjson that refuses the probe: the plain encoder it is
        return False


# bytes.translate's table for ASCII text: a letter or digit to its lower case, anything else to a space.
_ASCII_FOLD = bytes(ord(chr(c).lower()) if chr(c).isalnum() else 0x20 for c in range(128)) + b" " * 128


def ascii_distinct_words(text: str, max_word: int) -> str:
    """``textsearch``'s words of an ASCII ``text`` (runs of letters and digits, lower-cased, each cut to
    ``max_word`` characters), distinct, sorted and joined by spaces.

    The index's words of every event ingested (``textsearch.index_words``): the
    regular expression ``[a-z0-9]+`` over ``text.lower()`` took 0.77 s for the
    100,000 events of the benchmark's thread; one ``bytes.translate`` and
    ``split`` 0.54 s (micro-benchmark, same machine, same run): about 3% of the
    ingest's CPU.  tests/property/test_textsearch.py holds it to ``textsearch.words``.
    """
    found = set(text.encode("ascii").translate(_ASCII_FOLD).split())
    if found and max(map(len, found)) > max_word:
        found = {w[:max_word] for w in found}
    return b" ".join(sorted(found)).decode("ascii")


def folded(text: str) -> str:
    """``text`` reduced so that whatever a regular expression built from a word matches in it
    (``re.IGNORECASE`` or not), that word's :func:`needle` is a substring of this.

    With :func:`needle`, the draft's attribution (``negotrack.draft.attribute.Lexicon``)
    skips each alias pattern whose word a sentence lacks, instead of running every
    pattern of every actor and party on every sentence.  Measured with
    ``benchmarks/extraction.py --tuning``, the plain code and this alternated twice in
    one session: time per seed article 76-82 ms -> 50-61 ms, the other sets' 19-34 ms ->
    17-24 ms; a 10,000-sentence text drafted in 18.6 s -> 8.4 s; the drafts byte for byte
    the same.  tests/property/test_speedups.py holds it to never skipping a match.

    Case folded; after NFKD, accents and every other non-ASCII character dropped, so that
    "ſ", "K" (Kelvin) and "İ", which ``re.IGNORECASE`` equates with ASCII letters, become
    those letters; and the dotless "ı" (which it equates with "i") made "i".  A filter
    only: a pattern it keeps may still find nothing.
    """
    if text.isascii():
        return text.lower()
    return unicodedata.normalize("NFKD", text.replace("ı", "i").casefold()).encode("ascii", "ignore").decode("ascii")


def needle(words: str) -> str:
    """The longest word of a pattern's literal ``words``, :func:`folded` (empty: the pattern always runs)."""
    return max((folded(w) for w in words.split()), key=len, default="")
