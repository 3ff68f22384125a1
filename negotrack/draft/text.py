"""Raw article text → the sentences worth reading, each with its exact place in the text.

Articles arrive as captured: error pages ("403"), bylines, disclaimers, "keep
reading" lists, paragraphs printed twice.  Nothing here edits the text: every
sentence is a span ``text[start:end]`` of the article, so a quote taken from it
is verbatim, and the furniture is only skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Loose form for comparing paragraphs: straight quotes, one space, lower case."""
    return _SPACE.sub(" ", text.translate(_QUOTES)).strip().lower()


@dataclass(frozen=True)
class Sentence:
    start: int  # span in the article text
    end: int
    text: str  # == article[start:end]
    paragraph: int  # index of its paragraph among the kept ones
    line: int  # 1-based line of the article where it starts
    headline: bool = False  # a title line, not a sentence of the body


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    line: int
    also_at: list[int] = field(default_factory=list)  # lines where the same paragraph is printed again
    headline: bool = False


# Lines that are page furniture whatever their length.
_FURNITURE = re.compile(
    r"""^\s*(?:
        \d{3}                                   # an HTTP status ("403")
      | sorry!*                                 # error pages
      | error!?.*(?:page|not\s+found|doesn'?t\s+exist|does\s+not\s+exist).*
      | (?:page\s+)?not\s+found
      | comments?|no\s+comments?|leave\s+a\s+(?:comment|reply)
      | share(?:\s+this)?(?:\s+article)?|print|email|advertisement|advert|sponsored
      | (?:related|recommended|more|read\s+more|also\s+read|most\s+read|trending|popular)(?:\s+(?:stories|articles|news|posts))?:?
      | keep\s+reading|continue\s+reading|read\s+next|you\s+may\s+also\s+like
      | by|by\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}   # a byline
      | [A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s+avatar # a blog's author widget
      | (?:photo|image|file\s+photo|picture)\b.*
      | (?:©|\(c\)|copyright)\b.*
      | (?:tags?|topics?|filed\s+under)\s*:.*
      | (?:subscribe|sign\s+up|newsletter|follow\s+us|download\s+(?:our|the)\s+app)\b.*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
# A line that starts a block of furniture running to the end of the text.
_TAIL = re.compile(
    r"^\s*(?:legal\s+disclaimer|disclaimer|keep\s+reading|read\s+more|related(?:\s+(?:articles|stories|news))?|more\s+from|recommended|most\s+read|you\s+may\s+also\s+like)\s*:?\s*$",
    re.IGNORECASE,
)
_DISCLAIMER_WORDS = re.compile(r"\b(?:warranty|liability|copyright|all rights reserved|terms of use|cookies?|privacy policy)\b", re.I)
_BULLET = re.compile(r"^\s*(?:[•·▪►*]|-\s)")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][\w'’.-]*")


def _is_furniture(line: str) -> bool:
    s = line.strip()
    if not s:
        return True
    if _FURNITURE.match(s):
        return True
    if _DISCLAIMER_WORDS.search(s) and len(_WORD.findall(s)) < 60:
        return True
    return False


def _looks_like_headline(line: str) -> bool:
    s = line.strip()
    words = _WORD.findall(s)
    if not 4 <= len(words) <= 25 or s[-1:] in ".!?”\"":
        return False
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= len(words) * 0.5 or ":" in s


def paragraphs(text: str) -> list[Paragraph]:
    """The article's paragraphs (one per line), furniture dropped, repeats folded into the first."""
    out: list[Paragraph] = []
    seen: dict[str, Paragraph] = {}
    pos = 0
    lines = text.split("\n")
    for number, raw in enumerate(lines, start=1):
        start, pos = pos, pos + len(raw) + 1
        line = raw.rstrip("\r")
        if _TAIL.match(line):
            break
        if _is_furniture(line):
            continue
        stripped = line.strip()
        lead = len(line) - len(line.lstrip())
        words = _WORD.findall(stripped)
        headline = _looks_like_headline(stripped)
        if _BULLET.match(line) and len(words) < 12:
            continue  # a list of links or teasers
        if len(words) < 6 and not headline and not (len(words) >= 4 and stripped[-1:] in ".!?”\""):
            continue  # a label, a menu item, a caption fragment (a short sentence stays)
        key = fold(stripped)
        if key in seen:
            seen[key].also_at.append(number)
            continue
        p = Paragraph(start + lead, start + lead + len(stripped), stripped, number, headline=headline)
        seen[key] = p
        out.append(p)
    if len(out) >= 2 and not any(p.headline for p in out[:1]) and _first_line_title(out[0], out[1]):
        out[0].headline = True  # a title in sentence case, full stop and all
    return out


def _first_line_title(first: Paragraph, second: Paragraph) -> bool:
    """The article's first line is its title when it is one short sentence and a longer paragraph follows."""
    words = len(_WORD.findall(first.text))
    one_sentence = not _END.search(first.text.rstrip(".!?\"'”’ "))
    return one_sentence and 5 <= words <= 22 and len(_WORD.findall(second.text)) > 1.5 * words


# Where a sentence may end: . ! ? (and a closing quote or bracket after it), then space and a capital or a quote.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Sen|Rep|Gov|Sgt|St|Jr|Sr|Inc|Ltd|Co|Corp|No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)|\b[A-Z](?:\.[A-Z])*)\.$"
)


def sentences(text: str) -> list[Sentence]:
    """The sentences of the article's kept paragraphs, in order, with their spans."""
    out: list[Sentence] = []
    for index, p in enumerate(paragraphs(text)):
        if p.headline:
            out.append(Sentence(p.start, p.end, p.text, index, p.line, headline=True))
            continue
        begin = 0
        body = p.text
        for m in _END.finditer(body):
            end = m.end()
            if _ABBREV.search(body[begin : m.start() + 1]) and not body[m.start() : m.end()].startswith(("!", "?")):
                continue
            if _inside_quote(body, begin, end):
                continue
            _emit(out, p, index, begin, end)
            begin = end
            while begin < len(body) and body[begin].isspace():
                begin += 1
        if begin < len(body):
            _emit(out, p, index, begin, len(body))
    return out


def _inside_quote(body: str, begin: int, end: int) -> bool:
    """True when an opening curly quote in body[begin:end] is still open (the quote goes on)."""
    chunk = body[begin:end]
    opened = chunk.count("“") - chunk.count("”")
    return opened > 0 and "”" in body[end:]


def _emit(out: list[Sentence], p: Paragraph, index: int, begin: int, end: int) -> None:
    s = p.text[begin:end].strip()
    if not s:
        return
    lead = p.text[begin:end].find(s[0])
    start = p.start + begin + lead
    out.append(Sentence(start, start + len(s), s, index, p.line))


def repeats(text: str) -> dict[int, list[int]]:
    """Line of a kept paragraph → the lines where it is printed again."""
    return {p.line: p.also_at for p in paragraphs(text) if p.also_at}
