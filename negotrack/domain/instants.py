"""Instants (record time): parsed from ISO 8601, compared and written as fixed-width UTC text.

One module for every instant negotrack reads or writes: ``--known-at``, a
scenario's ``clock`` and ``recorded_at``, and the ``recorded_at`` column of the
read model.  Written as :func:`key` (always four-digit years, always
microseconds, always ``Z``), text order is time order over the whole range
of :class:`datetime.datetime` (years 1 to 9999), so the store can compare
instants as text.  An instant that falls outside that range once taken to
UTC (``9999-12-31T23:59:59-05:00``) is refused with a message, never
wrapped round or left to raise ``OverflowError``.  Plain standard library:
no import of pydantic or the store.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone

UTC = timezone.utc
FIRST = datetime.min.replace(tzinfo=UTC)
LAST = datetime.max.replace(tzinfo=UTC)
EXAMPLE = "2025-12-20T09:00:00Z"


class InstantError(ValueError):
    """A value that is not an instant negotrack can represent; the message says why."""


def parse_instant(value: object) -> datetime:
    """An ISO 8601 instant, in UTC; a value without an offset is taken as UTC."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        text = value.strip()
        if text[-1:] in ("Z", "z"):
            text = text[:-1] + "+00:00"
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise InstantError(f"bad instant {value!r}: expected ISO 8601, e.g. {EXAMPLE}") from None
    else:
        raise InstantError(f"bad instant {value!r}: expected ISO 8601, e.g. {EXAMPLE}")
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        side = "before 0001-01-01T00:00:00Z" if moment.year == 1 else "after 9999-12-31T23:59:59.999999Z"
        raise InstantError(f"instant {_shown(value)} is out of range: in UTC it falls {side}") from None


def end_of_day(day: date) -> datetime:
    """The last instant of a day, UTC (a date given where an instant is asked for)."""
    return datetime.combine(day, time.max, tzinfo=UTC)


def key(moment: datetime) -> str:
    """Fixed-width UTC text whose order is time order: ``0225-12-01T23:59:59.999999Z``."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"


def iso(moment: datetime) -> str:
    """An instant as a user reads it: ISO 8601 UTC, four-digit year, microseconds only when set."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds") + "Z"


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else repr(str(value))


def parse_day(value: str) -> str:
    """A date given as ``YYYY-MM-DD``, as ISO text; InstantError (naming the value) otherwise."""
    try:
        if len(value) != 10:
            raise ValueError
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InstantError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def parse_known_at(value: str) -> datetime:
    """What was known when: a date alone means the end of that day, UTC; otherwise an ISO 8601 instant."""
    bad = f"{value!r} is not a date or an ISO 8601 instant"
    if len(value) == 10:
        try:
            return end_of_day(date.fromisoformat(value))
        except ValueError:
            raise InstantError(bad) from None
    try:
        return parse_instant(value)
    except InstantError as e:
        if "out of range" in str(e):
            raise
        raise InstantError(bad) from None
