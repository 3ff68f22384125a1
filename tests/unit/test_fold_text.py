"""Quote matching folds white space, quotes and dashes; its fast path folds exactly as the rule says."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from negotrack.domain.rules import _QUOTES, fold_text

_SPACE = re.compile(r"\s+")


def reference(text: str) -> str:
    """The rule as the docstring says it: quotes and dashes folded, accents composed (NFC), white space folded."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text.translate(_QUOTES))).strip()


def test_every_white_space_character_but_the_space_is_unprintable():
    # what fold_text's fast path relies on
    spaces = [c for c in map(chr, range(0x110000)) if _SPACE.fullmatch(c)]
    assert " " in spaces and all(not c.isprintable() for c in spaces if c != " ")


@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r\x0b\x0c\u00a0\u2003\u2028\u3000\u201c\u2019\u2014x")) | st.characters()))
def test_fold_text_is_the_rule(text: str):
    assert fold_text(text) == reference(text)


def test_compatibility_characters_are_composed_as_nfc_says():
    """NFC maps a CJK compatibility ideograph to its unified one (hypothesis found the reference without NFC)."""
    assert fold_text("\uf900") == "\u8c48" == unicodedata.normalize("NFC", "\uf900")
    assert fold_text("e\u0301") == "\u00e9"


def test_examples():
    assert fold_text("  \u201cNo\u00a0 troops\u201d \u2014 ever\t\n") == '"No troops" - ever'
    assert fold_text("plain words") == "plain words"
    assert fold_text("two  spaces") == "two spaces"


def test_only_non_ascii_characters_are_folded_by_the_table():
    """fold_text skips the table for ASCII text: that holds only while the table maps no ASCII character."""
    assert all(code > 127 for code in _QUOTES)
    assert fold_text("it's  \"fine\" - a\u00a0b \u201cq\u201d") == "it's \"fine\" - a b \"q\""
