"""The vocabulary table (negotrack/domain/vocabulary.py) agrees with the payload models of domain/events.py.

The table is plain Python, the models are pydantic: a type added to one and
not the other, or a field named in the table that its model lacks, fails here.
"""

from __future__ import annotations

import subprocess
import sys
import typing

import pytest

from negotrack.domain import events as ev
from negotrack.domain import vocabulary as vocab

COMMON = {"id", "type", "date", "by", "issue", "summary", "source", "stance", "precision", "time", "order", "reported_by"}


def _model_fields(name: str) -> dict[str, typing.Any]:
    return dict(ev.STATEMENT_TYPES[name].model_fields)


def test_every_type_of_the_table_has_a_payload_model_and_a_recorded_class_and_no_other():
    assert list(ev.STATEMENT_TYPES) == list(vocab.VOCABULARY)
    assert list(ev.RECORDED_TYPES) == list(vocab.VOCABULARY)
    for name, cls in ev.STATEMENT_TYPES.items():
        assert cls.model_fields["type"].annotation == typing.Literal[name]
        assert issubclass(ev.RECORDED_TYPES[name], cls)
        assert issubclass(ev.RECORDED_TYPES[name], ev.Recorded)


@pytest.mark.parametrize("name", list(vocab.VOCABULARY))
def test_the_fields_the_table_names_exist_in_the_model(name: str):
    row = vocab.VOCABULARY[name]
    fields = _model_fields(name)
    own = [f for f in fields if f not in COMMON or (f == "stance" and name == "PositionStated")]
    # ReportRetracted's `ref` and `reason` (and every answer's `ref`) are its own fields
    assert list(row.fields) == [f for f in own if f not in ("id", "type", "summary")], name
    for f in (row.text_field, row.ref_field, *row.party_fields):
        if f is not None:
            assert f in fields, f"{name}: {f!r} is not a field of its model"
    for path in row.issue_fields:
        head, _, sub = path.partition(".")
        assert head in fields, f"{name}: {head!r} is not a field of its model"
        if sub:
            element = typing.get_args(fields[head].annotation)[0]
            assert sub in element.model_fields, f"{name}: {path!r} names no field of {element.__name__}"
    if row.item_kind:
        assert row.text_field is not None and fields[row.text_field].is_required()
    else:
        assert row.text_field is None
    if row.answer:
        assert row.ref_field is not None and fields[row.ref_field].is_required()
    assert not (row.by_owner and not row.answer)
    assert row.ref_names in (None, "item", "event", *vocab.ITEM_KINDS.values())


def test_the_stances_are_those_of_the_models():
    assert typing.get_args(ev.Stance) == vocab.STANCES
    assert ev.STANCES is vocab.STANCES


def test_the_issues_an_event_touches():
    body = {"issue": "a", "provisions": [{"issue": "b", "text": "x"}, {"issue": "a", "text": "y"}]}
    assert vocab.named_issues("ProposalTabled", body) == ["a", "b"]
    assert vocab.touched_issues("ProposalTabled", body, {}) == ["a", "b"]
    assert vocab.touched_issues("DemandIssued", {"issue": "c"}, {}) == ["c"]
    # an answer touches its item's issues, not an issue it names itself; nothing if the item is unknown
    assert vocab.touched_issues("Accepted", {"ref": "p", "issue": "z"}, {"p": ["a", "b"]}) == ["a", "b"]
    assert vocab.touched_issues("Withdrawn", {"ref": "q"}, {"p": ["a"]}) == []
    assert vocab.touched_issues("ReportRetracted", {"ref": "p"}, {"p": ["a"]}) == []


def test_a_statement_model_names_the_same_issues_as_its_plain_body():
    p = ev.ProposalTabled.model_validate(
        {"id": "p", "type": "ProposalTabled", "date": "2024-01-01", "by": "A", "summary": "s", "title": "t",
         "source": {"ref": "s"}, "provisions": [{"issue": "b", "text": "x"}, {"issue": "c", "text": "y"}]}
    )  # fmt: skip
    assert p.item_issues() == vocab.named_issues("ProposalTabled", p.content()) == ["b", "c"]


def test_the_source_identity_is_the_same_from_a_file_and_from_the_store():
    decl = ev.SourceDecl.model_validate({"path": "a.txt", "title": "T", "published": "2024-01-02", "reliability": "B"})
    stored = ev.SourceDeclared.model_construct(
        key="s", title="T", path="elsewhere/a.txt", url=None, published=decl.published, reliability="B",
        text="x", text_sha256="abc",
    )  # fmt: skip
    assert vocab.source_identity(decl.title, decl.url, decl.published, decl.reliability, "abc") == stored.declaration()


def test_importing_the_vocabulary_loads_no_pydantic():
    code = "import sys, negotrack.domain.vocabulary; print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core', 'sqlalchemy', 'eventsourcing')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_every_type_has_a_plover_code():
    from negotrack.timeline.plover import MAPPING

    expected = {f"PositionStated/{s}" for s in vocab.STANCES} | (set(vocab.VOCABULARY) - {"PositionStated"})
    assert set(MAPPING) == expected


def test_v1_1_common_fields_are_fields_of_every_statement_but_a_retraction():
    for name, cls in ev.STATEMENT_TYPES.items():
        for f in vocab.V11_COMMON_FIELDS:
            assert (f in cls.model_fields) == (name != vocab.RETRACTION), (name, f)
    assert set(vocab.V11_COMMON_FIELDS) < COMMON
