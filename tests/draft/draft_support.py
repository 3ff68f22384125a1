"""A small thread of declarations and a raw article, for the drafting tests."""

from __future__ import annotations

from datetime import date

from negotrack.draft.extract import Article, Declarations

PARTIES = {"AM": {"name": "Armenia"}, "AZ": {"name": "Azerbaijan"}, "EU": {"name": "European Union"}}
ACTORS = {
    "pashinyan": {"name": "Nikol Pashinyan", "party": "AM", "role": "Prime Minister"},
    "bayramov": {"name": "Jeyhun Bayramov", "party": "AZ", "role": "Foreign Minister"},
}
ISSUES = {
    "constitution": {"title": "Armenia's constitution", "proposition": "Armenia changes its constitution"},
    "border": {"title": "Border demarcation", "proposition": "The border is demarcated on the 1991 maps"},
    "corridor": {"title": "Transit corridor", "proposition": "Azerbaijan gets an extraterritorial corridor through Armenia"},
}

DECLARATIONS_YAML = """\
negotrack: 1
thread:
  id: caucasus
  title: Armenia–Azerbaijan peace treaty
  parties:
    AM: {name: Armenia}
    AZ: {name: Azerbaijan}
    EU: {name: European Union}
  actors:
    pashinyan: {name: Nikol Pashinyan, party: AM, role: Prime Minister}
    bayramov: {name: Jeyhun Bayramov, party: AZ, role: Foreign Minister}
  issues:
    constitution: {title: Armenia's constitution, proposition: Armenia changes its constitution}
    border: {title: Border demarcation, proposition: The border is demarcated on the 1991 maps}
    corridor: {title: Transit corridor, proposition: Azerbaijan gets an extraterritorial corridor through Armenia}
events: []
"""

# As captured: an error page's leftovers, a byline, a paragraph printed twice, curly
# quotes, a dash, a quote full of colons and '#', a disclaimer and a "keep reading" list.
ARTICLE = """403
Sorry!!
Error! We're sorry, but the page you were looking for doesn't exist.
Peace treaty talks: where things stand
By
Jane Doe Avatar
Armenian Prime Minister Nikol Pashinyan said on Tuesday that Armenia will not change its constitution under pressure from Baku.
“We are ready to sign the agreed text: the border can be demarcated on the 1991 maps — today, #not tomorrow,” he said.
Azerbaijan’s top diplomat rejected the idea of a delay and insisted that the border must be demarcated first.
Azerbaijani officials demanded an extraterritorial corridor through Armenia last week.
Observers demanded a quick signature before the summit.
Azerbaijani officials demanded an extraterritorial corridor through Armenia last week.
Legal Disclaimer:
MENAFN provides the information “as is” without warranty of any kind.
KEEP READING
  • Ten things to know about the Caucasus
"""
PUBLISHED = date(2025, 9, 17)  # a Wednesday


def declarations() -> Declarations:
    return Declarations("caucasus", "Armenia–Azerbaijan peace treaty", PARTIES, ACTORS, ISSUES)


def article(text: str = ARTICLE, source: str = "a", published: date = PUBLISHED) -> Article:
    return Article(source, f"{source}.txt", text, published)
