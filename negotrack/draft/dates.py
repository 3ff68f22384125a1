"""When a statement was made, from the words of its sentence and the report's date.

"on Tuesday" is the last Tuesday on or before the report; "last week" is a week
before it (precision week); "in March" the first of that month (precision month);
"in 2019" the first of that year (precision year, contract v1.1);
"recently", "previously" the report's date with precision week.  A date after the
report, or a sentence in the future tense, says nothing about when it was said; nor
does a day something takes effect ("starting November 1", "by March 3"), nor a month and
day within three months after the report (it is to come: "November 1" in an October report
is not last year's).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"],
    start=1,
)}
_MON = {**MONTHS, **{k[:3]: v for k, v in MONTHS.items()}, "sept": 9}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_M = r"(January|February|March|April|May|June|July|August|September|Sept?|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Oct|Nov|Dec)\.?"
_FULL_MDY = re.compile(_M + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_FULL_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _M + r",?\s+(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MD = re.compile(r"\b" + _M + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s*\d{4})(?!\s*(?:to|-|–)\s*\d)")
_MY = re.compile(r"\b(?i:in|since|of|during)\s+(?i:early\s+|late\s+|mid-?)?" + _M + r"(?:\s+(\d{4}))?\b")
# "in 2019", "at the 2008 summit" (an occasion it was said at), not "in the 1994 genocide" (another event's year)
_YEAR = re.compile(r"\b(?i:in|since|of|during|by)\s+(?:early\s+|late\s+|mid-?)?((?:19|20)\d{2})\b|\b(?i:at|during)\s+the\s+((?:19|20)\d{2})\b")
_WEEKDAY = re.compile(r"\b(?i:on\s+|last\s+|this\s+past\s+|a\s+)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?:['’]s)?\b")
_RELATIVE = [
    (re.compile(r"\byesterday\b", re.I), -1, "day"),
    (re.compile(r"\b(?:today|this morning|this afternoon|tonight)\b", re.I), 0, "day"),
    (re.compile(r"\blast\s+week\b|\ba\s+week\s+ago\b", re.I), -7, "week"),
    (re.compile(r"\b(?:this|earlier this|over the)\s+(?:week|weekend)\b|\bin recent days\b|\brecently\b|\bpreviously\b|\bearlier\b|\bhas long\b|\bhave long\b|\blongstanding\b|\brepeatedly\b", re.I), 0, "week"),
    (re.compile(r"\blast\s+month\b|\ba\s+month\s+ago\b", re.I), -30, "month"),
    (re.compile(r"\b(?:this|earlier this)\s+month\b", re.I), 0, "month"),
]
_WHEN = re.compile(r"\bwhen\b[^,;:.!?]*$", re.I)
SOON = 92  # days: a month and day this close after the report is to come, not last year's
_EFFECT = re.compile(r"\b(?:starting|beginning|effective|from|by|until|till|as of|deadline of)\s+(?:on\s+)?$", re.I)
_LOCAL_TIME = re.compile(r"\blocal time\b", re.I)
_LATE_LAST_MONTH = re.compile(r"\blate\s+last\s+month\b", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|is due to|are due to|is expected to|are expected to|is set to|are set to|next|upcoming|anticipated)\b", re.I)


@dataclass(frozen=True)
class Dated:
    date: date
    precision: str  # day | week | month | year
    cue: str  # the words that dated it ("" for the report's date)
    shifted: bool = False  # reckoned back from another clause's date ("two days after …"): no other statement's day


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


_NUMBER = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
# "The move came two days after the two sides agreed …": the move told of after it, that long before the main clause's
SPAN_AFTER = re.compile(r"\b(an?|one|two|three|four|five|six|seven|\d{1,2})\s+(days?|weeks?)\s+after\b", re.I)


def date_of(sentence: str, published: date, at: int | None = None) -> Dated:
    """The statement's date: the first dating expression of the sentence that fits, else the report's.

    ``at``, where the statement's cue is: a cue after "two days after" is dated two
    days before the clause ahead of it.
    """
    if at is not None:
        spans = [m for m in SPAN_AFTER.finditer(sentence, 0, at)]
        if spans and not _FUTURE.search(sentence, 0, spans[-1].start()):
            m = spans[-1]
            n = int(m[1]) if m[1].isdigit() else _NUMBER[m[1].lower()]
            base = date_of(sentence[: m.start()], published)
            days = n * (7 if m[2].lower().startswith("week") else 1)
            precision = base.precision if days < 7 else "week"
            return Dated(base.date - timedelta(days=days), precision, f"{m[0]} {base.cue}".strip(), shifted=True)
    found: list[tuple[int, Dated]] = []

    def add(pos: int, d: date | None, precision: str, cue: str) -> None:
        if _WHEN.search(sentence, 0, pos):
            return  # "troops stay where they were when the ceasefire was reached on July 28": another event's date
        if d is not None and d <= published:
            found.append((pos, Dated(d, precision, cue)))

    for m in _ISO.finditer(sentence):
        add(m.start(), _safe(int(m[1]), int(m[2]), int(m[3])), "day", m[0])
    for m in _FULL_MDY.finditer(sentence):
        add(m.start(), _safe(int(m[3]), _MON[m[1].lower()], int(m[2])), "day", m[0])
    for m in _FULL_DMY.finditer(sentence):
        add(m.start(), _safe(int(m[3]), _MON[m[2].lower()], int(m[1])), "day", m[0])
    if not found:
        for m in _MD.finditer(sentence):
            month, day = _MON[m[1].lower()], int(m[2])
            d = _safe(published.year, month, day)
            if d is not None and d > published:
                if (d - published).days <= SOON:
                    continue  # "a 100% tariff starting November 1" in an October report: a date to come
                d = _safe(published.year - 1, month, day)
            if _EFFECT.search(sentence, 0, m.start()):
                continue  # "starting November 1", "by March 3": when something takes effect, not when it was said
            add(m.start(), d, "day", m[0])
    if not found:
        for m in _MY.finditer(sentence):
            month = _MON[m[1].lower()]
            if not m[2] and 0 < (month - published.month) % 12 <= SOON // 31:
                continue  # "will sign in mid-June" in a May report: a month to come, not last year's
            year = int(m[2]) if m[2] else (published.year if month <= published.month else published.year - 1)
            add(m.start(), _safe(year, month, 1), "month", m[0])
    if not found:
        for m in _WEEKDAY.finditer(sentence):
            if _FUTURE.search(sentence[max(0, m.start() - 50) : m.start()]):
                continue  # "will meet on Saturday", "are due to meet again on Saturday"
            back = (published.weekday() - WEEKDAYS.index(m[1].lower())) % 7
            if back == 6 and _LOCAL_TIME.search(sentence):
                # "In the early hours of Sunday, local time" in a Saturday report: the next day where it happened
                found.append((m.start(), Dated(published + timedelta(days=1), "day", f"{m[0]}, local time")))
                continue
            add(m.start(), published - timedelta(days=back), "day", m[0])
    if not found:
        for m in _YEAR.finditer(sentence):
            year = int(m[1] or m[2])
            if year < published.year:
                add(m.start(), date(year, 1, 1), "year", m[0])
    if found:
        return min(found, key=lambda f: f[0])[1]
    late = _LATE_LAST_MONTH.search(sentence)
    if late:  # its last week: the month's last day, precision week
        return Dated(published.replace(day=1) - timedelta(days=1), "week", late[0])
    for pattern, days, precision in _RELATIVE:
        for m in pattern.finditer(sentence):
            if m.start() > 0 and " " in m[0] and m[0].istitle():
                continue  # "on ABC's This Week program": a name, not a time
            return Dated(published + timedelta(days=days), precision, m[0])
    return Dated(published, "day", "")


_DATELINE = [
    (_ISO, lambda m: _safe(int(m[1]), int(m[2]), int(m[3]))),
    (_FULL_MDY, lambda m: _safe(int(m[3]), _MON[m[1].lower()], int(m[2]))),
    (_FULL_DMY, lambda m: _safe(int(m[3]), _MON[m[2].lower()], int(m[1]))),
    (re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"), lambda m: _safe(int(m[3]), int(m[1]), int(m[2]))),
]


def dateline(text: str, today: date) -> date | None:
    """A date printed in the article's first lines (its dateline), if any, not after today."""
    head = "\n".join(text.splitlines()[:4])[:600]
    for pattern, make in _DATELINE:
        m = pattern.search(head)
        if m:
            d = make(m)
            if d is not None and d <= today:
                return d
    return None
