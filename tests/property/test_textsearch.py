"""The matching rule of `negotrack search` cuts words one way, whatever the path through the code.

``words`` has a fast path for ASCII text; the index stores the words of an
event's fields cut in one pass; the marks shown in results are found by a
third loop over the text.  All three must cut the same words, or an event
would be found without its words marked, or marked without being found.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from negotrack.domain.textsearch import _FOLD, MAX_WORD, index_words, marks, matches, query_words, words

TEXT = st.text(max_size=60) | st.sampled_from(["Élysée 100- percent", "naïve Avalon's", "Straße ǅ ﬁne", "e\u0301te\u0301", "x_y"])
ASCII = st.text(st.characters(max_codepoint=127), max_size=60)


@settings(max_examples=300, deadline=None)
@given(ASCII)
def test_the_ascii_fast_path_cuts_what_the_general_path_cuts(text):
    assert words(text) == [w[:MAX_WORD] for w in text.translate(_FOLD).split()]


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_the_marks_cover_exactly_the_words(text):
    spans = marks(text, [""])  # the empty prefix begins every word
    assert [w for a, b in spans for w in words(text[a:b])] == words(text)
    assert all(len(words(text[a:b])) == 1 for a, b in spans)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(TEXT, max_size=3), TEXT)
def test_an_event_is_found_exactly_when_each_query_word_is_marked_somewhere(summary, quotes, query):
    body = {"summary": summary, "source": [{"ref": "s", "quote": q} for q in quotes]}
    wanted = query_words(query)
    texts = [summary, *quotes]
    assert index_words(body) == " ".join(sorted({w for t in texts if t for w in words(t)}))
    found = matches(index_words(body), wanted)
    marked = {q for t in texts if t for a, b in marks(t, wanted) for w in words(t[a:b]) for q in wanted if w.startswith(q)}
    assert found == (set(wanted) <= marked)


LONG_ASCII = st.lists(st.text(st.characters(max_codepoint=127), max_size=20) | st.sampled_from(["x" * 70, "A1" * 40]), max_size=6).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(LONG_ASCII, st.lists(ASCII | LONG_ASCII, max_size=3))
def test_the_index_words_of_ascii_text_are_its_words(summary, quotes):
    body = {"summary": summary, "source": [{"ref": "s", "quote": q} for q in quotes] + [{"ref": "t"}]}
    texts = [summary, *quotes]
    assert index_words(body) == " ".join(sorted({w for t in texts if t for w in words(t)}))
