"""When a quote is not in its source: the nearest passage, and where the two differ.

Both texts are already folded (``rules.fold_text``: white space runs to one
space, curly quotes straight, dashes '-').  The search is bounded whatever the
source's size (up to the 16 MiB source limit):

1. an anchor: the quote is cut in 2, then 4, 8, 16, 32 runs of whole words, and
   each run is looked up in the source with ``str.find`` (at most 62 scans of
   the source, each linear); the longest run found anchors the passage;
2. a window of the source around the anchor, the quote's length plus a margin
   either side, is aligned with the quote by ``difflib`` (quadratic only in
   the quote's length, which is capped);
3. the differences are widened to whole words, and at most three are told.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

MAX_QUOTE_CHARS = 2_000  # a longer quote is compared on its first 2,000 characters
MAX_PIECES = 32
MAX_OCCURRENCES = 5  # an anchor found more often: its first five places are tried
MAX_DIFFERENCES = 3
MAX_SHOWN = 160  # characters of the passage shown, around its first difference
MIN_RATIO = 0.6  # below this, no passage is close enough to show


@dataclass(frozen=True)
class Difference:
    quote: str  # the words of the quote
    source: str  # the words of the source in their place


@dataclass(frozen=True)
class Nearest:
    passage: str  # the source's passage the quote is nearest to
    differences: list[Difference]

    def describe(self) -> str:
        """One line, for a problem message."""
        parts = []
        for d in self.differences[:MAX_DIFFERENCES]:
            parts.append(f'the quote has "{d.quote}" where the source has "{d.source}"')
        more = len(self.differences) - MAX_DIFFERENCES
        tail = f" (and {more} more difference{'s' if more != 1 else ''})" if more > 0 else ""
        return f'nearest passage: "{self.passage}"; ' + "; ".join(parts) + tail


def nearest(quote: str, text: str) -> Nearest | None:
    """The passage of ``text`` nearest to ``quote`` (which is not in it), or None if none is close."""
    quote = quote[:MAX_QUOTE_CHARS]
    words = quote.split(" ")
    best: Nearest | None = None
    best_ratio = 0.0
    for anchor, offset in _anchors(words, text):
        start = 0
        for _ in range(MAX_OCCURRENCES):
            at = text.find(anchor, start)
            if at < 0:
                break
            start = at + 1
            found = _align(quote, text, at - offset)
            if found is not None and found[1] > best_ratio:
                best, best_ratio = found
        if best is not None:
            break
    return best if best_ratio >= MIN_RATIO else None


def _anchors(words: list[str], text: str) -> list[tuple[str, int]]:
    """The longest runs of the quote's words found in the text, with their offset in the quote."""
    pieces = 2
    while pieces <= MAX_PIECES:
        size = max(1, -(-len(words) // pieces))
        found = []
        for i in range(0, len(words), size):
            run = " ".join(words[i : i + size])
            if len(run) >= 4 and run in text:
                found.append((run, len(" ".join(words[:i])) + (1 if i else 0)))
        if found:
            return sorted(found, key=lambda f: -len(f[0]))
        if size == 1:
            break
        pieces *= 2
    return []


def _align(quote: str, text: str, estimate: int) -> tuple[Nearest, float] | None:
    margin = len(quote) // 2 + 20
    lo = max(0, estimate - margin)
    window = text[lo : estimate + len(quote) + margin]
    matcher = difflib.SequenceMatcher(None, quote, window, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    if not blocks:
        return None
    first, last = blocks[0], blocks[-1]
    # the passage: from the first to the last matching character, widened to whole words
    begin = _word_start(window, first.b - first.a) if first.a else _word_start(window, first.b)
    end = _word_end(window, last.b + last.size + (len(quote) - last.a - last.size))
    passage = window[begin:end].strip()
    if not passage:
        return None
    pm = difflib.SequenceMatcher(None, quote, passage, autojunk=False)
    differences = _differences(quote, passage, pm.get_opcodes())
    if not differences:
        return None
    return Nearest(_excerpt(passage, differences[0].source), differences), pm.ratio()


def _word_start(s: str, i: int) -> int:
    i = max(0, min(i, len(s)))
    while i > 0 and s[i - 1] != " ":
        i -= 1
    return i


def _word_end(s: str, i: int) -> int:
    i = max(0, min(i, len(s)))
    while i < len(s) and s[i] != " ":
        i += 1
    return i


def _differences(quote: str, passage: str, opcodes: list[tuple[str, int, int, int, int]]) -> list[Difference]:
    spans: list[list[int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        a1, a2 = _word_start(quote, i1), _word_end(quote, max(i2, i1 + (1 if i1 < len(quote) and quote[i1] == " " else 0)))
        b1, b2 = _word_start(passage, j1), _word_end(passage, max(j2, j1))
        # an insertion or deletion of a space touches the words on both sides of it
        if a1 == a2:
            a1, a2 = _word_start(quote, max(0, i1 - 1)), _word_end(quote, i1 + 1)
        if b1 == b2:
            b1, b2 = _word_start(passage, max(0, j1 - 1)), _word_end(passage, j1 + 1)
        if spans and a1 <= spans[-1][1] + 1 and b1 <= spans[-1][3] + 1:
            spans[-1][1], spans[-1][3] = max(spans[-1][1], a2), max(spans[-1][3], b2)
        else:
            spans.append([a1, a2, b1, b2])
    return [Difference(quote[a1:a2].strip(), passage[b1:b2].strip()) for a1, a2, b1, b2 in spans]


def _excerpt(passage: str, around: str) -> str:
    if len(passage) <= MAX_SHOWN:
        return passage
    at = max(0, passage.find(around))
    lo = _word_start(passage, max(0, at - MAX_SHOWN // 2))
    hi = _word_end(passage, lo + MAX_SHOWN)
    return ("…" if lo else "") + passage[lo:hi].strip() + ("…" if hi < len(passage) else "")
