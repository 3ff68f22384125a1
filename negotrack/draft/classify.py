"""What a statement is: its type (by cue words), its issue (by word overlap) and its stance.

Rules only, all in the open: the cue table below says which words make which
type and how sure that is; the issue is the declared issue whose title,
proposition and id share the most words with the sentence (words few issues
share weighing more, a broad issue counting less); the stance is the sentence's
polarity towards the issue's proposition.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

# (type, weight, pattern) — the strongest cue in a sentence decides its type.
CUES: list[tuple[str, float, str]] = [
    ("AgreementReached", 0.9, r"agreed upon by both sides|\b(?:both|the two) (?:sides|countries|nations|parties|governments) (?:have |had )?(?:agreed|agreeing)\b|reached (?:an? )?(?:[\w-]+ ){0,2}?(?:agreement|deal|consensus|understanding(?! of)|accord|truce)\b|(?:agreement|deal|consensus|understanding|accord) (?:has |had |was |have )?(?:been )?reached\b|signed (?:an?|the) (?:[\w-]+ ){0,2}?(?:agreement|deal|treaty|accord)\b|\bink(?:s|ed)? (?:an? |the )?(?:\S+ ){0,3}?\S*(?:agreement|deal|treaty|accord|pact)\b|struck a deal|\b(?:announc(?:ed|es)|unveil(?:ed|s)|clinch(?:ed|es)|seal(?:ed|s))(?: \w+day)? (?:an?|the) (?:[\w-]+ ){0,3}?(?:agreement|deal|accord|pact) between\b"),
    ("ThreatIssued", 0.9, r"threat(?:en|ens|ened|ening)\b|\bwarn(?:s|ed|ing)?\b|by force\b|severe consequences|different route|\bwill (?:attack|strike|retaliate|hit back)\b"),
    ("Rejected", 0.9, r"\breject(?:s|ed|ing)?\b|\brefus(?:e|es|ed|ing)\b|\brebuff(?:s|ed)?\b|\bdismiss(?:es|ed|ing)\b|\bunacceptable\b|non-negotiable|not negotiable|(?:will|would|does|do|did) not accept|not be acceptable|won't accept|not (?:ready|willing|prepared) to (?:accept|agree|sign)|does not go back|never (?:accept|agree)|\bopposed (?:the|any|a) (?:idea|proposal|plan|deployment|deal|offer|suggestion)s?\b|\bopposition to\b"),
    ("DemandIssued", 0.85, r"\bdemand(?:s|ed|ing)?\b|\binsist(?:s|ed|ing|ence)?\b|\bmust\b|\burg(?:e|es|ed|ing)\b|(?<!phone )(?<!video )(?<!a )(?<!the )\bcall(?:s|ed|ing)? on\b(?! (?:\w+day|January|February|March|April|May|June|July|August|September|October|November|December|\d))|\bcall(?:s|ed|ing)? for\b|\bpress(?:es|ed|ing)? for\b|\brequir(?:e|es|ed|ing)\b|\brequest(?:s|ed|ing)?\b|\bask(?:s|ed|ing)? for\b|red line|precondition|conditions? for|hinges on|depends on|needs? to\b|has to\b|have to\b|\bseek(?:s|ing)?\b(?! to\b)|\bsought\b(?! to\b)|\bwant(?:s|ed)?\b"),
    # what must come first: "said set as the first step complete withdrawal by the RSF"
    ("DemandIssued", 0.85, r"\b(?:set(?:s|ting)?|put(?:s|ting)?|names?|named) as (?:a|the) (?:first step|precondition|first condition)\b"),
    # a yes only on a condition is a demand: "Israel would only accept the proposal if all its demands were met"
    ("DemandIssued", 0.9, r"\b(?:would|will|could|can)\s+only\s+(?:accept|agree to|sign|approve)\b(?=[^.;]{0,80}\b(?:if|once|after)\b)"),
    ("DemandIssued", 0.75, r"\bshould\b(?! (?:be seen|be noted|come as))|\bought to\b|\bpush(?:es|ed|ing)? for\b"),
    ("ProposalTabled", 0.85, r"(?<!-)(?<!recently )(?<!previously )\bpropos(?:e|es|ed|ing|al|als)\b|\b\d+-point (?:peace )?plan\b|\bfloat(?:s|ed)\b|put forward|\btabl(?:e|ed|es)\b|\binvit(?:e|ed|es) \w+ to\b|\bsuggest(?:s|ed|ing)? (?:the )?(?:deployment|idea|creation|establish)|\boffer(?:s|ed)\b(?!\s+to\b)"),
    ("ConcessionMade", 0.85, r"\bconcession\b|\bcompromise\b|\bforgo\b|\bgive up\b|\bgiving up\b|\brelinquish(?:es|ed|ing)?\b|willing(?:ness)? to|ready to|open to|\bmay limit\b|restricting"),
    ("ConcessionMade", 0.85, r"\bunilateral (?:[\w-]+ ){0,3}?(?:truce|ceasefire|cease-fire|pause|cessation)\b"),
    # a promise to give ground: "promised to ease restrictions", "offered to lift the tariffs", "pledged to withdraw"
    ("ConcessionMade", 0.85, r"\b(?:promis(?:e|es|ed|ing)|pledg(?:e|es|ed|ing)|offer(?:s|ed|ing)?|commit(?:s|ted|ting)?)\s+to\s+(?:\w+ly\s+)?(?:ease|lift|lower|cut|reduce|drop|remove|suspend|delay|postpone|release|withdraw|pull back|scrap|waive|relax|pause|halt|freeze|roll back|unfreeze)\b"),
    ("GuaranteeOffered", 0.8, r"\bassur(?:e|es|ed|ing)\b|\bpledg(?:e|es|ed)\b|\bguarantee(?:s|d)? (?:from|for|to)\b|continue supporting|willingness to send|send troops|commit(?:s|ted)? to (?:send|defend|support)"),
    ("Accepted", 0.8, r"(?<!be )(?<!been )(?<!being )(?<!was )(?<!were )\baccept(?:s|ed|ing)?\b|\bagree(?:s|d)? (?:that|to|with)\b|\bwelcom(?:e|es|ed)\b|can be the basis|basis for future|\bendors(?:e|es|ed)\b|\bapprov(?:e|es|ed|al)\b|\b(?:good|acceptable|positive) in principle\b|\b(?:its|their|his|her|our) (?:agreement|consent) to\b|\bacceptance of\b"),
    ("PositionStated", 0.65, r"\birreversible\b|\bnon-negotiable\b|\bnot negotiable\b|\b(?:positive|constructive|productive|serious|useful)\b|\bnarrow(?:ed)? (?:their|the) differences\b|\bcloser\b|\bnever (?:been )?promised\b|\bunlikely\b|\bright to\b"),
    # acts that take a position: sanctions imposed or lifted, a deal abandoned or left
    ("PositionStated", 0.6, r"\b(?:re)?impos(?:ed|es|ing)\b (?:\w+ ){0,2}(?:sanctions|tariffs|embargo)|\blift(?:ed|s|ing)? (?:\w+ ){0,2}sanctions\b|\babandon(?:ed|s)\b (?:\w+ ){0,3}(?:deal|agreement|accord|treaty|talks)|\b(?:withdrew|pulled out) (?:\w+ )?from (?:\w+ ){0,3}(?:deal|agreement|accord|treaty|talks)\b"),
    ("PositionStated", 0.55, r"\bsa(?:id|ys|y)\b|\bstat(?:ed|es)\b(?<!united states)|\btold\b|\badded\b|\bnot(?:ed|es)\b|\bstress(?:ed|es)\b|\bemphasi[sz](?:ed|es)\b|\bmaintain(?:s|ed)?\b|\bargu(?:ed|es)\b|\bclaim(?:s|ed)?\b|\basserted\b|\baffirm(?:s|ed)?\b|\breaffirm(?:s|ed)?\b|\bindicated\b|\bsuggest(?:s|ed|ing)\b|\bannounc(?:ed|es)\b|\bopposed?\b|\bopposition\b|\bremarked\b|\backnowledg(?:ed|es|ing)\b|\bexpress(?:ed|es|ing)\b|\bdescribed\b|\bcriticiz(?:ed|es)\b|\bcondemn(?:s|ed)\b|\bhighlight(?:s|ed)\b|\breiterat(?:ed|es)\b|\birreversible\b|\bclarified\b|\bcharacterized\b|\bconfirm(?:ed|s|ing)\b"),
]
_CUES = [(t, w, re.compile(p, re.I)) for t, w, p in CUES]

# Words that turn a statement against what it names ("not", "never", "rejects"). Verbs of ending ("stop",
# "halt", "end", "limit") are not among them: "the fighting stops" and "a ceasefire" say the same thing, and
# counting them turned a stance on "X stops" or "X eases restrictions" upside down (measured on the tuning
# sets' coded stances with benchmarks/extraction/stances.py: 62.6% right with them, 74.7% without, of 91;
# with the two tuning sets added since, 60.0% and 73.3% of 120, against 72.5% for "supports" always).
_NEGATIONS = re.compile(
    r"\b(?:not|never|no|without|neither|nor|won't|cannot|can't|against|oppos\w*|reject\w*|refus\w*|dismiss\w*|rebuff\w*|"
    r"veto|unacceptable|impractical)\b",
    re.I,
)
_CONDITIONAL = re.compile(r"\b(?:if|unless|only (?:after|if|when)|provided|on condition|in exchange for|conditional|as long as|depends on|hinges on)\b", re.I)

STOP = frozenset(
    "a an the of to in on for and or but with by from at as is are was were be been being its it this that these those their his her "
    "our we they he she any all may must will would can could should has have had not no never into within over under out "
    "about after before between than then there which who whom what when where while also such more most other some".split()
    # words of degree and kind, in a proposition or a sentence: they never say what an issue is about
    + "substantial significant important major key new full fully further certain each every both own current "
    "main real serious large quantities".split()
)
# General synonyms of negotiation vocabulary, stem → stems counted as the same word.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "troop": ("forc", "contingent", "soldier", "peacekeep", "deploy", "men", "militar"),
    "ceasefir": ("truce", "cessat", "hostil", "armistic", "fight", "aggress"),
    "guarante": ("assur", "secur", "protect", "arrangement", "commit"),
    "neutral": ("neutral", "non-align", "nonalign", "outsid"),
    "member": ("join", "admit", "admiss", "access", "membership", "integr", "bid", "aspir", "ambit", "expan", "enlarg"),
    "withdraw": ("withdrawal", "pull", "retreat", "relinquish", "cede"),
    "territor": ("land", "region", "line", "front", "donetsk", "zone"),
    "plan": ("plan", "framework", "deal", "settlement", "agreement", "point", "basi"),
    "sanction": ("sanction", "embargo", "restrict", "pressur"),
    "enrich": ("enrich", "uranium", "centrifug"),
    "dismantl": ("dismantl", "facilit"),  # not "eliminate", "destroy": verbs of ending say nothing of what ends
    "negotiat": ("talk", "negoti", "round", "dialog", "diplomac", "framework", "meeting", "summit", "session"),
    "foreign": ("foreign", "european", "western", "allied", "intern"),
    "agreement": ("deal", "accord", "treati", "agreement", "pact"),
}


def stem(word: str) -> str:
    w = word.lower().strip("'’\".,;:()[]")
    w = re.sub(r"['’]s$", "", w)
    for suffix in ("ations", "ation", "ments", "ment", "ities", "ity", "ness", "ing", "ies", "ied", "ed", "es", "s", "e", "y"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


_WORDS = re.compile(r"[A-Za-z\u00c0-\u024f][\w\u00c0-\u024f-]*")


def _words(text: str) -> list[str]:
    """The words of ``text`` that can mean something: not stop words, not single letters."""
    return [w for w in _WORDS.findall(text) if w.lower() not in STOP and len(w) > 1]


def tokens(text: str) -> list[str]:
    return [stem(w) for w in _words(text)]


@dataclass(frozen=True)
class TypeGuess:
    type: str
    weight: float
    cue: str
    position: int


def cue_type(sentence: str) -> TypeGuess | None:
    """The strongest cue of the sentence (the first of equal weight), or None."""
    best: TypeGuess | None = None
    for kind, weight, pattern in _CUES:
        m = pattern.search(sentence)
        if m and (best is None or weight > best.weight):
            best = TypeGuess(kind, weight, m[0], m.start())
    if best is not None:
        sub = None
        for m in _SUBORDINATE.finditer(sentence, 0, best.position):
            sub = m
        main = [g for g in all_cues(sentence[: sub.start()]) if g.type != "PositionStated"] if sub else []
        if main:
            # "…announced a unilateral truce, a day after the army dismissed the proposal": the move is the main
            # clause's; the clause after "after", "since", "when" tells what came before
            best = max(main, key=lambda g: g.weight)
    referred_to = best is not None and (
        NOUN_CUE.fullmatch(best.cue) and _NOMINAL.search(sentence[: best.position])
        and not _OWN_ACT.search(sentence[: best.position])  # "expressed his approval of": his own act, made here
        # "the truce proposed by the Quad": a participle after its noun, a move referred to
        or _PARTICIPLE.fullmatch(best.cue) and _BY.match(sentence, best.position + len(best.cue))
        and not _BE.search(sentence[: best.position])
    )
    if best is not None and referred_to:
        # "a series of demands", "US proposals": a move referred to, not made here, so less sure; and a verb
        # before it that governs it is the move ("Cambodia accepted the proposal", "rejected Baku's demands")
        referred = TypeGuess(best.type, round(best.weight * NOMINAL_WEIGHT, 3), best.cue, best.position)
        governing = [
            g for g in all_cues(sentence[: best.position])
            if g.type not in ("PositionStated", best.type) and not NOUN_CUE.fullmatch(g.cue) and g.weight > referred.weight
        ]
        best = max(governing, key=lambda g: g.weight) if governing else referred
    if best is not None:
        # a longer cue that contains the strongest one is the more specific reading
        # ("willingness to send" troops is an offer, not the bare "willingness to")
        for g in all_cues(sentence):
            end, best_end = g.position + len(g.cue), best.position + len(best.cue)
            longer = g.position <= best.position and end >= best_end and len(g.cue) > len(best.cue)
            if longer and g.type != "PositionStated":
                best = TypeGuess(g.type, max(g.weight, best.weight), g.cue, g.position)
        denial = None
        for d in _DENIAL.finditer(sentence, 0, best.position):
            denial = d
        if denial is not None and best.type != "PositionStated" and not _CLAUSE_BREAK.search(sentence, denial.end(), best.position):
            # "Pashinian denied that he wants to scrap the constitution": a move denied is a position, not that move
            return TypeGuess("PositionStated", DENIAL_WEIGHT, denial[0], denial.start())
    return best


_SUBORDINATE = re.compile(
    r",\s+(?:(?:a|one|two|three) (?:day|days|week|weeks|month|months) )?(?:after|since|before|when|until)\b"
    r"|\s(?:shortly|soon|just|right|hours|days|weeks) after\b",  # "accepted the invitation shortly after it was proposed"
    re.I,
)
_PARTICIPLE = re.compile(r"(?i:\w+ed)")
_BY = re.compile(r"\s+by\b")
_BE = re.compile(r"\b(?:is|was|were|are|be|been|being|has|have|had|it|they|he|she)\s+(?:\w+ly\s+)?$", re.I)
DENIAL_WEIGHT = 0.65
_DENIAL = re.compile(r"\b(?:den(?:y|ies|ied|ying)|dismiss(?:es|ed)? (?:claims?|reports?|suggestions?))\b", re.I)
_CLAUSE_BREAK = re.compile(r";|\bbut\b|\bwhile\b|\bwhereas\b|\byet\b|\balthough\b", re.I)
NOMINAL_WEIGHT = 0.7
_OWN_ACT = re.compile(
    r"\b(?:express(?:ed|es|ing)?|voic(?:ed|es|ing)|announc(?:ed|es|ing)|reiterat(?:ed|es|ing)|declar(?:ed|es|ing))\s+"
    r"(?:his|her|its|their|our)\s+(?:\w+\s+)?$",
    re.I,
)
NOUN_CUE = re.compile(r"(?i:demands?|proposals?|requests?|concessions?|compromise|insistence|offers|approval)")
_NOMINAL = re.compile(
    r"(?:\b(?:(?i:a|an|the|these|those|such|this|its|their|his|her|our|of|new|latest|key|main|recent|following|after|amid|despite|several|many|some|two|three|final)|US|U\.S\.)"
    r"|['’]s)\s+(?:[\w-]+\s+)?$"  # "a new European proposal", "the EU's compromise proposal": a word between
)


def all_cues(sentence: str) -> list[TypeGuess]:
    out = []
    for kind, weight, pattern in _CUES:
        for m in pattern.finditer(sentence):
            out.append(TypeGuess(kind, weight, m[0], m.start()))
    return sorted(out, key=lambda g: g.position)


PARTY_WEIGHT = 0.5  # a party's name says little about which issue a sentence is on


# A condition attached to a move ("before agreeing to …", "in exchange for …", "unless …"): its words say
# what the move's price is, not what it is about, so they count for less in the sentence's issue score.
_CONDITION = re.compile(
    r"\b(?:(?:before|until)\s+(?=\w+ing\b)|(?:unless|in exchange for|in return for|on condition that|provided that)\s+)"
    r"([^,;:.!?]+)",  # "before agreeing …", not "before the Sunday talks": a time, not a price
    re.I,
)
CONDITION_DISCOUNT = 0.5

# How much the words a cue governs (``focus``) count, beyond the sentence's, for its issue: a verb's object counts
# half again; a noun cue's own words ("Hamas' demand for a permanent ceasefire") name the item (tuning sets: 104 of
# 208 matched at 0.5, 105 at 1.5 and 2, 106 from 2.5 to 8)
VERB_FOCUS = 0.5
NOUN_FOCUS = 3.0

BREADTH = 0.5  # how much an issue's breadth (the share of the articles' sentences it matches) discounts it


# "as part of any peace deal", "for any settlement to occur": the frame of a demand, not what it is about
_HEDGE = re.compile(
    r"\b(?:as part of |for |in |of |to |under |within )?(?:any|a future|a possible|an eventual|a potential|a final)\s+"
    r"(?:(?:\w+|U\.S\.)[\s-]+){0,2}?(?:deal|agreement|settlement|accord|plan|negotiations?|talks|peace|resolution|truce|pact)\b",
    re.I,
)


# Verbs of the moves themselves ("Serbia accepts …" in a proposition, "we accepted the proposal" in a
# sentence): what a party does, never what an issue is about.
_MOVE_WORDS = ("accept", "reject", "refus", "demand", "insist", "propos", "offer", "welcom", "dismiss", "rebuff")


# "agreeing to release hostages": the verb (not the noun "agreement", which is what some issues are about)
_MOVE_VERBS = frozenset({"agree", "agrees", "agreed", "agreeing"})


def topic_tokens(text: str) -> list[str]:
    """The words of ``text`` that can say what it is about: its tokens less the verbs of moves."""
    return [t for w in _words(text) if w.lower() not in _MOVE_VERBS and not (t := stem(w)).startswith(_MOVE_WORDS)]


class IssueIndex:
    """Word overlap between a sentence and each declared issue, words few issues share weighing more."""

    def __init__(
        self, issues: Mapping[str, Mapping[str, Any]], party_words: set[str], canonical: Callable[[str], str] | None = None
    ):
        self.issues = list(issues)
        self.canonical = canonical or (lambda text: text)
        self._memo: dict[str, dict[str, float]] = {}
        self._paragraphs: dict[str, dict[str, float]] = {}  # a paragraph's scores, asked once per sentence in it
        self._about: dict[str, str | None] = {}  # an article's issue, asked once per answer in it
        self.breadth: dict[str, float] = {}
        self.vocab: dict[str, set[str]] = {}
        for key, issue in issues.items():
            text = " ".join([key.replace("-", " "), issue.get("title") or "", issue.get("proposition") or ""])
            words = set(topic_tokens(self.canonical(text)))
            expanded = set(words)
            for w in words:
                for base, syns in SYNONYMS.items():
                    if w.startswith(base) or base.startswith(w):
                        expanded |= {base, *syns}  # the issue's own word: all it is also called
                    elif any(w.startswith(x) for x in syns):
                        expanded.add(base)  # a word it is also called: only the word itself
            self.vocab[key] = expanded
        n = max(len(issues), 1)
        counts: dict[str, int] = {}
        for words in self.vocab.values():
            for w in words:
                counts[w] = counts.get(w, 0) + 1
        self.weight = {w: math.log(1 + n / c) for w, c in counts.items()}
        for w in {stem(p) for p in party_words} | {w for w in self.weight if w.startswith("xparty")}:
            if w in self.weight:
                self.weight[w] *= PARTY_WEIGHT

    def learn(self, sentences: list[str]) -> None:
        """Weigh each issue by how broad it is in the articles being drafted.

        An issue whose words most sentences hold (the talks themselves, "the deal") is
        what a sentence is on only when no narrower issue shares its words: its scores
        count less, by the share of sentences it touches.  (The words themselves are
        not weighed by their rarity in the articles: the issue an article is about is
        named in most of its sentences, and that must not count against it.)
        """
        n = len(sentences)
        hits = dict.fromkeys(self.issues, 0)
        for text in sentences:
            for key, v in self.scores(text, parties=False).items():
                hits[key] += v > 0
        self.breadth = {k: c / (n + 10) for k, c in hits.items()}  # smoothed: a short text says little of breadth

    def _word_scores(self, word: str) -> dict[str, float]:
        """What one word adds to each issue's score (memoised: articles repeat their words)."""
        got = self._memo.get(word)
        if got is None:
            got = {}
            for key in self.issues:
                hits = [
                    v for v in self.vocab[key]
                    if word == v or (len(v) >= 4 and word.startswith(v)) or (len(word) >= 4 and v.startswith(word))
                ]
                if hits:
                    # the word itself, else the longest of its vocabulary words it matches: never a set's order,
                    # which changes with the interpreter's hash seed (the same article drafted two ways)
                    v = word if word in hits else max(hits, key=lambda h: (len(h), h))
                    got[key] = self.weight.get(v, 0.5)
            self._memo[word] = got
        return got

    def scores(self, sentence: str, parties: bool = True) -> dict[str, float]:
        out = dict.fromkeys(self.issues, 0.0)
        for w in sorted(set(topic_tokens(_HEDGE.sub(" ", self.canonical(sentence))))):  # a fixed order: the same sums
            if not parties and w.startswith("xparty"):
                continue
            for key, value in self._word_scores(w).items():
                out[key] += value
        return out

    def about(self, text: str) -> str | None:
        """The issue a whole text (an article) is most about, asked once per text.

        (An answer whose words name no issue, "the agreement was good in principle",
        is on what its article is about; tuning sets 106 → 108 of 208 matched, 185 →
        188 drafted; for every kind of move, 190 drafted for the same 108.)
        """
        if text not in self._about:
            self._about[text] = self.best(text)[0]
        return self._about[text]

    def best(
        self, sentence: str, context: str = "", focus: str = "", antecedent: str = "", focus_weight: float = VERB_FOCUS
    ) -> tuple[str | None, float, float]:
        """(issue, score, margin over the runner-up).

        ``focus``, the words the cue governs (what is demanded, rejected …), counts
        half again; ``antecedent``, the sentence a "such conditions" or "this matter"
        points back to, counts fully; the paragraph's words (``context``) break ties.
        """
        s = self.scores(sentence)
        condition = _CONDITION.search(sentence)
        if condition:  # "… before agreeing to release any more hostages": the price, not what is asked
            for k, v in self.scores(condition[1]).items():
                s[k] -= CONDITION_DISCOUNT * v
        if focus:
            for k, v in self.scores(focus).items():
                s[k] += focus_weight * v
        if antecedent:  # "such conditions", "this matter": what the sentence before was on
            for k, v in self.scores(antecedent).items():
                s[k] += v
        if context:
            if context not in self._paragraphs:
                self._paragraphs[context] = self.scores(context)
            for k, v in self._paragraphs[context].items():
                s[k] += 0.2 * v
        for k in s:
            s[k] *= (1.0 - self.breadth.get(k, 0.0)) ** BREADTH
        ranked = sorted(s.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] <= 0:
            return None, 0.0, 0.0
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        return ranked[0][0], ranked[0][1], ranked[0][1] - second


def stance(sentence: str, proposition: str | None, kind: str) -> str | None:
    """supports / opposes / conditional towards the proposition, or None when the type carries none."""
    if kind in ("ThreatIssued", "Accepted", "Rejected", "Withdrawn", "AgreementReached", "ReportRetracted"):
        return None
    if kind == "ConcessionMade":
        return "conditional"
    if _CONDITIONAL.search(sentence) and kind == "PositionStated":
        return "conditional"
    said = len(_NEGATIONS.findall(sentence))
    meant = len(_NEGATIONS.findall(proposition or ""))
    return "opposes" if (said + meant) % 2 else "supports"
