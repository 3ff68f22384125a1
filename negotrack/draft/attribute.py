"""Who is speaking: the declared actors and parties a sentence names, and which one is the speaker.

An actor is named by full name, surname (spelling variants too: "Zelenskyy" for
"Zelensky"), "Mr./Ms. Surname", the first word of the name standing alone where no other
actor's name starts with it ("Anwar said", "Phumtham wanted"), or by role and party ("Russia's deputy foreign
minister", "the NATO chief", "Iran's top diplomat").  A party by its id, name,
demonym with an official noun ("Russian officials"), capital or seat of power
("Moscow", "the Kremlin").  Pronouns ("he said") go to the last actor who spoke.
Nothing is guessed: a sentence whose speaker cannot be found is reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from negotrack.draft.gazetteer import aliases, declared_parts, generic_names
from negotrack.speedups import folded as _folded, needle as _needle

# What a role is also called in the news (lower case).
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "foreign minister": ("top diplomat", "foreign secretary", "chief diplomat", "secretary of state"),
    "secretary general": ("chief", "head", "secretary-general", "leader"),
    "president": ("leader", "head of state"),
    "prime minister": ("premier", "pm", "leader", "head of government"),
    "chancellor": ("leader",),
    "spokeswoman": ("spokesperson", "spokesman", "spokeswoman", "press secretary", "spokesperson"),
    "spokesperson": ("spokesman", "spokeswoman", "press secretary"),
    "spokesman": ("spokesperson", "spokeswoman", "press secretary"),
    "special envoy": ("envoy", "negotiator", "chief negotiator", "special representative"),
    "envoy": ("special envoy", "negotiator", "special representative"),
    "supreme leader": ("leader", "ayatollah"),
    "defence minister": ("defense minister", "defense secretary", "defence secretary"),
    "defense minister": ("defence minister", "defense secretary"),
}
OFFICIAL_NOUNS = (
    "officials", "official", "government", "authorities", "side", "delegation", "diplomats", "negotiators",
    "leadership", "foreign ministry", "ministry", "administration", "state media", "embassy", "military", "parliament",
    "leaders", "sources", "spokesperson", "spokesman", "spokeswoman",
)
# Roles one party's people hold many of: never the one actor by themselves
_COMMON_ROLES = frozenset({"official", "senior official", "spokesperson", "spokesman", "spokeswoman", "negotiator", "minister"})
PRONOUNS = re.compile(r"\b(he|she|they|He|She|They)\b")
_ADJACENT = re.compile(r"(?:['’]s)?\s+")  # between two words of one name
_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f][\w\u00c0-\u024f'’.-]*[\w\u00c0-\u024f]|[A-Za-z]")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    key: str  # actor or party id
    kind: str  # "actor" | "party"
    how: str  # full-name, surname, given-name, role, name, demonym, seat, pronoun
    possessive: bool = False  # followed by 's (a modifier, seldom the speaker)

    @property
    def strength(self) -> float:
        return {"full-name": 0.95, "surname": 0.85, "given-name": 0.8, "role": 0.8, "name": 0.75, "seat": 0.75, "demonym": 0.65, "pronoun": 0.6}[self.how]


def _bare(name: str) -> str:
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip()


def _phrase(words: str, flags: int = 0) -> re.Pattern[str]:
    return re.compile(r"(?<![\w])" + re.escape(words).replace(r"\ ", r"\s+") + r"(?![\w])", flags)


class Lexicon:
    """Patterns for the declared actors and parties of one thread."""

    def __init__(self, parties: Mapping[str, Mapping[str, Any]], actors: Mapping[str, Mapping[str, Any]]):
        self.parties = parties
        self.actors = actors
        self.party_words: dict[str, dict[str, tuple[str, ...]]] = {}
        # pattern, key, kind, how, and the needle: a word every match holds (see _needle)
        self.patterns: list[tuple[re.Pattern[str], str, str, str, str]] = []
        # A name the table does not know ("Sudanese Armed Forces and the army-led government") is also named by
        # its parts and by its kind ("the army", "the government"), where no other party is named so too.
        names = {pid: _bare(p.get("name") or pid) for pid, p in parties.items()}
        base = {pid: aliases(pid, name) for pid, name in names.items()}
        unknown = {pid for pid, b in base.items() if len(b["name"]) <= 2 and not b["demonym"] and not b["seat"]}
        extra = {pid: (*declared_parts(names[pid]), *generic_names(names[pid])) if pid in unknown else () for pid in parties}
        claimed = Counter(w.lower() for pid in parties for w in {*base[pid]["name"], *extra[pid]})
        for pid in parties:
            own = {w.lower() for w in base[pid]["name"]}
            more = tuple(w for w in extra[pid] if claimed[w.lower()] == 1 and w.lower() not in own)
            words = {**base[pid], "name": base[pid]["name"] + more}
            self.party_words[pid] = words
            for name in sorted(set(words["name"]), key=len, reverse=True):
                short = len(name) <= 4
                self.patterns.append((_phrase(name, 0 if short else re.I), pid, "party", "name", _needle(name)))
            for seat in words["seat"]:
                self.patterns.append((_phrase(seat), pid, "party", "seat", _needle(seat)))
            for dem in words["demonym"]:
                nouns = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in OFFICIAL_NOUNS)
                pat = re.compile(rf"\b{re.escape(dem)}\s+(?:{nouns})\b")
                self.patterns.append((pat, pid, "party", "demonym", _needle(dem)))
        self.surnames: dict[str, str] = {}
        for aid, a in actors.items():
            full = _bare(a.get("name") or aid)
            parts = full.split()
            self.patterns.append((_phrase(full), aid, "actor", "full-name", _needle(full)))
            if len(parts) > 1:
                self.surnames[aid] = parts[-1]
        self._plain_surnames = [(aid, surname, _plain(surname)) for aid, surname in self.surnames.items()]
        # "Anwar said", "Phumtham wanted", "Hun said": many names are written by their first word alone;
        # one no other actor's name starts with, standing alone (not "Hun Sen", not "Scott Morrison")
        firsts: dict[str, list[str]] = {}
        for aid, a in actors.items():
            parts = _bare(a.get("name") or aid).split()
            if len(parts) > 1 and len(parts[0]) >= 3 and parts[0][:1].isupper() and not parts[0].endswith("."):
                firsts.setdefault(parts[0], []).append(aid)
        self.given = {name: aids[0] for name, aids in firsts.items() if len(aids) == 1 and name not in self.surnames.values()}
        self._roles = self._role_patterns()
        self._demonym_party = {d: pid for pid, words in self.party_words.items() for d in words["demonym"] if d}
        self._demonyms = (
            re.compile(r"\b(?:" + "|".join(re.escape(d) for d in sorted(self._demonym_party, key=len, reverse=True)) + r")\b")
            if self._demonym_party else None
        )
        self._memo: dict[str, list[Mention]] = {}

    def _role_patterns(self) -> list[tuple[re.Pattern[str], str, str]]:
        out: list[tuple[re.Pattern[str], str, str]] = []  # pattern, actor, needle
        # "The Prime Minister expressed …": a role of several words, written capitalised, held by one actor only
        roles = [(a.get("role") or "").lower().strip() for a in self.actors.values()]
        for aid, a in self.actors.items():
            role = (a.get("role") or "").strip()
            held = sum(1 for r in roles if r and (role.lower() in r or r in role.lower()))  # "Caretaker Prime Minister" too
            if len(role.split()) >= 2 and held == 1 and role.lower() not in _COMMON_ROLES:
                words = r"\s+".join(re.escape(w[:1].upper() + w[1:]) for w in role.split())
                out.append((re.compile(rf"\b[Tt]he\s+{words}\b(?!\s+of\b)"), aid, _needle(role.lower())))
        for aid, a in self.actors.items():
            role = (a.get("role") or "").lower().strip()
            if not role:
                continue
            forms = {role, *ROLE_SYNONYMS.get(role, ())}
            for base, syns in ROLE_SYNONYMS.items():
                if role.endswith(base) and role != base:  # "deputy foreign minister" keeps its "deputy"
                    prefix = role[: -len(base)]
                    forms |= {prefix + s for s in syns}
            party = a.get("party")
            words = self.party_words.get(party, {"name": (party,), "demonym": (), "seat": ()})
            owners = [w for w in (*words["name"], *words["demonym"], *words["seat"]) if w]
            owner = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(owners, key=len, reverse=True))
            for form in forms:
                f = re.escape(form).replace(r"\ ", r"\s+")
                # "Russia's deputy foreign minister", "the NATO chief", "Iranian Foreign Minister", "the Kremlin spokesperson"
                pat = re.compile(rf"(?:\b(?:{owner})(?:['’]s)?\s+(?:\w+\s+)?{f}\b|\b{f}\s+of\s+(?:the\s+)?(?:{owner})\b)", re.I)
                out.append((pat, aid, _needle(form)))
                head, _, tail = form.partition(" ")
                if head in ("top", "chief", "senior") and tail:  # "the top Iranian diplomat"
                    t = re.escape(tail).replace(r"\ ", r"\s+")
                    out.append((re.compile(rf"\b{head}\s+(?:{owner})\s+{t}\b", re.I), aid, _needle(tail)))
        return out

    def mentions(self, text: str) -> list[Mention]:
        """Every declared actor and party the text names (memoised per text)."""
        got = self._memo.get(text)
        if got is None:
            got = self._memo[text] = self._mentions(text)
        return got

    def _mentions(self, text: str) -> list[Mention]:
        found: list[Mention] = []
        folded = _folded(text)
        for pat, key, kind, how, needle in self.patterns:
            if needle in folded:  # a pattern whose word the text lacks cannot match: not run
                for m in pat.finditer(text):
                    found.append(self._mention(text, m.start(), m.end(), key, kind, how))
        for pat, aid, needle in self._roles:
            if needle in folded:
                for m in pat.finditer(text):
                    found.append(self._mention(text, m.start(), m.end(), aid, "actor", "role"))
        capitalised = []
        for m in _TOKEN.finditer(text):
            tok = m[0][:-2] if m[0].endswith(("’s", "'s")) else m[0]
            if tok[:1].isupper():
                capitalised.append((m.start(), tok, _plain(tok)))
        for aid, surname, plain in self._plain_surnames:
            for start, tok, tok_plain in capitalised:
                if tok == surname or _same_plain(tok_plain, plain):
                    found.append(self._mention(text, start, start + len(tok), aid, "actor", "surname"))
        for i, (start, tok, _) in enumerate(capitalised):
            aid = self.given.get(tok)
            if aid is None:
                continue
            after = capitalised[i + 1] if i + 1 < len(capitalised) else None
            before = capitalised[i - 1] if i else None
            alone = (after is None or not _ADJACENT.fullmatch(text[start + len(tok) : after[0]])) and (
                before is None or not _ADJACENT.fullmatch(text[before[0] + len(before[1]) : start])
            )
            if alone:
                found.append(self._mention(text, start, start + len(tok), aid, "actor", "given-name"))
        return _resolve_overlaps(found)

    def canonical(self, text: str) -> str:
        """The text with each party named by one token (``xpartyru``) and actors' names and roles taken out.

        For comparing words, not for quoting: "the alliance", "NATO" and "the North
        Atlantic Treaty Organization" become one word, and "Russia's deputy foreign
        minister" no longer says "foreign".
        """
        out, pos = [], 0
        for m in self.mentions(text):
            out.append(text[pos : m.start])
            out.append(f" xparty{re.sub(r'[^a-z]', '', m.key.lower())} " if m.kind == "party" else " ")
            pos = m.end + (2 if m.possessive and text[m.end : m.end + 2] in ("’s", "'s") else 0)
        out.append(text[pos:])
        joined = "".join(out)
        if self._demonyms is None:
            return joined
        # a demonym standing alone ("Chinese purchases", "an Israeli withdrawal") is its party too
        return self._demonyms.sub(lambda m: f" xparty{re.sub(r'[^a-z]', '', self._demonym_party[m[0]].lower())} ", joined)

    @staticmethod
    def _mention(text: str, start: int, end: int, key: str, kind: str, how: str) -> Mention:
        possessive = text[end : end + 2] in ("’s", "'s") or text[end : end + 1] in ("’", "'") and text[end + 1 : end + 2] == " "
        return Mention(start, end, key, kind, how, possessive)

    def party_of(self, m: Mention) -> str:
        return self.actors[m.key]["party"] if m.kind == "actor" else m.key


def _plain(word: str) -> str:
    """The word without its diacritics ("Vučić" → "Vucic"), lower case."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)).lower()


def _same_plain(token: str, surname: str) -> bool:
    """Whether a token names the surname, both already :func:`_plain` ("Zelenskyy" names "Zelensky")."""
    if token == surname:
        return True
    if token[:2] != surname[:2] or abs(len(token) - len(surname)) > 2 or len(surname) < 4:
        return False
    return SequenceMatcher(None, token, surname).ratio() >= 0.8


def _resolve_overlaps(found: list[Mention]) -> list[Mention]:
    """Keep the longest mention where mentions overlap (an actor's role wins over its party's name)."""
    rank = {"actor": 1, "party": 0}
    found.sort(key=lambda m: (-(m.end - m.start), -rank[m.kind], -m.strength, m.start))
    kept: list[Mention] = []
    for m in found:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
