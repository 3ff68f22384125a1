"""The thread aggregate and its events, with no database: what a write records, and how it reads back."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from freezegun import freeze_time
from pydantic import ValidationError

from negotrack.domain import events as ev
from negotrack.domain.thread import ThreadChanges, project, thread_id

NOW = datetime(2025, 12, 16, tzinfo=timezone.utc)


def statement(**fields):
    base = {"id": "d1", "type": "DemandIssued", "date": "2025-11-27", "by": "zakharova", "issue": "nato",
            "demand": "never", "summary": "s", "source": {"ref": "s0", "quote": "q"}}  # fmt: skip
    return ev.DemandIssued.model_validate({**base, **fields})


def test_a_new_thread_is_opened_declared_and_recorded_in_version_order():
    changes = ThreadChanges(None, "ukraine-peace", NOW)
    changes.open("Peace talks")
    changes.declare_party("RU", ev.PartyDecl(name="Russia"))
    changes.declare_actor("zakharova", ev.ActorDecl(name="Maria Zakharova", party="RU"))
    changes.declare_issue("nato", ev.IssueDecl(title="NATO membership"))
    recorded = changes.record(statement(), party="RU")
    assert [type(e).__name__ for e in changes.pending] == [
        "ThreadOpened", "PartyDeclared", "ActorDeclared", "IssueDeclared", "DemandIssuedEvent"
    ]  # fmt: skip
    assert [e.originator_version for e in changes.pending] == [1, 2, 3, 4, 5]
    assert {e.originator_id for e in changes.pending} == {thread_id("ukraine-peace")}
    assert {e.timestamp for e in changes.pending} == {NOW}  # one recorded time per write
    assert recorded.party == "RU" and recorded.of == [] and recorded.content()["demand"] == "never"

    thread = project(None, changes.pending)
    assert thread is not None
    assert thread.version == 5 and thread.statements == 1 and thread.title == "Peace talks"
    assert thread.party_of("zakharova") == "RU" and thread.party_of("RU") == "RU" and thread.party_of("x") is None
    assert changes.final_thread() == thread


def test_the_recorded_time_comes_from_the_clock():
    with freeze_time("2025-12-20T09:00:00Z"):
        changes = ThreadChanges(None, "t")
    assert changes.now == datetime(2025, 12, 20, 9, tzinfo=timezone.utc)


def test_a_thread_continues_from_its_version():
    first = ThreadChanges(None, "t", NOW)
    first.open(None)
    thread = project(None, first.pending)
    later = ThreadChanges(thread, "t", NOW)
    later.declare_party("UA", ev.PartyDecl(name="Ukraine"))
    assert later.pending[0].originator_version == 2


def test_statements_normalise_single_values_to_lists_and_forbid_unknown_fields():
    s = statement(of="NATO", source={"ref": "s0", "quote": "q"})
    assert s.of == ["NATO"] and [x.ref for x in s.source] == ["s0"]
    with pytest.raises(ValidationError) as e:
        statement(on="2025-11-27")
    assert e.value.errors()[0]["type"] == "extra_forbidden"


def test_the_field_is_date_and_only_iso_days_are_dates():
    for bad in ("27/11/2025", "2025-11-27T10:00:00", "2025-02-30", 20251127):
        with pytest.raises(ValidationError):
            statement(date=bad)


def test_each_type_requires_its_own_fields():
    with pytest.raises(ValidationError):
        ev.ProposalTabled.model_validate({"id": "p", "type": "ProposalTabled", "date": "2025-11-20", "by": "US",
                                          "title": "Plan", "provisions": [], "summary": "s", "source": {"ref": "s"}})  # fmt: skip
    retraction = ev.ReportRetracted.model_validate(
        {"id": "r", "type": "ReportRetracted", "ref": "p", "reason": "wrong", "summary": "s"}
    )
    assert retraction.content() == {"id": "r", "type": "ReportRetracted", "ref": "p", "reason": "wrong", "summary": "s"}


def test_a_proposal_is_listed_under_every_issue_its_provisions_name():
    p = ev.ProposalTabled.model_validate(
        {"id": "p", "type": "ProposalTabled", "date": "2025-11-20", "by": "US", "title": "Plan", "summary": "s",
         "provisions": [{"issue": "nato", "text": "a"}, {"issue": "territory", "text": "b"}, {"issue": "nato", "text": "c"}],
         "source": {"ref": "s"}}  # fmt: skip
    )
    assert p.item_issues() == ["nato", "territory"]


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"of": ["UA", "EU"], "precondition": True},
        {"type": "Accepted", "ref": "p1", "demand": None, "issue": None},
        {"type": "ReportRetracted", "ref": "p1", "reason": "wrong"},
    ],
)
def test_a_recorded_event_is_the_statement_with_its_envelope_and_is_valid_as_it_stands(raw):
    fields = {"id": "d1", "type": "DemandIssued", "date": "2025-11-27", "by": "zakharova", "issue": "nato",
              "demand": "never", "summary": "s", "source": {"ref": "s0", "quote": "q"}, **raw}  # fmt: skip
    fields = {k: v for k, v in fields.items() if v is not None}
    if fields["type"] == "ReportRetracted":
        fields = {k: fields[k] for k in ("id", "type", "ref", "reason", "summary")}
    s = ev.STATEMENT_TYPES[fields["type"]].model_validate(fields)
    built = ThreadChanges(None, "t", NOW).record(s, party="RU")
    assert type(built) is ev.RECORDED_TYPES[s.type]
    assert (built.originator_id, built.originator_version, built.timestamp, built.party) == (thread_id("t"), 1, NOW, "RU")
    assert built.content() == s.content()
    # built without validating again, yet exactly what validating its own dump gives (what a replay reads)
    assert type(built).model_validate(built.model_dump()) == built
