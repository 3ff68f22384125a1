"""The matching rule of ``negotrack search``, defined once, in Python, for every backend.

An event's searchable text is its ``summary`` and the ``quote`` of each of
its sources.  Text is cut into *words*: runs of letters and digits, compared
without case and without accents (``Élysée`` is ``elysee``); everything else
(spaces, punctuation, hyphens, apostrophes, underscores) separates words, so
``100-percent`` and ``100- percent`` are both the words ``100`` ``percent``.

A query is cut into words the same way.  An event matches when **every**
query word begins **some** word of its searchable text (a prefix match:
``guarantee`` finds ``guarantees``; ``nato`` finds ``NATO``), in any field
and in any order.

The stores only look words up: the words of each event are computed here
and stored (:mod:`negotrack.store.search`), and the query's words are given
to SQLite FTS5 or to PostgreSQL's text search as they are, so both backends
give exactly the results of :func:`matches`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from negotrack.speedups import ascii_distinct_words

MAX_WORD = 64  # longer words are cut to this many characters (index and query alike)
MAX_QUERY_WORDS = 16
_FOLD_CACHE = 65_536  # characters whose folded form is kept

_ASCII_WORD = re.compile(r"[a-z0-9]+")


class _Fold(dict[int, str]):
    """str.translate's table: each character to its folded form; a separator to a space.

    A letter or digit becomes its lower-case form without accents (NFKD with the
    combining marks dropped, then case-folded); a combining mark becomes nothing
    (it belongs to the letter before it); anything else becomes a space.
    """

    def __missing__(self, code: int) -> str:
        c = chr(code)
        if unicodedata.category(c).startswith("M"):
            out = ""
        else:
            base = "".join(x for x in unicodedata.normalize("NFKD", c) if not unicodedata.category(x).startswith("M"))
            folded = base.casefold()
            out = folded if folded and folded.isalnum() else " "
        if len(self) < _FOLD_CACHE:  # bounded: a hostile text can't grow it without end
            self[code] = out
        return out


_FOLD = _Fold()


def words(text: str) -> list[str]:
    """The words of ``text``, folded, in order (repeats kept)."""
    if text.isascii():  # the common case, and the same words the general path gives
        found = _ASCII_WORD.findall(text.lower())
    else:
        found = text.translate(_FOLD).split()
    return [w[:MAX_WORD] for w in found]


def searchable(body: Mapping[str, Any]) -> list[tuple[str, str | None, str]]:
    """An event's searchable fields as (field, source, text): its summary, then each source's quote."""
    out: list[tuple[str, str | None, str]] = []
    summary = body.get("summary")
    if isinstance(summary, str) and summary:
        out.append(("summary", None, summary))
    sources = body.get("source")
    for s in sources if isinstance(sources, list) else ():
        quote = s.get("quote") if isinstance(s, Mapping) else None
        if isinstance(quote, str) and quote:
            out.append(("quote", s.get("ref"), quote))
    return out


def index_words(body: Mapping[str, Any]) -> str:
    """What the search index stores of an event: its distinct words, sorted, separated by spaces.

    The words of :func:`searchable`'s texts, as :func:`words` cuts them, in one
    pass over their join (a space between them gives the same words): this runs
    for every event ingested, so the texts are gathered here as :func:`searchable`
    finds them, and ASCII text (the common case) is cut by
    :func:`negotrack.speedups.ascii_distinct_words`.
    """
    summary = body.get("summary")
    parts = [summary] if isinstance(summary, str) and summary else []
    sources = body.get("source")
    for s in sources if isinstance(sources, list) else ():
        quote = s.get("quote") if isinstance(s, Mapping) else None
        if isinstance(quote, str) and quote:
            parts.append(quote)
    joined = " ".join(parts)
    if joined.isascii():
        return ascii_distinct_words(joined, MAX_WORD)
    found = set(joined.translate(_FOLD).split())
    if found and max(map(len, found)) > MAX_WORD:
        found = {w[:MAX_WORD] for w in found}
    return " ".join(sorted(found))


def query_words(query: str) -> list[str]:
    """The words a query asks for (distinct, in the order given)."""
    return list(dict.fromkeys(words(query)))[:MAX_QUERY_WORDS]


def matches(indexed: str, wanted: Iterable[str]) -> bool:
    """The rule itself, on an event's stored words: every wanted word begins one of them."""
    have = indexed.split()
    return all(any(w.startswith(q) for w in have) for q in wanted)


def marks(text: str, wanted: list[str]) -> list[tuple[int, int]]:
    """Where in ``text`` the words that match a query word are: (start, end) offsets, in order."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    folded = ""
    for i, c in enumerate(text + " "):
        out = c.lower() if c.isascii() and c.isalnum() else (" " if c.isascii() else _FOLD[ord(c)])
        if out == " ":
            if start is not None:
                word = folded[:MAX_WORD]
                if word and any(word.startswith(q) for q in wanted):
                    spans.append((start, i))
                start, folded = None, ""
            continue
        if start is None:
            start = i
        folded += out
    return spans
