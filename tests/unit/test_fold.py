"""Contract §5, rule by rule, on the fold alone: no files, no database.

Each test narrates a small negotiation between Avalon (AV) and Borealis (BO),
with a mediator (MED), and checks what an analyst would read off the state.
"""

from __future__ import annotations

from typing import Any

from negotrack.domain.state import IssueInfo, Rec, diff_views, replay, select, state_as_of

ISSUES = {
    "fishing": IssueInfo("Fishing zone"),
    "port": IssueInfo("Port access"),
    "border": IssueInfo("Maritime border"),
}


class Log:
    """Records statements in order, as the store would: seq and a recorded time."""

    def __init__(self) -> None:
        self.recs: list[Rec] = []

    def add(self, id: str, type: str, date: str | None, party: str | None = None, *, at: str = "2024-06-01", **body: Any) -> Rec:
        rec = Rec(
            id=id,
            type=type,
            date=date,
            seq=len(self.recs) + 1,
            recorded_at=f"{at}T00:00:00.000000Z",
            party=party,
            body={"id": id, "type": type, "summary": id, **body},
        )
        self.recs.append(rec)
        return rec

    def state(self, as_of: str, known_at: str | None = None) -> dict[str, Any]:
        return state_as_of(self.recs, ISSUES, as_of, f"{known_at}T00:00:00.000000Z" if known_at else None)


def test_rule1_only_events_dated_on_or_before_as_of_are_in_view():
    log = Log()
    log.add("a", "PositionStated", "2024-01-10", "AV", issue="port", stance="supports")
    log.add("b", "PositionStated", "2024-01-20", "AV", issue="port", stance="opposes")
    assert log.state("2024-01-09")["port"]["status"] == "not-raised"
    assert log.state("2024-01-10")["port"]["stances"]["AV"]["stance"] == "supports"
    assert log.state("2024-01-19")["port"]["stances"]["AV"]["stance"] == "supports"
    assert log.state("2024-01-20")["port"]["stances"]["AV"]["stance"] == "opposes"


def test_rule1_known_at_hides_what_was_recorded_later():
    log = Log()
    log.add("early", "PositionStated", "2024-01-10", "AV", issue="port", stance="supports", at="2024-02-01")
    log.add("late", "PositionStated", "2024-01-05", "BO", issue="port", stance="opposes", at="2024-07-01")
    before = log.state("2024-03-01", known_at="2024-06-30")["port"]
    after = log.state("2024-03-01", known_at="2024-07-02")["port"]
    assert "BO" not in before["stances"] and before["status"] == "open"
    assert after["stances"]["BO"]["stance"] == "opposes" and after["status"] == "contested"
    # without known-at: everything recorded so far
    assert log.state("2024-03-01")["port"]["status"] == "contested"


def test_rule2_a_known_retraction_removes_its_target_whatever_its_date():
    log = Log()
    log.add("claim", "PositionStated", "2024-01-10", "AV", issue="port", stance="supports", at="2024-02-01")
    log.add("oops", "ReportRetracted", None, ref="claim", reason="misreported", at="2024-05-01")
    assert log.state("2024-01-10", known_at="2024-04-30")["port"]["stances"]["AV"]["stance"] == "supports"
    retracted = log.state("2024-01-10", known_at="2024-05-02")["port"]
    assert retracted["stances"] == {} and retracted["status"] == "not-raised" and retracted["last_event"] is None


def test_rule2_retracting_an_item_removes_its_answers_but_not_an_agreement_naming_it():
    log = Log()
    log.add("plan", "ProposalTabled", "2024-01-10", "MED", title="Plan", provisions=[{"issue": "fishing", "text": "x"}])
    log.add("yes", "Accepted", "2024-01-12", "AV", ref="plan", stance="supports")
    log.add("no", "Rejected", "2024-01-13", "BO", ref="plan", stance="opposes")
    log.add("deal", "AgreementReached", "2024-01-20", None, issue="fishing", parties=["AV", "BO"], terms="t", ref="plan")
    assert log.state("2024-01-20")["fishing"]["items"]["plan"]["status"] == "adopted"
    log.add("fix", "ReportRetracted", None, ref="plan", reason="never tabled", at="2024-06-02")
    fishing = log.state("2024-01-20")["fishing"]
    assert fishing["items"] == {}
    assert fishing["stances"] == {}  # the answers are out of view, stances with them
    assert fishing["agreement"]["event"] == "deal" and fishing["status"] == "agreed"


def test_rule3_same_date_the_later_recorded_wins():
    log = Log()
    log.add("yes", "PositionStated", "2024-03-10", "AV", issue="port", stance="supports")
    log.add("no", "PositionStated", "2024-03-10", "AV", issue="port", stance="opposes")
    port = log.state("2024-03-10")["port"]
    assert port["stances"]["AV"] == {"stance": "opposes", "since": "2024-03-10", "event": "no"}
    assert port["last_event"] == {"id": "no", "date": "2024-03-10"}


def test_rule3_a_late_report_is_applied_at_its_own_date():
    log = Log()
    log.add("now", "PositionStated", "2024-03-10", "AV", issue="port", stance="opposes")
    log.add("then", "PositionStated", "2024-01-05", "AV", issue="port", stance="supports", at="2024-07-01")
    assert log.state("2024-03-10")["port"]["stances"]["AV"]["event"] == "now"
    assert log.state("2024-02-01")["port"]["stances"]["AV"]["event"] == "then"
    assert [r.id for r in select(log.recs, "2024-12-31")] == ["then", "now"]


def test_rule4_a_proposal_touches_every_issue_its_provisions_name_and_answers_touch_them_too():
    log = Log()
    log.add("zone", "ProposalTabled", "2024-01-20", "BO", title="Zone",
            provisions=[{"issue": "fishing", "text": "a"}, {"issue": "port", "text": "b"}])  # fmt: skip
    log.add("ok", "Accepted", "2024-01-25", "AV", ref="zone", qualifier="in_principle")
    s = log.state("2024-01-25")
    for key in ("fishing", "port"):
        assert s[key]["last_event"] == {"id": "ok", "date": "2024-01-25"}
        assert list(s[key]["items"]) == ["zone"]
    assert s["border"]["last_event"] is None


def test_rule5_the_actor_speaks_for_its_party_and_an_event_without_stance_keeps_it():
    log = Log()
    log.add("d", "DemandIssued", "2024-01-10", "AV", by="alice", issue="fishing", demand="closed", stance="opposes")
    log.add("t", "ThreatIssued", "2024-01-11", "AV", by="alice", issue="fishing", threat="walk")
    stance = log.state("2024-02-01")["fishing"]["stances"]["AV"]
    assert stance == {"stance": "opposes", "since": "2024-01-10", "event": "d"}


def test_held_since_is_when_the_stance_took_its_value_and_since_when_it_was_last_stated():
    log = Log()
    log.add("a", "PositionStated", "2022-02-24", "AV", issue="port", stance="opposes")
    log.add("b", "PositionStated", "2023-05-01", "AV", issue="port", stance="opposes")
    log.add("c", "PositionStated", "2024-01-10", "AV", issue="port", stance="opposes")
    port = log.state("2024-02-01")["port"]
    assert port["stances"]["AV"] == {"stance": "opposes", "since": "2024-01-10", "event": "c"}  # the contract's shape
    assert port["held_since"] == {"AV": "2022-02-24"}
    log.add("d", "PositionStated", "2024-03-01", "AV", issue="port", stance="supports")
    log.add("e", "PositionStated", "2024-04-01", "AV", issue="port", stance="supports")
    assert log.state("2024-04-01")["port"]["held_since"] == {"AV": "2024-03-01"}


def test_rule6_responses_keep_the_last_answer_of_each_party():
    log = Log()
    log.add("frame", "ProposalTabled", "2024-02-01", "MED", title="F", provisions=[{"issue": "fishing", "text": "f"}])
    log.add("no", "Rejected", "2024-02-05", "BO", ref="frame", reason="too narrow")
    item = log.state("2024-02-10")["fishing"]["items"]["frame"]
    assert item["responses"] == {"BO": {"response": "rejected", "reason": "too narrow", "date": "2024-02-05", "event": "no"}}
    log.add("yes", "Accepted", "2024-02-20", "BO", ref="frame")
    item = log.state("2024-02-20")["fishing"]["items"]["frame"]
    assert item["responses"] == {"BO": {"response": "accepted", "qualifier": "full", "date": "2024-02-20", "event": "yes"}}
    assert item["status"] == "open" and item["kind"] == "proposal" and item["by"] == "MED"


def test_rule6_status_is_whichever_of_withdrawn_superseded_adopted_applied_last():
    log = Log()
    log.add("f1", "ProposalTabled", "2024-02-01", "MED", title="F", provisions=[{"issue": "fishing", "text": "a"}])
    log.add("f2", "ProposalTabled", "2024-03-05", "MED", title="F2", provisions=[{"issue": "fishing", "text": "b"}], revises="f1")
    log.add("gone", "Withdrawn", "2024-03-06", "MED", ref="f1")
    log.add("deal", "AgreementReached", "2024-03-10", None, issue="fishing", parties=["AV", "BO"], terms="t", ref="f2")
    assert log.state("2024-03-04")["fishing"]["items"]["f1"]["status"] == "open"
    assert log.state("2024-03-05")["fishing"]["items"]["f1"]["status"] == "superseded"
    assert log.state("2024-03-06")["fishing"]["items"]["f1"]["status"] == "withdrawn"
    assert log.state("2024-03-09")["fishing"]["items"]["f2"]["status"] == "open"
    assert log.state("2024-03-10")["fishing"]["items"]["f2"]["status"] == "adopted"


def test_rule6_an_answer_to_an_item_not_in_view_touches_nothing():
    log = Log()
    log.add("g", "GuaranteeOffered", "2024-03-01", "MED", issue="port", guarantee="legal", to="BO", at="2024-06-01")
    log.add("thanks", "Accepted", "2024-03-02", "BO", ref="g", stance="supports", at="2024-06-01")
    log.add("fix", "ReportRetracted", None, ref="g", reason="no guarantee", at="2024-07-20")
    known = log.state("2024-03-03", known_at="2024-06-02")["port"]
    assert known["items"]["g"]["responses"]["BO"]["response"] == "accepted"
    after = log.state("2024-03-03")["port"]
    assert after["items"] == {} and after["stances"] == {} and after["status"] == "not-raised"


def test_rule7_issue_status_agreed_then_contested_then_open_then_not_raised():
    log = Log()
    assert log.state("2024-01-01")["port"]["status"] == "not-raised"
    log.add("a", "PositionStated", "2024-01-10", "AV", issue="port", stance="supports")
    assert log.state("2024-01-10")["port"]["status"] == "open"
    log.add("b", "PositionStated", "2024-01-11", "BO", issue="port", stance="opposes")
    assert log.state("2024-01-11")["port"]["status"] == "contested"
    log.add("deal", "AgreementReached", "2024-01-12", None, issue="port", parties=["AV", "BO"], terms="open port")
    port = log.state("2024-01-12")["port"]
    assert port["status"] == "agreed"
    assert port["agreement"] == {"event": "deal", "date": "2024-01-12", "parties": ["AV", "BO"], "terms": "open port", "ref": None}


def test_every_declared_issue_is_listed_even_when_not_raised():
    assert set(Log().state("2024-01-01")) == {"fishing", "port", "border"}


def test_replay_says_what_each_event_changed():
    log = Log()
    log.add("a", "PositionStated", "2024-01-10", "AV", issue="port", stance="supports")
    log.add("b", "PositionStated", "2024-01-11", "BO", issue="port", stance="opposes")
    steps = [(r.id, [(c.what, c.subject, c.before, c.after) for c in changes]) for r, changes in replay(log.recs, ISSUES, "2024-12-31")]
    assert steps == [
        ("a", [("stance", "AV", None, "supports"), ("status", "port", "not-raised", "open")]),
        ("b", [("stance", "BO", None, "opposes"), ("status", "port", "open", "contested")]),
    ]


def test_diff_between_two_states():
    log = Log()
    log.add("zone", "ProposalTabled", "2024-01-20", "BO", title="Zone", provisions=[{"issue": "fishing", "text": "a"}])
    log.add("no", "Rejected", "2024-02-01", "AV", ref="zone")
    changes = diff_views(log.state("2024-01-20"), log.state("2024-02-01"))
    assert [(c.issue, c.what, c.subject, c.party, c.before, c.after) for c in changes] == [
        ("fishing", "answered", "zone", "AV", None, {"response": "rejected", "date": "2024-02-01", "event": "no"})
    ]


def test_a_restated_answer_is_a_change():
    log = Log()
    log.add("zone", "ProposalTabled", "2024-01-20", "BO", title="Zone", provisions=[{"issue": "fishing", "text": "a"}])
    log.add("no", "Rejected", "2024-02-01", "AV", ref="zone", reason="too small")
    log.add("no-again", "Rejected", "2024-03-01", "AV", ref="zone", reason="too far")
    changes = diff_views(log.state("2024-02-01"), log.state("2024-03-01"))
    assert [(c.what, c.subject, c.party, c.before["event"], c.after["event"]) for c in changes] == [
        ("answered", "zone", "AV", "no", "no-again")
    ]
    log.add("ok", "Accepted", "2024-04-01", "AV", ref="zone", qualifier="in_principle")
    log.add("ok-full", "Accepted", "2024-05-01", "AV", ref="zone")
    changes = diff_views(log.state("2024-04-01"), log.state("2024-05-01"))
    assert [(c.before["qualifier"], c.after["qualifier"]) for c in changes] == [("in_principle", "full")]
