"""The checker's rules (domain/rules.py, contract §4), one test each, against a store that is a plain object.

No database: the store the checker asks (``StoreView``) is a fake holding a
thread's declarations, the events it already has and its sources' texts.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest

from negotrack.domain import events as ev
from negotrack.domain.inputs import InputEvent, ThreadSection, TimelineInput
from negotrack.domain.rules import Checker, KnownEvent, Plan, digest
from negotrack.domain.thread import Thread
from negotrack.domain.vocabulary import source_identity
from negotrack.errors import InputRejected, Problem

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
TEXT = "Harbour Wire. Avalon demands the harbour stay closed. Borealis proposed a joint fishing zone. Avalon agreed."
Q_DEMAND = "Avalon demands the harbour stay closed."
Q_ZONE = "Borealis proposed a joint fishing zone."
Q_AGREED = "Avalon agreed."

PARTIES = {"AV": ev.PartyDecl(name="Avalon"), "BO": ev.PartyDecl(name="Borealis")}
ACTORS = {"alice": ev.ActorDecl(name="Alice", party="AV")}
ISSUES = {"fishing": ev.IssueDecl(title="Fishing"), "port": ev.IssueDecl(title="Port")}
SOURCES = {"hw": ev.SourceDecl(path="hw.txt", title="Harbour Wire")}


class FakeStore:
    """A StoreView: what the store knows of one thread, in memory."""

    def __init__(self, thread: Thread | None = None, known: list[KnownEvent] = (), texts: dict[str, str] | None = None):
        self.thread = thread
        self.known = {k.id: k for k in known}
        self.texts = texts or {}
        self.asked: list[set[str]] = []

    def load_thread(self, slug: str) -> Thread | None:
        return self.thread

    def known_events(self, slug: str, ids: Any) -> dict[str, KnownEvent]:
        ids = set(ids)
        self.asked.append(ids)
        return {i: self.known[i] for i in ids if i in self.known}

    def source_text(self, slug: str, key: str) -> str | None:
        return self.texts.get(key)


def stored_thread(**changes: Any) -> Thread:
    """The harbour thread as the store has it: its parties, actor, issues and source declared."""
    sha = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    fields: dict[str, Any] = {
        "id": uuid4(), "version": 5, "created_on": NOW, "modified_on": NOW, "slug": "harbour", "title": "Harbour",
        "parties": PARTIES, "actors": ACTORS, "issues": ISSUES,
        "sources": {"hw": source_identity("Harbour Wire", None, None, None, sha)},
    }  # fmt: skip
    fields.update(changes)
    return Thread(**fields)


def event(id: str, type: str, **fields: Any) -> InputEvent:
    raw: dict[str, Any] = {"id": id, "type": type, "summary": "s"}
    if type != "ReportRetracted":
        raw.update(date="2024-01-10", by="AV", source={"ref": "hw", "quote": Q_ZONE})
    raw.update(fields)
    statement = ev.STATEMENT_TYPES[type].model_validate(raw)
    return InputEvent(statement=statement, file="t.yaml", where=f"event {id}")


def demand(id: str = "d1", **fields: Any) -> InputEvent:
    values = {"issue": "fishing", "demand": "closed", "source": {"ref": "hw", "quote": Q_DEMAND}, **fields}
    return event(id, "DemandIssued", **values)


def proposal(id: str = "p1", **fields: Any) -> InputEvent:
    values = {"by": "BO", "title": "Zone", "provisions": [{"issue": "fishing", "text": "zone"}, {"issue": "port", "text": "access"}]}
    return event(id, "ProposalTabled", **{**values, **fields})


def timeline(*events: InputEvent, declare: bool = True, **section: Any) -> TimelineInput:
    """One file of the harbour thread: with every declaration (``declare``), or naming the thread by id only."""
    thread = ThreadSection(id="harbour", **section)
    sources: dict[str, ev.SourceDecl] = {}
    texts: dict[str, str] = {}
    if declare:
        thread.title = thread.title or "Harbour"
        thread.parties = thread.parties or dict(PARTIES)
        thread.actors = thread.actors or dict(ACTORS)
        thread.issues = thread.issues or dict(ISSUES)
        sources, texts = dict(SOURCES), {"hw": TEXT}
    return TimelineInput(
        name="t.yaml", path=Path("t.yaml"), thread=thread, sources=sources, events=list(events), source_texts=texts
    )


def check(store: FakeStore, *inputs: TimelineInput) -> Plan:
    return Checker(store, NOW).check(list(inputs))


def problems(store: FakeStore, *inputs: TimelineInput) -> list[str]:
    with pytest.raises(InputRejected) as refused:
        check(store, *inputs)
    return [f"{p.where}: {p.message}" for p in refused.value.problems]


def known(id: str, type: str, party: str | None = "BO", date: str | None = "2024-01-05", issues=("fishing",), content=None):
    return KnownEvent(id, type, party, date, digest(content or {"id": id}), tuple(issues))


# -- a valid input ----------------------------------------------------------------


def test_a_valid_new_thread_is_planned_whole():
    plan = check(FakeStore(), timeline(demand(), proposal(), event("a1", "Accepted", by="alice", ref="p1",
                                                                 source={"ref": "hw", "quote": Q_AGREED})))  # fmt: skip
    planned = plan.threads["harbour"]
    assert [d.kind for d in planned.declarations] == ["title", "party", "party", "actor", "issue", "issue", "source"]
    assert [(s.input.statement.id, s.party, s.issues) for s in planned.statements] == [
        ("d1", "AV", ("fishing",)),
        ("p1", "BO", ("fishing", "port")),
        ("a1", "AV", ("fishing", "port")),  # an answer touches its item's issues; `by` an actor: its party
    ]
    assert plan.threads["harbour"].declarations[-1].text_sha256 == hashlib.sha256(TEXT.encode()).hexdigest()


def test_a_new_thread_never_declared_is_refused():
    assert problems(FakeStore(), timeline(demand(), declare=False)) == [
        "thread: thread 'harbour' is not in the store: declare it (title, parties, issues)",
        "event d1: `by`: 'AV' names no declared actor or party",
        "event d1: issue 'fishing' is not declared",
        "event d1: `source`: source 'hw' is not declared",
    ]


# -- declarations -------------------------------------------------------------------


def test_a_thread_keeps_its_title():
    assert problems(FakeStore(stored_thread()), timeline(declare=False, title="Other")) == [
        "thread: thread 'harbour' already has the title 'Harbour'"
    ]


def test_an_id_is_a_party_or_an_actor_not_both():
    store = FakeStore(stored_thread())
    assert problems(store, timeline(declare=False, parties={"alice": ev.PartyDecl(name="A")})) == [
        "thread: 'alice' is declared both as a party and as an actor"
    ]
    assert problems(store, timeline(declare=False, actors={"AV": ev.ActorDecl(name="A", party="AV")})) == [
        "thread: 'AV' is declared both as a party and as an actor"
    ]


def test_an_actor_speaks_for_a_declared_party():
    bad = {"bob": ev.ActorDecl(name="Bob", party="XX")}
    assert problems(FakeStore(stored_thread()), timeline(declare=False, actors=bad)) == [
        "thread: actor 'bob': party 'XX' is not declared"
    ]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"parties": {"AV": ev.PartyDecl(name="Avalonia")}}, "party 'AV' is already declared with different content"),
        ({"actors": {"alice": ev.ActorDecl(name="Alice", party="BO")}}, "actor 'alice' is already declared with different content"),
        ({"issues": {"port": ev.IssueDecl(title="Harbour access")}}, "issue 'port' is already declared with different content"),
    ],
)  # fmt: skip
def test_a_declaration_made_again_must_be_identical(section: dict[str, Any], message: str):
    store = FakeStore(stored_thread())
    assert problems(store, timeline(declare=False, **section)) == [f"thread: {message}"]
    same = {key: dict(getattr(stored_thread(), key)) for key in section}  # the same content again: nothing to do
    assert check(store, timeline(declare=False, **same)).threads["harbour"].writes == 0


def test_a_source_declared_again_must_have_the_same_text():
    store = FakeStore(stored_thread(), texts={"hw": TEXT})
    again = timeline(declare=False)
    again.sources, again.source_texts = dict(SOURCES), {"hw": TEXT}
    assert check(store, again).threads["harbour"].declarations == []
    again.source_texts = {"hw": TEXT + " Edited."}
    assert problems(store, again) == ["source hw: source 'hw' is already declared with different content"]


def test_a_source_file_that_was_not_read_is_refused():
    unread = timeline()
    unread.source_texts = {}
    assert problems(FakeStore(), unread)[0] == "source hw: source file 'hw.txt' was not read"
    refused = timeline()
    refused.source_texts, refused.source_errors = {}, {"hw": "hw.txt: outside the allowed folders"}
    assert problems(FakeStore(), refused)[0] == "source hw: hw.txt: outside the allowed folders"


# -- statements ----------------------------------------------------------------------


def test_an_id_appears_once_in_an_input():
    assert problems(FakeStore(), timeline(demand("x"), demand("x"))) == ["event x: duplicate event id 'x' in the input"]


def test_an_event_the_store_has_with_the_same_content_is_skipped_and_different_content_refused():
    d = demand()
    same = known("d1", "DemandIssued", content=d.statement.content())
    plan = check(FakeStore(stored_thread(), [same], {"hw": TEXT}), timeline(d, declare=False))
    assert (plan.new_events, plan.skipped) == (0, 1)
    other = known("d1", "DemandIssued", content={**d.statement.content(), "demand": "open"})
    [message] = problems(FakeStore(stored_thread(), [other], {"hw": TEXT}), timeline(d, declare=False))
    assert message.startswith("event d1: ") and "d1" in message and "different" in message


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"by": "carol"}, "`by`: 'carol' names no declared actor or party"),
        ({"of": ["BO", "XX"]}, "`of`: 'XX' names no declared party"),
        ({"issue": "nowhere"}, "issue 'nowhere' is not declared"),
        ({"source": {"ref": "elsewhere", "quote": "q"}}, "`source`: source 'elsewhere' is not declared"),
        ({"source": {"ref": "hw"}}, "`source`: a quote is required (source 'hw' has text)"),
        ({"date": "2024-06-02"}, "`date` 2024-06-02 is after the moment it is recorded (2024-06-01)"),
    ],
)
def test_what_a_statement_names_must_be_declared_and_true(fields: dict[str, Any], message: str):
    assert problems(FakeStore(), timeline(demand(**fields))) == [f"event d1: {message}"]


def test_the_other_party_fields_name_declared_parties():
    guarantee = event("g1", "GuaranteeOffered", issue="port", guarantee="g", to="XX")
    agreement = event("ag", "AgreementReached", by=None, issue="port", parties=["AV", "YY"], terms="t")
    assert problems(FakeStore(), timeline(guarantee, agreement)) == [
        "event g1: `to`: 'XX' names no declared party",
        "event ag: `parties`: 'YY' names no declared party",
    ]


def test_every_issue_of_a_proposal_is_declared():
    p = proposal(provisions=[{"issue": "fishing", "text": "a"}, {"issue": "border", "text": "b"}])
    assert problems(FakeStore(), timeline(p)) == ["event p1: issue 'border' is not declared"]


def test_a_quote_is_in_its_source_after_folding_white_space_quotes_and_dashes():
    assert check(FakeStore(), timeline(demand(source={"ref": "hw", "quote": "Avalon  demands the\nharbour stay closed."})))
    [message] = problems(FakeStore(), timeline(demand(source={"ref": "hw", "quote": "Avalon wants the harbour open."})))
    assert message.startswith("event d1: `source`: the quote does not appear in source 'hw'; ")


def test_a_quote_is_checked_against_the_text_the_store_archived():
    store = FakeStore(stored_thread(), texts={"hw": "Another text entirely."})
    [message] = problems(store, timeline(demand(), declare=False))
    assert message.startswith("event d1: `source`: the quote does not appear in source 'hw'")


# -- what a statement refers to ----------------------------------------------------------


def test_a_ref_names_an_item_recorded_before_it():
    before = event("a0", "Accepted", by="alice", ref="p1")
    position = event("ps", "PositionStated", issue="port", stance="supports")
    not_item = event("a2", "Rejected", by="alice", ref="ps")
    assert problems(FakeStore(), timeline(before, proposal(), position, not_item)) == [
        "event a0: `ref`: 'p1' names no item recorded before it",
        "event a2: `ref`: 'ps' names no item recorded before it",
    ]


def test_a_ref_may_name_an_item_the_store_has_and_touches_its_issues():
    store = FakeStore(stored_thread(), [known("p1", "ProposalTabled", issues=("fishing", "port"))], {"hw": TEXT})
    plan = check(store, timeline(event("r1", "Rejected", by="alice", ref="p1"), declare=False))
    assert plan.threads["harbour"].statements[0].issues == ("fishing", "port")
    assert {"r1", "p1"} <= store.asked[0]  # the checker asked the store for the ids and the refs


def test_an_answer_is_not_dated_before_the_item():
    early = event("a1", "Accepted", by="alice", ref="p1", date="2024-01-01")
    p = proposal(date="2024-01-05")
    assert problems(FakeStore(), timeline(p, early)) == ["event a1: dated 2024-01-01, before the item 'p1' it answers (2024-01-05)"]


def test_a_party_does_not_accept_or_reject_its_own_item():
    own = [event("a1", "Accepted", by="BO", ref="p1"), event("r1", "Rejected", by="BO", ref="p1")]
    assert problems(FakeStore(), timeline(proposal(), *own)) == [
        "event a1: BO cannot accept its own item 'p1'",
        "event r1: BO cannot reject its own item 'p1'",
    ]


def test_only_the_items_party_withdraws_it():
    assert problems(FakeStore(), timeline(proposal(), event("w1", "Withdrawn", by="alice", ref="p1"))) == [
        "event w1: only BO can withdraw 'p1', not AV"
    ]
    assert check(FakeStore(), timeline(proposal(), event("w2", "Withdrawn", by="BO", ref="p1")))


def test_an_agreement_adopting_an_item_names_an_item_recorded_before_it():
    agreement = event("ag", "AgreementReached", by=None, issue="fishing", parties=["AV", "BO"], terms="t", ref="zz")
    assert problems(FakeStore(), timeline(agreement)) == ["event ag: `ref`: 'zz' names no item recorded before it"]


def test_revises_names_an_earlier_proposal():
    revised = [proposal("p2", revises="d1"), proposal("p3", revises="p9"), proposal("p4", revises="p1", date="2024-01-01")]
    assert problems(FakeStore(), timeline(demand(), proposal(date="2024-01-05"), *revised)) == [
        "event p2: `revises`: 'd1' names no proposal recorded before it",
        "event p3: `revises`: 'p9' names no proposal recorded before it",
        "event p4: dated 2024-01-01, before the proposal 'p1' it revises (2024-01-05)",
    ]


def test_a_retraction_names_an_event_recorded_before_it_and_no_retraction():
    first = event("x1", "ReportRetracted", ref="d1", reason="wrong")
    assert problems(FakeStore(), timeline(first, demand(), event("x2", "ReportRetracted", ref="d1", reason="r"),
                                          event("x3", "ReportRetracted", ref="x2", reason="r"))) == [
        "event x1: `ref`: 'd1' names no event recorded before it",
        "event x3: `ref`: 'x2' is itself a retraction",
    ]  # fmt: skip
    store = FakeStore(stored_thread(), [known("x0", "ReportRetracted", party=None, date=None, issues=())], {"hw": TEXT})
    assert problems(store, timeline(event("x4", "ReportRetracted", ref="x0", reason="r"), declare=False)) == [
        "event x4: `ref`: 'x0' is itself a retraction"
    ]


def test_a_ref_to_an_event_refused_for_its_own_form_is_not_reported_again():
    broken = timeline(event("a1", "Accepted", by="alice", ref="p1"), event("x1", "ReportRetracted", ref="p1", reason="r"))
    broken.broken_ids = {"p1"}
    form = Problem("t.yaml", "event p1", "missing required field `title`")  # found by the timeline layer
    with pytest.raises(InputRejected) as refused:
        Checker(FakeStore(), NOW).check([broken], [form])
    assert refused.value.problems == [form]  # listed first, and nothing more about what refers to p1


def test_a_refused_event_is_still_known_to_what_refers_to_it():
    # d1 is refused (undeclared issue), yet an answer to it is checked as an answer to an item: one problem only
    assert problems(FakeStore(), timeline(demand(issue="nowhere"), event("r1", "Rejected", by="BO", ref="d1"))) == [
        "event d1: issue 'nowhere' is not declared"
    ]


def test_every_problem_of_every_file_is_listed_in_order():
    a = timeline(demand("x"), demand("x", by="carol"))
    b = timeline(event("w1", "Withdrawn", by="alice", ref="zz"), declare=False)
    assert problems(FakeStore(), a, b) == [
        "event x: duplicate event id 'x' in the input",
        "event w1: `ref`: 'zz' names no item recorded before it",
    ]
