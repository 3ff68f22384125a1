"""Dates from the words of a sentence, counted from the report's date."""

from __future__ import annotations

from datetime import date

import pytest

from negotrack.draft.dates import date_of, dateline

WEDNESDAY = date(2025, 4, 16)


@pytest.mark.parametrize(
    ("sentence", "day", "precision"),
    [
        ("But on Tuesday, Mr. Witkoff said so.", date(2025, 4, 15), "day"),
        ("Both sides described Saturday’s meeting as constructive.", date(2025, 4, 12), "day"),
        ("He said so on Wednesday.", WEDNESDAY, "day"),
        ("He said so yesterday.", date(2025, 4, 15), "day"),
        ("The minister said last week that the talks were over.", date(2025, 4, 9), "week"),
        ("In March, he sent a letter.", date(2025, 3, 1), "month"),
        ("In November, he sent a letter.", date(2024, 11, 1), "month"),  # the last November before the report
        ("In 2019, Ukraine amended its constitution.", date(2019, 1, 1), "year"),
        ("The invasion launched in February 2022 changed everything.", date(2022, 2, 1), "month"),
        ("He said Wednesday (April 16, 2025) that it was final.", WEDNESDAY, "day"),
        ("On April 3 the ministers met.", date(2025, 4, 3), "day"),
        ("He has previously said so.", WEDNESDAY, "week"),
        ("He said so.", WEDNESDAY, "day"),
        ("They are due to meet again on Saturday.", WEDNESDAY, "day"),  # the future dates nothing
        ("He travels from May 13 to 16.", WEDNESDAY, "day"),  # nor a date after the report
        # nor a day something takes effect, nor a month and day soon after the report (not last year's)
        ("He warned of a 100% tariff starting April 1.", WEDNESDAY, "day"),
        ("He warned of a 100% tariff from June 1, said the minister.", WEDNESDAY, "day"),
        ("The troops must leave by April 10, he said.", WEDNESDAY, "day"),
        ("He spoke of the meeting on December 20.", date(2024, 12, 20), "day"),  # far after: last year's
        ("He said so on ABC's This Week program.", WEDNESDAY, "day"),  # a name, not a time
        # the day after the report where it happened, ahead of the report's clock
        ("In the early hours of Thursday, local time, he accepted the proposal.", date(2025, 4, 17), "day"),
        ("On Thursday he accepted the proposal.", date(2025, 4, 10), "day"),  # else the last Thursday
        ("In 2019 Ukraine amended its constitution.", date(2019, 1, 1), "year"),
        ("At the 2008 Bucharest Summit, NATO leaders said so.", date(2008, 1, 1), "year"),
        ("He demanded an end to a group linked to the massacres in the 1994 Rwandan genocide.", WEDNESDAY, "day"),
        ("They will sign a peace agreement in mid-June, he said.", WEDNESDAY, "day"),  # a month to come
        ("Pashinian first made the proposal late last month.", date(2025, 3, 31), "week"),
        # a date in a "when" clause dates another event
        ("Troops stay where they were when the ceasefire began on April 3.", WEDNESDAY, "day"),
        ("On April 3, when the talks began, he said so.", date(2025, 4, 3), "day"),
        ("He said so this week.", WEDNESDAY, "week"),
        ("He had demanded a return to the ceiling set by the 2015 accord.", WEDNESDAY, "day"),  # that dates the accord
    ],
)
def test_date_of(sentence, day, precision):
    got = date_of(sentence, WEDNESDAY)
    assert (got.date, got.precision) == (day, precision)


def test_a_dateline_in_the_first_lines():
    assert dateline("9/1/2024 12:45:13 AM\n(MENAFN- IANS) Yerevan, September 01", date(2026, 1, 1)) == date(2024, 9, 1)
    assert dateline("No date here.\nNor here.", date(2026, 1, 1)) is None


@pytest.mark.parametrize(
    ("sentence", "cue", "day", "precision"),
    [
        # a move told of after "two days after" came that long before the clause ahead of it
        ("The move by the army came two days after the two sides agreed to extend the truce.", "agreed", date(2025, 4, 14), "day"),
        ("He repeated his offer on Tuesday, one day after it was rejected by Baku.", "rejected", date(2025, 4, 14), "day"),
        ("The talks resumed a week after Baku rejected the text.", "rejected", date(2025, 4, 9), "week"),
        # the main clause's own move keeps the main clause's date
        ("He repeated his offer on Tuesday, one day after it was rejected by Baku.", "offer", date(2025, 4, 15), "day"),
        # a clause to come dates nothing
        ("They will meet on Saturday, a week after they held talks.", "held", WEDNESDAY, "day"),
    ],
)
def test_a_move_told_of_after_a_span_after_is_dated_back_from_the_clause_ahead(sentence, cue, day, precision):
    got = date_of(sentence, WEDNESDAY, sentence.index(cue))
    assert (got.date, got.precision) == (day, precision)


def test_a_date_reckoned_back_from_another_clause_is_no_other_statement_s_day():
    from draft_support import article, declarations
    from negotrack.draft.extract import extract

    text = (
        "The move by Armenia came two days after Armenia and Azerbaijan agreed to demarcate the border.\n"
        "Armenia insisted that its constitution stays as it is.\n"
    )
    events = {e.type: e for e in extract([article(text)], declarations()).events}
    assert events["AgreementReached"].date.date == date(2025, 9, 15)  # two days before the report, a Wednesday
    assert events["DemandIssued"].date.date == date(2025, 9, 17)  # the report's day, not the agreement's
