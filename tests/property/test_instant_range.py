"""Instants over the whole range of datetime, every offset (issue 16, defect 6).

What ``--known-at``, a scenario's ``clock`` and the read model's
``recorded_at`` rely on: parsing an ISO 8601 text gives the instant it names
or refuses it as out of range (never wraps, never raises anything else), and
the stored text of instants sorts as the instants do.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from negotrack.domain.instants import LAST, FIRST, InstantError, iso, key, parse_instant

offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
naive = st.datetimes(min_value=datetime.min, max_value=datetime.max)
aware = st.builds(lambda d, tz: d.replace(tzinfo=tz), naive, offsets)
utc = st.datetimes(min_value=datetime.min, max_value=datetime.max, timezones=st.just(timezone.utc))


@given(aware)
def test_an_iso_text_parses_to_its_instant_or_is_refused_as_out_of_range(moment: datetime):
    text = moment.isoformat()
    try:
        in_range = FIRST <= moment <= LAST
    except OverflowError:  # pragma: no cover - comparing aware datetimes never overflows
        in_range = False
    try:
        parsed = parse_instant(text)
    except InstantError as e:
        assert not in_range_in_utc(moment), f"{text} refused: {e}"
        assert "out of range" in str(e) and text in str(e)
        return
    assert in_range
    assert parsed == moment and parsed.tzinfo == timezone.utc
    assert parse_instant(iso(parsed)) == parsed  # what is printed reads back


def in_range_in_utc(moment: datetime) -> bool:
    try:
        moment.astimezone(timezone.utc)
    except OverflowError:
        return False
    return True


@given(utc, utc)
def test_the_stored_text_of_instants_sorts_as_the_instants(a: datetime, b: datetime):
    ka, kb = key(a), key(b)
    assert len(ka) == len(kb) == 27  # fixed width: YYYY-MM-DDTHH:MM:SS.ffffffZ
    assert (ka < kb) == (a < b) and (ka == kb) == (a == b)
    assert parse_instant(ka) == a


@given(utc)
def test_the_printed_text_has_a_four_digit_year(moment: datetime):
    text = iso(moment)
    assert text[4] == "-" and text.endswith("Z") and text[:4] == f"{moment.year:04d}"
