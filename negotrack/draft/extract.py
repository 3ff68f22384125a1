"""From articles and a thread's declarations to draft events: pure functions, no store, no files.

The steps: the sentences of each article (:mod:`.text`), the speaker of each
(:mod:`.attribute`), its type, issue and stance (:mod:`.classify`), its date
(:mod:`.dates`), then one event per statement — a statement reported in several
places is one event citing each — and, for an answer, the item it answers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from negotrack.domain.vocabulary import ITEM_KINDS, ITEM_TEXT_FIELD
from negotrack.draft import classify, model
from negotrack.draft.attribute import PRONOUNS, Lexicon, Mention
from negotrack.draft.dates import SPAN_AFTER, Dated, date_of
from negotrack.draft.text import Sentence, repeats, sentences

ACTIVE = 0.5  # events less sure than this are written commented out
HEADLINE_WEIGHT = 0.85  # a title is terse: its move is less sure than the body's


@dataclass(frozen=True)
class Item:
    """Something on the table an answer can name: from the store, or drafted earlier."""

    id: str
    type: str
    party: str
    date: str
    issues: tuple[str, ...]
    text: str


@dataclass
class Declarations:
    slug: str
    title: str | None
    parties: dict[str, dict[str, Any]]
    actors: dict[str, dict[str, Any]]
    issues: dict[str, dict[str, Any]]
    items: list[Item] = field(default_factory=list)
    taken_ids: set[str] = field(default_factory=set)  # event ids the store already holds


@dataclass
class Article:
    source: str  # source id in the draft
    name: str  # as shown to the user
    text: str
    published: date


@dataclass
class Place:
    source: str
    quote: str
    line: int
    also_at: list[int]


@dataclass
class Draft:
    id: str
    type: str
    date: Dated
    by: str
    party: str
    issue: str | None
    fields: dict[str, Any]
    summary: str
    places: list[Place]
    confidence: float
    cue: str
    sentence: str
    how: str  # how the speaker was found
    notes: list[str] = field(default_factory=list)
    headline: bool = False  # drafted from the article's title
    signals: dict[str, float] = field(default_factory=dict)  # what the confidence model weighs (:mod:`.model`)

    @property
    def active(self) -> bool:
        return self.confidence >= ACTIVE


@dataclass
class Unattributed:
    source: str
    name: str
    line: int
    cue: str
    sentence: str


@dataclass
class Result:
    events: list[Draft]
    unattributed: list[Unattributed]


_PREPOSITION = re.compile(r"(?:\b(?:to|with|from|against|on|for|into|about|of|between|toward|towards|over|at|than|like|in)\s+(?:the\s+)?)$", re.I)
_STATEMENT_NOUN = re.compile(
    r"^['’]s\s+(?:\w+\s+)?(?:statements?|remarks?|comments?|demands?|proposals?|insistence|position|stance|opposition|choice|announcement|decision|offer|warning|call|plan|message|response)\b",
    re.I,
)
# "Israel's security cabinet approved …", "Sudan's army said …": a party's own body speaks for it
_ITS_BODY = re.compile(
    r"^['’]s\s+(?:\w+\s+)?(?:cabinet|government|foreign ministry|ministry|army|military|armed forces|parliament|officials?|"
    r"delegation|leadership|negotiators|presidency)\b",
    re.I,
)
_FORMER = re.compile(r"\b(?:former|ex-)\s*(?:[\w.]+\s+){0,4}$", re.I)
_WHO = re.compile(r"^,?\s+who\b")
_SUBJECT_PRONOUN = re.compile(
    r"(?:^[\W]*(?:(?:but|however|and|yet|still|also|then|instead|meanwhile|now)[,]?\s+)?|^[^,;“”]{0,40},\s*|[,.!?…][\"'”’]\s*)"
    r"(?:he|she|they)$",
    re.I,
)  # "He warned that …", "But he said …", "In March, he sent …", "“…,” he said"
_QUOTE_GOES_ON = re.compile(r'^\s*"[^"]*$')  # opens a straight quotation that this sentence does not close
_BOTH = re.compile(r"^[^\w\"“‘']*(?:(?:according to|following|after|at|in|under)\b[^,;“”\"]{0,120},\s+)?(?:(?:but|however|and|yet)[,]?\s+)?(?:both sides|the two sides|both parties|both countries|the two countries)\b", re.I)
_BOTH_SIDES = re.compile(r"\b(?:both|the two) (?:sides|parties|countries|nations|governments)\b", re.I)
_BETWEEN = re.compile(r"[\s,]*(?:\w+ly\s+|also\s+|has\s+|had\s+|have\s+|then\s+)*")  # a subject and its verb
_JOINED = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+(?:the\s+)?")  # subjects joined: "Iran and the United States"
_ACCORDING = re.compile(r"\baccording to\s+$", re.I)
_REPORTING = re.compile(
    r"\b(?:sa(?:id|ys)|stated|told|added|noted|stressed|emphasi[sz]ed|warned|remarked|asserted|argued|insisted|affirmed|reaffirmed|declared|explained|wrote|stating|saying|noting|adding)\b",
    re.I,
)


def _outside_quotes(text: str) -> list[tuple[int, int]]:
    """The spans of the text outside quotation marks (curly ones, and straight ones when they pair up)."""
    spans, depth, start = [], 0, 0
    straight = text.count('"') % 2 == 0
    if not straight and text.lstrip().startswith('"'):
        return []  # '"If Hezbollah violates the agreement, we will attack.': a quotation going on to the sentence's end
    for i, ch in enumerate(text):
        if ch == '"' and straight:
            if depth == 0:
                spans.append((start, i))
                depth = 1
            else:
                depth = 0
                start = i + 1
        elif ch == "“":
            if depth == 0:
                spans.append((start, i))
            depth += 1
        elif ch == "”" and depth:
            depth -= 1
            if depth == 0:
                start = i + 1
    if depth == 0:
        spans.append((start, len(text)))
    return spans


def _in(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(a <= pos < b for a, b in spans)


_DOCUMENT_SAYS = re.compile(
    r"^\W*according to\s+(?:the|a|an|this|that|their|its)\s+(?:[\w’'-]+\s+){0,3}?"
    r"(?:agreements?|deal|accords?|treaty|treaties|plan|law|constitution|statutes?|charter|document|text|draft|resolution|framework|memorandum|terms)\b",
    re.I,
)
_ANALYSIS = re.compile(
    r"^\W*(?:this|these|that|the|such)\s+(?:[\w-]+\s+){0,2}?(?:shift|move|article|report|analysis|development|situation|"
    r"change|trend|commitment|decision|step|proposal|choice)s?\s+(?:\w+ly\s+)?(?:shows?|suggests?|indicates?|paints?|highlights?|"
    r"underscores?|reflects?|signals?|means?|demonstrates?|marks?|represents?)\b",
    re.I,
)
# A cue that is a verb in the past or present tense: an act of its own subject (not "must", "should", a noun).
_ACT = re.compile(
    r"(?i)\w+(?:ed|es)|sought|rejects?|refuses?|demands?|insists?|proposes?|offers?|accepts?|threatens?|warns?|urges?|agrees? to"
)  # "… – claims the military reject": a plural subject's verb too
_WITH = re.compile(r"\bwith\s+(?:the\s+)?$", re.I)
_WITH_SAYING = re.compile(r"\s+(?:\w+ly\s+)?(?:saying|stating|adding|noting|insisting|arguing|telling|declaring)\b")
_ING = re.compile(r"\s+(?:\w+ly\s+)?(\w+ing)\b")
_AGENT = re.compile(r"\s+(?:\w+\s+)?by\s+(?:the\s+)?", re.I)  # "rejected by (the) …", "proposed jointly by …"
_QUOTE_CLOSED = re.compile(r"[,.!?…]\s*[\"”]\s+(?:the\s+)?$")
_SAID_AFTER = re.compile(
    r"\s+(?:\w+ly\s+)?(?:said|says|told|added|noted|stressed|wrote|insisted|warned|declared|explained|asserted|remarked)\b"
)
_DASH_CREDIT = re.compile(r"^\s*[“\"].*[”\"]\s*[–—-]+\s*(.+?)\s*$", re.S)  # “…” – Name: a quotation credited after a dash


def speaker(
    s: Sentence, mentions: list[Mention], lex: Lexicon, last: Mention | None, guess: classify.TypeGuess | None = None
) -> Mention | None:
    """The mention that made the statement, or None (nothing is guessed)."""
    text = s.text
    outside = _outside_quotes(text)
    if _DOCUMENT_SAYS.match(text):
        return None  # "According to the Brussels agreements, … must …": a text's terms, not a party's statement
    if _ANALYSIS.match(text):
        return None  # "This shift shows that Ukraine is ready to …", "The article paints …": the writer's reading
    for m in mentions:
        if _QUOTE_CLOSED.search(text, 0, m.start) and _SAID_AFTER.match(text, m.end):
            return m  # "…we accepted the EU's proposal," the Serbian leader told reporters: who closes the quote spoke it
    if last is not None:
        for p in PRONOUNS.finditer(text):
            if _in(outside, p.start()) and _QUOTE_CLOSED.search(text, 0, p.start()) and _SAID_AFTER.match(text, p.end()):
                return Mention(p.start(), p.end(), last.key, last.kind, "pronoun")  # "…to build trust,” he said, …
    credit = _DASH_CREDIT.match(text)
    if credit:
        # a quotation alone, credited after a dash: the speaker is the name there ("– [source]" names no one)
        named = [m for m in mentions if m.start >= credit.start(1)]
        if named:
            return named[0]
    if guess is not None and _in(outside, guess.position):
        agent = _AGENT.match(text, guess.position + len(guess.cue))
        if agent:
            # "… one day after it was again rejected by Baku", "a proposal by Egypt": the agent after "by" made the move
            by = [m for m in mentions if agent.start() < m.start <= agent.end()]  # "by the Quad", "by Baku"
            if by:
                return by[0]
    if guess is not None:
        for m in mentions:
            # "…, with Zelenskyy proposing a 20-point plan": the subject of the "with" clause whose verb is the cue
            ing = _ING.match(text, m.end)
            if ing and ing.start(1) == guess.position and _in(outside, m.start) and _WITH.search(text[: m.start]):
                return m
    cues = [c for c in classify.all_cues(text) if _in(outside, c.position)]
    report = next((m for m in _REPORTING.finditer(text) if _in(outside, m.start())), None)
    anchor = min([c.position for c in cues] + ([report.start()] if report else []), default=None)
    if anchor is None:
        return None
    usable = []
    for m in mentions:
        if not _in(outside, m.start):
            continue  # inside the quotation: spoken of, not speaking
        before = text[: m.start]
        if _ACCORDING.search(before):
            return m
        if m.possessive and not _STATEMENT_NOUN.match(text[m.end :]) and not (m.kind == "party" and _ITS_BODY.match(text[m.end :])):
            continue
        if _PREPOSITION.search(before) and not _WHO.match(text[m.end :]):
            continue
        if _FORMER.search(before):
            continue  # "with former U.S. President Donald Trump suggesting …": out of office, no party's voice
        usable.append(m)
    act = guess is not None and _ACT.fullmatch(guess.cue) is not None
    if act and report is not None and guess.position > report.end():
        # "Kurti said that Vucic had refused …": the move is the embedded subject's, reported by the first
        acting = _right_before(text, usable, guess.position, after=report.end())
        if acting:
            return acting
    pron = next((p for p in PRONOUNS.finditer(text) if _in(outside, p.start()) and p.start() <= anchor + 1), None)
    if act and pron is not None:
        # "He accused the UAE of bias — a charge the Emirati foreign ministry dismissed": the act's own subject
        own = _right_before(text, usable, guess.position, after=pron.end() + 1)
        if own:
            return own
    if pron is not None and last is not None and _SUBJECT_PRONOUN.match(text[: pron.end()]):
        return Mention(pron.start(), pron.end(), last.key, last.kind, "pronoun")  # "He warned that …"
    if act and guess.position > anchor:
        # "Boulos has accused the army … – claims the military reject": the act's own subject, right before it
        own = _right_before(text, usable, guess.position)
        if own:
            return own
    ahead = [m for m in usable if m.start < anchor]
    for verb in [report.start()] if report is not None else [anchor]:
        who = _right_before(text, ahead, verb)
        if who is not None:  # "… Mr. Araghchi said that …", "… since Trump abandoned …": the name right before the verb
            return _joined(text, ahead, who)[-1]  # "Both Iran and the United States have said": the first of them
    if ahead:
        # the clause's subject: the first mention of the clause holding the cue
        clause_start = max(
            text.rfind(";", 0, anchor), text.rfind(" while ", 0, anchor), text.rfind(" but ", 0, anchor),
            text.rfind(", which ", 0, anchor), text.rfind(", who ", 0, anchor),
        )  # "…, which Ukraine has accepted": the relative clause's own subject
        in_clause = [m for m in ahead if m.start > clause_start] or ahead
        return in_clause[0]
    after = [m for m in usable if anchor <= m.start <= anchor + 60]
    def opens_with(m: Mention) -> bool:  # "with Azerbaijan Foreign Minister Jeyhun Bayramov saying": role and name
        start = min([k.start for k in mentions if k.key == m.key and 0 <= m.start - k.end <= 1] + [m.start])
        return bool(_WITH.search(text[:start]))

    saying = [m for m in usable if m.start > anchor and _WITH_SAYING.match(text, m.end) and opens_with(m)]
    if saying and not ahead:
        return saying[0]  # "The latter was quick to reject it, with Foreign Minister Bayramov saying that …"
    passive = [m for m in after if re.search(r"\bby\s+(?:the\s+)?$", text[: m.start])]
    if passive:
        return passive[0]  # "demands issued by Russian President Vladimir Putin"
    if report is not None:
        after_report = [m for m in usable if report.end() <= m.start <= report.end() + 40]
        if after_report:
            return after_report[0]
    if pron is not None and last is not None and not after:
        return Mention(pron.start(), pron.end(), last.key, last.kind, "pronoun")
    if after and report is not None:
        return after[0]
    return None


_SLUG = re.compile(r"[^a-z0-9]+")
_SHORT = {
    "DemandIssued": "demand", "ProposalTabled": "proposal", "ConcessionMade": "concession", "GuaranteeOffered": "guarantee",
    "ThreatIssued": "threat", "Rejected": "rejects", "Accepted": "accepts", "AgreementReached": "agreement",
    "PositionStated": "position",
}  # fmt: skip


_QUOTED = re.compile(r"“([^”]{12,})”")
_LEAD = re.compile(
    r"^\s*(?:(?:on|last|this)\s+\w+day|\w+day|yesterday|today|recently|previously|also|again|firmly|repeatedly|"
    r"in an interview|in a statement|to reporters|on \w+|that|for|to|of)\b[\s,:]*|^[\s,:]+",
    re.I,
)


def _clause(sentence: str, cue: str, limit: int = 160) -> str:
    """What was demanded, proposed, … : the words quoted, else the words after the cue, else the sentence."""
    quoted = _QUOTED.search(sentence)
    i = sentence.lower().find(cue.lower())
    if quoted and len(quoted[1].split()) >= 4 and (i < 0 or quoted.start() <= i <= quoted.end()):
        rest = quoted[1]
    else:
        rest = sentence[i + len(cue) :] if i >= 0 else ""
        for _ in range(4):  # "said on Tuesday that …" → "…"
            rest = _LEAD.sub("", rest, count=1)
    rest = rest.strip(" ,.;:\"“”'")
    text = rest if len(rest.split()) >= 3 else sentence
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


_BOUNDARY = re.compile(
    r"[;:.!?”\"]|,?\s+(?:but|while|whereas|although|though|as|amid|after|before|when|since|because|despite|even as|fueling|signaling|"
    r"highlighting|hinting|underscoring|viewing|indicating|noting|adding|saying|according to|with|which|who|in exchange for|in return for)\b|"
    r",\s+(?=\w+ing\b)",
    re.I,
)


def focus(sentence: str, cue: str) -> str:
    """The words the cue governs: its clause from the cue to the next clause boundary (or the clause before it)."""
    i = sentence.lower().find(cue.lower())
    if i < 0:
        return ""
    after = sentence[i + len(cue) :]
    m = _BOUNDARY.search(after)
    ahead = after[: m.start()] if m else after
    if len(classify.tokens(ahead)) >= 2:
        return ahead
    before = sentence[:i]
    starts = [b.end() for b in _BOUNDARY.finditer(before)]
    return before[starts[-1] if starts else 0 :] + " " + ahead


def _jaccard(a: str, b: str) -> float:
    x, y = set(classify.tokens(a)), set(classify.tokens(b))
    return len(x & y) / len(x | y) if x and y else 0.0


def _name(decls: Declarations, key: str) -> str:
    if key in decls.actors:
        return decls.actors[key].get("name") or key
    return decls.parties.get(key, {}).get("name") or key


def extract(articles: Sequence[Article], decls: Declarations) -> Result:
    lex = Lexicon(decls.parties, decls.actors)
    party_words = {w for words in lex.party_words.values() for group in words.values() for w in group}
    index = classify.IssueIndex(decls.issues, party_words, lex.canonical)
    index.learn([s.text for a in articles for s in sentences(a.text)])
    found: list[tuple[Draft, int]] = []
    unattributed: list[Unattributed] = []
    order = 0
    for article in articles:
        again = repeats(article.text)
        last: Mention | None = None
        sents = sentences(article.text)
        parts: dict[int, list[str]] = {}
        named: Counter[str] = Counter()
        for s in sents:
            parts.setdefault(s.paragraph, [""]).append(s.text)
            named.update(lex.party_of(m) for m in lex.mentions(s.text))
        paragraph_text = {k: " ".join(v) for k, v in parts.items()}
        previous = ""
        last_paragraph = -1
        first = len(found)  # this article's drafts are found[first:]
        for s in sents:
            before, previous = previous, s.text
            mentions = lex.mentions(s.text)
            guess = classify.cue_type(s.text)
            who = speaker(s, mentions, lex, last, guess) if guess else None
            subject = next((m for m in mentions if m.start <= 40 and not _PREPOSITION.search(s.text[: m.start])), None)
            its_actors = [m for m in mentions if who is not None and m.kind == "actor" and lex.party_of(m) == who.key and m.start < who.start]
            if who is not None and who.kind == "actor":
                last, last_paragraph = who, s.paragraph
            elif its_actors:
                last = its_actors[0]  # "Hun Manet thanked Trump and said Cambodia accepted …": "he" is next Hun Manet
            elif subject is not None and subject.kind == "actor":
                last = subject  # the subject of a sentence without a cue ("Zelensky's comments highlight …")
            if guess is None:
                continue
            if who is None and last is not None and s.paragraph == last_paragraph and _QUOTE_GOES_ON.match(s.text):
                who = Mention(0, 0, last.key, last.kind, "pronoun")  # a quotation going on from the last speaker's
            if who is None and _BOTH.match(s.text) and len(named) >= 2:
                # "Both sides described …": one statement each, by the two parties the article names most;
                # "Both sides agreed to …": one agreement, between them
                joint = guess.type in ("Accepted", "AgreementReached")
                if joint:
                    guess = replace(guess, type="AgreementReached")
                for party, _ in named.most_common(1 if joint else 2):
                    m = Mention(0, 0, party, "party", "name")
                    order += 1
                    found.append((_draft(s, article, m, guess, lex, index, decls, paragraph_text[s.paragraph], again, named), order))
                    found[-1][0].notes.append("'both sides': the two parties the article names most")
                    found[-1][0].signals["both_sides"] = 1.0
                continue
            if who is None:
                if guess.weight >= 0.8 and not s.headline:
                    unattributed.append(Unattributed(article.source, article.name, s.line, guess.cue, s.text))
                continue
            order += 1
            mover = _clause_opener(s.text, guess.position, lex) or who
            main = _draft(s, article, mover, guess, lex, index, decls, paragraph_text[s.paragraph], again, named, previous=before)
            found.append((main, order))
            for part, cue in _other_moves(s, guess):
                # "We are ready to build confidence …, but enrichment is non-negotiable": two moves, two drafts
                order += 1
                own = [m for m in lex.mentions(part.text) if m.start <= 2 and m.kind == "actor" and not m.possessive]
                # "…, while Vučić stressed that …": a clause that opens with its own actor is that actor's move
                extra = _draft(
                    part, article, own[0] if own else who, cue, lex, index, decls, paragraph_text[s.paragraph], again, named, dated=main.date, previous=before
                )
                extra.notes.append("a second move in the same sentence")
                extra.signals["second_move"] = 1.0
                found.append((extra, order))
            for part, cue, actor in _earlier_move(s, guess, lex):
                # "The RSF announced a truce, a day after the army dismissed the proposal": the army's move too
                order += 1
                extra = _draft(
                    part, article, actor, cue, lex, index, decls, paragraph_text[s.paragraph], again, named,
                    dated=date_of(s.text, article.published, part.start - s.start + cue.position),
                )
                extra.notes.append("a move the sentence tells came before its main one")
                extra.signals["second_move"] = 1.0
                found.append((extra, order))
        for extra in _provisions(sents, [d for d, _ in found[first:]], article, index, decls, again):
            order += 1
            found.append((extra, order))
    _date_by_speaker(found)
    events = _merge([d for d, _ in sorted(found, key=lambda f: (f[0].date.date, f[1]))])
    for e in events:
        e.signals["reported_twice"] = float(len(e.places) > 1)
        e.signals["sources"] = min(len({p.source for p in e.places}), 3) / 3
        e.confidence = model.confidence(e.signals, e.confidence)
    _answer(events, decls, index)
    _ids(events, decls)
    return Result(events, unattributed)


# What an agreement settles, said after it: "The agreement, dubbed …, commits both countries to …", "It also
# provides for …", "The deal provides for …", "Under the deal, …", "They also committed to …".
_PROVISION = re.compile(
    r"^(?:(?:under|according to)\s+(?:the|this)\s+(?:[\w-]+\s+){0,3}?(?:agreement|deal|accord|pact|declaration)\b[^,]{0,60},\s*"
    r"|(?:the|this)\s+(?:[\w-]+\s+){0,3}?(?:agreement|deal|accord|pact|declaration|framework|arrangement)(?:,[^,]{1,80},)?\s+"
    r"(?:also\s+|further\s+)?(?:commits?|includes?|provides?\s+for|stipulates?|calls?\s+for|requires?|envisages?|sets?\s+out|"
    r"establishes|obliges|foresees|covers?)\b"
    r"|it\s+(?:also\s+|further\s+)?(?:commits|includes|provides\s+for|stipulates|calls\s+for|requires|envisages|sets\s+out|"
    r"establishes|obliges|foresees)\b"
    r"|they\s+(?:also\s+|further\s+)?(?:committed|pledged|undertook)\s+to\b)",
    re.I,
)
PROVISION_SPAN = 4  # sentences after an agreement (or after its last provision) that may still be spelling it out
PROVISION_WEIGHT = 0.9  # a provision is as sure as its agreement, less the step from it
# the items an agreement lists: "an immediate cessation of hostilities, the withdrawal of heavy weapons …, and …"
_QUOTE_OR_STOP = re.compile(r"[\"“`](?=[A-Z])|\.\s+(?=\S)")
_ITEMS = re.compile(r",\s+(?:and\s+|as well as\s+)?(?!including\b|such as\b)|\s+(?:and|as well as)\s+(?=(?:the|an?)\s)", re.I)


def _list_items(text: str) -> list[str]:
    """The items of a list ("an immediate cessation of hostilities, the withdrawal of heavy weapons, and …"), up to
    a quotation or the next sentence (what someone then says of it)."""
    rest = _QUOTE_OR_STOP.split(text, 1)[0].strip(" .")
    items = [" ".join(i.strip(" ,.;").split()) for i in _ITEMS.split(rest)]
    return [i for i in items if len(classify.tokens(i)) >= 2]


def _provisions(
    sents: Sequence[Sentence], drafts: Sequence[Draft], article: Article, index: classify.IssueIndex, decls: Declarations,
    again: Mapping[int, list[int]],
) -> list[Draft]:
    """One agreement per further issue that its provisions settle, each from the clause that settles it.

    An accord is one event per issue (``AgreementReached`` names one issue): after
    "Thailand and Cambodia signed a peace agreement", the sentences that list what
    it holds ("It also provides for the release of prisoners …") make the same
    parties' agreement, on the same day, on each other issue an item of the list
    is on.
    """
    agreements = {d.sentence: d for d in drafts if d.type == "AgreementReached" and d.places[0].source == article.source}
    out: list[Draft] = []
    parent: Draft | None = None
    since = 0
    settled: set[tuple[str | None, date]] = {(d.issue, d.date.date) for d in agreements.values()}
    for s in sents:
        since += 1
        if s.text in agreements:
            parent, since = agreements[s.text], 0
            continue
        if parent is None or since > PROVISION_SPAN or s.headline:
            continue
        lead = _PROVISION.match(s.text)
        if lead is None:
            continue
        since = 0
        for item in _list_items(s.text[lead.end() :]):
            issue, score, margin = index.best(item)
            if issue is None or margin <= 0 or (issue, parent.date.date) in settled:
                continue
            settled.add((issue, parent.date.date))
            out.append(replace(
                parent, issue=issue, fields={**parent.fields, "terms": item}, summary=f"{_name(decls, parent.by)}: {item}",
                places=[Place(article.source, s.text, s.line, list(again.get(s.line, [])))],
                confidence=round(parent.confidence / (HEADLINE_WEIGHT if parent.headline else 1.0) * PROVISION_WEIGHT, 2),
                cue=lead[0].strip(" ,"), sentence=s.text, headline=False,
                notes=[f"a provision of the agreement at line {parent.places[0].line}"],
                signals={**parent.signals, "provision": 1.0},
            ))
    return out


_ANAPHOR = re.compile(
    r"\b(?:such|this|these|those|that|the same)\s+(?:\w+\s+)?(?:conditions?|demands?|requests?|matter|issue|proposals?|"
    r"plans?|ideas?|offers?|positions?|stance|suggestions?|terms|request|step|move|approach)\b",
    re.I,
)
_SPLIT = re.compile(r",?\s+but\s+|;\s+|,?\s+while\s+(?!\w+ing\b)|,\s+whereas\s+|,\s+yet\s+|,\s+which\s+(?=[A-Z])")


def _clause_opener(text: str, position: int, lex: Lexicon) -> Mention | None:
    """The actor opening the later clause that holds the cue ("…, which Kurti was not ready to accept"), if any."""
    cut = None
    for m in _SPLIT.finditer(text, 0, position):
        cut = m
    if cut is None:
        return None
    own = [m for m in lex.mentions(text) if cut.end() <= m.start <= cut.end() + 2 and m.kind == "actor" and not m.possessive]
    return own[0] if own and own[0].end <= position else None


def _other_moves(s: Sentence, main: classify.TypeGuess) -> list[tuple[Sentence, classify.TypeGuess]]:
    """The clauses of a sentence ("…, but …", "…; …") that make a move of another type than its strongest cue."""
    cuts = [m for m in _SPLIT.finditer(s.text)]
    if not cuts or s.headline:
        return []
    bounds = [0, *[x for m in cuts for x in (m.start(), m.end())], len(s.text)]
    out = []
    for a, b in zip(bounds[::2], bounds[1::2]):
        if a <= main.position < b:
            continue  # the clause of the main move
        part = s.text[a:b].strip(" ,;")
        if len(classify.tokens(part)) < 4:
            continue
        cue = classify.cue_type(part)
        if cue is None or cue.type == main.type or cue.weight < 0.8:
            continue
        start = s.start + s.text.index(part, a)
        out.append((replace(s, start=start, end=start + len(part), text=part), cue))
    return out


_SPAN_CLAUSE = re.compile(r",\s+" + SPAN_AFTER.pattern + r"\s+", re.I)  # "…, a day after …": dates' own words


def _earlier_move(s: Sentence, main: classify.TypeGuess, lex: Lexicon) -> list[tuple[Sentence, classify.TypeGuess, Mention]]:
    """The move of a clause after the main one's "…, a day after …", with its own subject, if it makes one."""
    m = next((m for m in _SPAN_CLAUSE.finditer(s.text) if m.start() > main.position), None)
    if m is None or s.headline:
        return []
    part = s.text[m.end() :]
    cue = classify.cue_type(part)
    if cue is None or cue.type == "PositionStated" or cue.weight < 0.8:
        return []
    actor = _right_before(part, [x for x in lex.mentions(part) if not x.possessive], cue.position)
    if actor is None:
        return []
    start = s.start + m.end()
    return [(replace(s, start=start, end=s.end, text=part), cue, actor)]


def _right_before(text: str, mentions: Sequence[Mention], verb: int, after: int = 0) -> Mention | None:
    """The last mention (starting at ``after`` or later) that ends right before the verb: its subject."""
    close = [m for m in mentions if m.start >= after and m.end <= verb and _BETWEEN.fullmatch(text[m.end : verb])]
    return close[-1] if close else None


def _joined_subject(text: str, lex: Lexicon, verb: int) -> list[str]:
    """The parties of the subjects joined right before the verb ("Iran and the United States have …"), in order."""
    ahead = [m for m in lex.mentions(text) if m.end <= verb and not m.possessive]
    first = _right_before(text, ahead, verb)
    if first is None:
        return []
    return list(dict.fromkeys(lex.party_of(m) for m in reversed(_joined(text, ahead, first))))


def _joined(text: str, mentions: Sequence[Mention], last: Mention) -> list[Mention]:
    """``last`` and the mentions joined to it by "and", ",", "or" before it, from the last back to the first."""
    chain = [last]
    while True:
        joined = [m for m in mentions if m.end <= chain[-1].start and _JOINED.fullmatch(text[m.end : chain[-1].start])]
        if not joined:
            return chain
        chain.append(joined[-1])


_OWNER = re.compile(r"(?:['’]s|['’])?\s+(?:[\w-]+\s+)?")  # "the US ceasefire proposal", "Russia's proposals"
_TO_DO = re.compile(r"(?i:agree(?:s|d)? to)$")  # "have agreed to hold talks": with each other; not "agreed with the US proposal"
_WISH = re.compile(r"(?i:want(?:s|ed)?|seek(?:s|ing)?|sought)")
_THEIR_WISH = re.compile(r"\b(?:they|he|she)\s+(?:(?:also|still|all|are|is|were|was|only|really|clearly)\s+)*$", re.I)
_AT_A_PLACE = re.compile(r"\b(?:in|at)\s+$", re.I)


_BROKER = re.compile(r"\b(?:brokered|mediated|witnessed|facilitated|hosted|sponsored)\s+by\s+[^,;.]{0,60}$", re.I)
# "approved a ceasefire agreement with Lebanon": a yes to an accord with the party named, which is both sides' agreement
_ACCORD_WITH = re.compile(r"\s+(?:an?|the|its|their)\s+(?:[\w-]+\s+){0,3}?(?:agreement|deal|accord|pact)\s+with\s+(?:the\s+)?$", re.I)


def _only_a_place(text: str, party: str, lex: Lexicon) -> bool:
    """Is the party named in the text only as a place ("in Washington") or as a broker ("brokered by the US")?"""
    named = [m for m in lex.mentions(text) if lex.party_of(m) == party]
    return bool(named) and all(
        m.kind == "party" and _AT_A_PLACE.search(text, 0, m.start) or _BROKER.search(text, 0, m.start) for m in named
    )


def _draft(
    s: Sentence, article: Article, who: Mention, guess: classify.TypeGuess, lex: Lexicon, index: classify.IssueIndex,
    decls: Declarations, context: str, again: Mapping[int, list[int]], counts: Counter[str], dated: Dated | None = None,
    previous: str = "",
) -> Draft:
    party = lex.party_of(who)
    kind = guess.type
    if kind in ITEM_KINDS and classify.NOUN_CUE.fullmatch(guess.cue):
        owner = [
            m for m in lex.mentions(s.text)
            if 0 <= guess.position - m.end <= 25 and lex.party_of(m) != party and _OWNER.fullmatch(s.text[m.end : guess.position])
        ]
        window = s.text[max(0, guess.position - 25) : guess.position]
        by_demonym = not owner and any(
            re.search(rf"\b{re.escape(d)}(?:\s+[\w-]+)?\s+$", window)
            for p, words in lex.party_words.items() if p != party for d in words["demonym"]
        )
        if owner and kind == "DemandIssued":
            who, party = owner[0], lex.party_of(owner[0])  # "Israel did not agree with Hamas' demand for …": Hamas's
        elif owner or by_demonym:  # "Hezbollah reviewed the US ceasefire proposal", "the Armenian proposal": spoken of
            kind = "PositionStated"
    if kind == "DemandIssued" and _THEIR_WISH.search(s.text, 0, guess.position) and _WISH.fullmatch(guess.cue):
        if not _in(_outside_quotes(s.text), guess.position):
            kind = "PositionStated"  # “They want to negotiate,” Trump said: what another side wants, as the speaker sees it
    if kind == "Accepted" and _TO_DO.match(guess.cue) and len(_joined_subject(s.text, lex, guess.position)) >= 2:
        kind = "AgreementReached"  # "Thailand and Cambodia have agreed to hold talks": a yes of both, to each other
    after = guess.position + len(guess.cue)
    if kind == "Accepted" and any(
        lex.party_of(m) != party and _ACCORD_WITH.fullmatch(s.text, after, m.start) for m in lex.mentions(s.text) if m.start > after
    ):
        kind = "AgreementReached"
    governed = focus(s.text, guess.cue)
    back = previous if previous and _ANAPHOR.search(governed or s.text) else ""
    weight = classify.NOUN_FOCUS if classify.NOUN_CUE.fullmatch(guess.cue) else classify.VERB_FOCUS
    issue, score, margin = index.best(s.text, context, governed, back, weight)
    if issue is None and kind in ("Accepted", "Rejected"):
        issue = index.about(article.text)  # "the agreement was good in principle": what the article is about
    dated = dated or date_of(s.text, article.published, guess.position)
    others = []
    for m in lex.mentions(s.text):
        p = lex.party_of(m)
        if p != party and p not in others:
            others.append(p)
    what = _clause(s.text, guess.cue)
    fields: dict[str, Any] = {}
    notes: list[str] = []
    if kind == "DemandIssued":
        fields["demand"] = what
        if others:
            fields["of"] = others if len(others) > 1 else others[0]
        if re.search(r"precondition|prerequisite|conditions? for|before|first|hinges on|depends on", s.text, re.I):
            fields["precondition"] = True
    elif kind == "ProposalTabled":
        fields["title"] = what if len(what) <= 80 else what[:79].rsplit(" ", 1)[0] + "…"
        fields["provisions"] = [{"issue": issue, "text": what}] if issue else []
    elif kind == "ConcessionMade":
        fields["concession"] = what
    elif kind == "GuaranteeOffered":
        if others:
            fields["guarantee"] = what
            fields["to"] = others[0]
        else:
            kind = "PositionStated"
            notes.append("a guarantee to no party named in the sentence: drafted as a position")
    elif kind == "ThreatIssued":
        fields["threat"] = what
    elif kind in ("Rejected", "Accepted"):
        if kind == "Rejected":
            fields["reason"] = what
        else:  # "good in principle", "accepted in principle": a yes to the principle, details to follow
            fields["qualifier"] = "in_principle" if re.search(r"\bin principle\b", s.text, re.I) else "full"
    elif kind == "AgreementReached":
        # who signed is the subject ("Rwanda and the DRC signed …") when it names two parties or more;
        # else every party the sentence names, but where it was signed ("… in Washington")
        subject = list(dict.fromkeys(lex.party_of(m) for m in lex.mentions(s.text) if m.end <= guess.position))
        if len(subject) >= 2 and party in subject:
            parties = [party, *(p for p in subject if p != party)]
        else:
            parties = [party, *(p for p in others if not _only_a_place(s.text, p, lex))]
        if len(parties) < 2 and _BOTH_SIDES.search(s.text):
            counterpart = next((p for p, _ in counts.most_common() if p != party), None)
            if counterpart is not None:
                parties.append(counterpart)
                notes.append(f"'both sides': {party} and {counterpart}, the party the article names most after it")
        if len(parties) >= 2:
            fields["parties"] = parties
            fields["terms"] = what
        else:
            kind = "PositionStated"
            notes.append("an agreement with no second party named: drafted as a position")
    st = classify.stance(s.text, decls.issues.get(issue or "", {}).get("proposition"), kind)
    if kind == "PositionStated" and st is None:
        st = "supports"
    if st is not None:
        fields["stance"] = st
    confidence = who.strength * guess.weight * (1.0 if score >= 1.0 and margin > 0 else 0.8 if issue else 0.5)
    if s.headline:
        confidence *= HEADLINE_WEIGHT
        notes.append("from a headline")
    if issue is None and kind != "ProposalTabled":
        notes.append("no declared issue shares its words: pick one")
    speaker_name = _name(decls, who.key)
    summary = f"{speaker_name}: {_clause(s.text, guess.cue, 100)}"
    place = Place(article.source, s.text, s.line, list(again.get(s.line, [])))
    signals = _signals(s.text, who, guess, kind, issue, score, margin, dated, confidence)
    return Draft(
        id="", type=kind, date=dated, by=who.key, party=party, issue=issue, fields=fields, summary=summary,
        places=[place], confidence=round(confidence, 2), cue=guess.cue, sentence=s.text, how=who.how, notes=notes,
        headline=s.headline, signals=signals,
    )


_FIRST_PERSON = re.compile(r"\b(?:we|our|us|I)\b")
_MODAL = re.compile(r"\b(?:could|may|might|would|possible|possibly|potential)\b", re.I)
_HEDGED = re.compile(r"\b(?:reportedly|reports?|according to|sources? (?:said|say)|allegedly|media)\b", re.I)


def _signals(
    text: str, who: Mention, guess: classify.TypeGuess, kind: str, issue: str | None, score: float, margin: float,
    dated: Dated, rule: float,
) -> dict[str, float]:
    """What the sentence and the rules say about a draft, as numbers for the confidence model."""
    outside = _outside_quotes(text)
    inside = "".join(text[a:b] for a, b in outside)
    quoted = len(inside) < len(text)
    return {
        "rule": rule,
        "cue_weight": guess.weight,
        "speaker_strength": who.strength,
        f"how={who.how}": 1.0,
        "speaker_is_actor": float(who.kind == "actor"),
        f"type={kind}": 1.0,
        "issue_score": min(score, 6.0) / 6.0,
        "issue_margin": min(margin, 6.0) / 6.0,
        "no_issue": float(issue is None),
        "quoted": float(quoted),
        "cue_in_quote": float(quoted and not _in(outside, guess.position)),
        "first_person_quote": float(quoted and bool(_FIRST_PERSON.search(_quoted_text(text, outside)))),
        "dated_by_text": float(bool(dated.cue)),
        "modal": float(bool(_MODAL.search(inside))),
        "hedged": float(bool(_HEDGED.search(inside))),
        "cue_early": float(guess.position < len(text) / 3),
        "length": min(len(classify.tokens(text)), 40) / 40,
    }


def _quoted_text(text: str, outside: list[tuple[int, int]]) -> str:
    out, pos = [], 0
    for a, b in outside:
        out.append(text[pos:a])
        pos = b
    out.append(text[pos:])
    return " ".join(out)


def _date_by_speaker(found: list[tuple[Draft, int]]) -> None:
    """A speaker's statements in one article that the text does not date take the day it gives for another.

    ("Speaking on Tuesday, Rutte clarified …" dates "Rutte emphasized …" in the same report.)
    """
    known: dict[tuple[str, str], Dated] = {}
    for d, _ in found:
        if d.date.cue and d.date.precision == "day" and not d.date.shifted:
            known.setdefault((d.places[0].source, d.by), d.date)
    for d, _ in found:
        if not d.date.cue and (d.places[0].source, d.by) in known:
            day = known[(d.places[0].source, d.by)]
            d.date = Dated(day.date, "day", f"{day.cue} (another sentence of the same speaker)")


def _merge(events: list[Draft]) -> list[Draft]:
    """One event for one statement reported in several places (the surer one kept, citing both)."""
    out: list[Draft] = []
    # Only drafts of one party, type and issue can be twins; a twin's places are kept as a set too, so one
    # statement reported thousands of times is merged in linear time, not quadratic.
    alike: dict[tuple[str | None, str, str | None], list[Draft]] = {}
    cited: dict[int, set[tuple[str, str]]] = {}
    words: dict[str, set[str]] = {}

    def same_words(a: str, b: str) -> bool:
        x = words.get(a) or words.setdefault(a, set(classify.tokens(a)))
        y = words.get(b) or words.setdefault(b, set(classify.tokens(b)))
        return bool(x and y) and len(x & y) / len(x | y) >= 0.3

    for e in events:
        twin = None
        group = alike.setdefault((e.party, e.type, e.issue), [])
        for k in group:
            if abs((k.date.date - e.date.date).days) > 7:
                continue
            same_day_actor = (
                k.by == e.by and abs((k.date.date - e.date.date).days) <= 2 and k.places[0].source != e.places[0].source
            )  # one speaker's same move reported by two articles (which may disagree on the day)
            headline = (k.headline or e.headline) and k.places[0].source == e.places[0].source
            # a title restates a move its article reports: one event, citing both
            if same_day_actor or headline or same_words(k.sentence, e.sentence):
                twin = k
                break
        if twin is None:
            out.append(e)
            group.append(e)
            cited[id(e)] = {(p.source, p.quote) for p in e.places}
            continue
        if twin.headline and not e.headline:  # the body's sentence says more than the title: draft from it
            places, confidence = twin.places, twin.confidence
            twin.__dict__.update({**e.__dict__, "places": e.places + places, "notes": list(e.notes)})
            twin.confidence = max(confidence, e.confidence)
            twin.notes.append(f"also the article's title (line {places[0].line})")
            cited[id(twin)].update((p.source, p.quote) for p in e.places)
            continue
        if (e.places[0].source, e.places[0].quote) not in cited[id(twin)]:
            twin.places.extend(e.places)
            cited[id(twin)].update((p.source, p.quote) for p in e.places)
        if e.confidence > twin.confidence:
            twin.confidence = e.confidence
        if not twin.date.cue and (e.date.cue or e.date.date < twin.date.date):
            twin.date = e.date  # a day the text gives beats a report's date; else the earlier report (the move came before both)
        twin.notes.append(f"also reported at {e.places[0].source} line {e.places[0].line}: {e.sentence[:80]}…")
    return out


def _answer(events: list[Draft], decls: Declarations, index: classify.IssueIndex) -> None:
    """An answer names the item it answers (from the store, or drafted before it); else it is a position."""
    items = list(decls.items)
    for e in events:
        if e.type in ("Accepted", "Rejected"):
            best, best_score = None, 0.0
            for it in items:
                if it.party == e.party or it.date > e.date.date.isoformat():
                    continue
                overlap = _jaccard(e.sentence, it.text)
                on_issue = e.issue in it.issues
                if not (on_issue and overlap >= 0.08) and overlap < 0.3:
                    continue  # an answer shares the item's issue and some of its words, or many of its words
                score = overlap * 3 + (1.0 if on_issue else 0.0)
                if score > best_score:
                    best, best_score = it, score
            if best is not None:
                e.fields = {"ref": best.id, **{k: v for k, v in e.fields.items() if k != "stance"}}
                e.issue = None
                e.notes.append(f"answers {{ref}} ({best.type} by {best.party}, {best.date}): check")
            else:
                was = e.type
                e.type = "PositionStated"
                e.fields = {"stance": "opposes" if was == "Rejected" else "supports"}
                e.notes.append(f"{was} of no item in the store or the draft: drafted as a position")
        if e.active and e.type in ITEM_KINDS and e.id == "":
            text = e.fields.get(ITEM_TEXT_FIELD[ITEM_KINDS[e.type]], "")
            issues = (e.issue,) if e.issue else tuple(p["issue"] for p in e.fields.get("provisions", []))
            items.append(Item(f"@{id(e)}", e.type, e.party, e.date.date.isoformat(), issues, f"{text} {e.sentence}"))
    by_temp = {f"@{id(e)}": e for e in events}
    for e in events:
        ref = e.fields.get("ref")
        if isinstance(ref, str) and ref in by_temp:
            e.fields["ref"] = by_temp[ref]  # resolved to its id once ids are given


def _ids(events: list[Draft], decls: Declarations) -> None:
    taken = set(decls.taken_ids)
    for e in events:
        ref = e.fields.get("ref")
        topic = e.issue or (ref.issue if isinstance(ref, Draft) else ref) or "plan"
        base = _SLUG.sub("-", f"{e.by.lower()}-{_SHORT[e.type]}-{topic}").strip("-")[:80]
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        e.id = candidate
        taken.add(candidate)
    for e in events:
        ref = e.fields.get("ref")
        if isinstance(ref, Draft):
            e.fields["ref"] = ref.id
        if isinstance(e.fields.get("ref"), str):
            e.notes = [n.replace("{ref}", e.fields["ref"]) for n in e.notes]
        if e.type == "ProposalTabled" and not e.fields.get("provisions"):
            e.notes.append("no provision's issue found: pick one")

