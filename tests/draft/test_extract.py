"""Drafting from text: furniture, sentences, speakers, repeats, exact quotes (pure functions, no store)."""

from __future__ import annotations


from datetime import date

import pytest
import yaml

from negotrack.domain.rules import fold_text
from negotrack.draft.attribute import Lexicon
from negotrack.draft.extract import extract
from negotrack.draft.text import paragraphs, sentences
from negotrack.draft.write import render

from draft_support import ACTORS, ARTICLE, PARTIES, article, declarations


@pytest.fixture
def decls():
    return declarations()


def test_page_furniture_is_skipped_and_the_text_is_not_edited():
    kept = [s.text for s in sentences(ARTICLE)]
    assert kept[0] == "Peace treaty talks: where things stand"  # the headline stays
    for furniture in ("403", "Sorry!!", "Error!", "By", "Jane Doe Avatar", "MENAFN provides", "Ten things"):
        assert not any(s.startswith(furniture) for s in kept), furniture
    for s in sentences(ARTICLE):
        assert ARTICLE[s.start : s.end] == s.text  # a span of the article, as it is


def test_a_paragraph_printed_twice_is_kept_once_knowing_both_lines():
    repeated = [p for p in paragraphs(ARTICLE) if p.text.startswith("Azerbaijani officials")]
    assert [(p.line, p.also_at) for p in repeated] == [(10, [12])]


@pytest.mark.parametrize(
    ("sentence", "speaker", "how"),
    [
        ("Nikol Pashinyan said the treaty must be signed this year.", "pashinyan", "full-name"),
        ("Pashinyan insisted that the border be demarcated first.", "pashinyan", "surname"),
        ("Mr. Pashinyan said that Armenia would not change its constitution.", "pashinyan", "surname"),
        ("Azerbaijan's top diplomat rejected the proposal.", "bayramov", "role"),
        ("The Azerbaijani Foreign Minister warned that the talks could fail.", "bayramov", "role"),
        ("Armenia proposed a joint commission on the border.", "AM", "name"),
        ("Yerevan proposed a joint commission on the border.", "AM", "seat"),
        ("Azerbaijani officials demanded changes to the constitution.", "AZ", "demonym"),
        ("Brussels offered to host the signing, said the bloc.", "EU", "seat"),
        ("The demands were issued by Azerbaijani officials.", "AZ", "demonym"),
        # the agent of a passive cue made the move, whoever is the sentence's subject
        ("Pashinyan repeated his offer one day after it was rejected by Baku.", "AZ", "seat"),
    ],
)
def test_attribution(decls, sentence, speaker, how):
    result = extract([article(sentence)], decls)
    assert [(e.by, e.how) for e in result.events] == [(speaker, how)]
    assert result.unattributed == []


def test_a_pronoun_is_the_last_speaker_and_an_unknown_speaker_is_reported_not_guessed(decls):
    text = "Nikol Pashinyan spoke to reporters in Yerevan.\n“We will never change the constitution,” he said.\nObservers demanded a quick signature before the summit.\n"
    result = extract([article(text)], decls)
    assert [(e.by, e.how) for e in result.events] == [("pashinyan", "pronoun")]
    assert [(u.line, u.sentence) for u in result.unattributed] == [(3, "Observers demanded a quick signature before the summit.")]


def test_a_name_spelt_another_way_is_the_same_actor():
    lex = Lexicon(PARTIES, {**ACTORS, "z": {"name": "Volodymyr Zelensky", "party": "AM", "role": "President"}})
    assert [m.key for m in lex.mentions("Zelenskyy said so.")] == ["z"]


def test_one_statement_reported_twice_is_one_event_citing_both(decls):
    result = extract([article()], decls)
    corridor = [e for e in result.events if e.issue == "corridor"]
    assert len(corridor) == 1
    (place,) = corridor[0].places
    assert (place.line, place.also_at) == (10, [12])
    # the same statement in a second article: one event, two sources
    other = article("Azerbaijani officials demanded an extraterritorial corridor through Armenia last week, a report said.", "b")
    result = extract([article(), other], decls)
    corridor = [e for e in result.events if e.issue == "corridor"]
    assert len(corridor) == 1
    assert [p.source for p in corridor[0].places] == ["a", "b"]


def test_types_issues_and_stances(decls):
    result = extract([article()], decls)
    got = {(e.by, e.type, e.issue, e.fields.get("stance")) for e in result.events if e.type != "Rejected"}
    assert ("AZ", "DemandIssued", "corridor", "supports") in got
    assert ("pashinyan", "PositionStated", "constitution", "opposes") in got


def test_an_answer_names_the_item_it_answers_or_becomes_a_position(decls):
    text = "Azerbaijani officials demanded an extraterritorial corridor through Armenia.\nPashinyan rejected the corridor through Armenia.\n"
    events = extract([article(text)], decls).events
    demand, answer = events
    assert (answer.type, answer.fields["ref"]) == ("Rejected", demand.id)
    alone = extract([article("Pashinyan rejected the corridor through Armenia.")], decls).events
    assert [(e.type, e.fields.get("stance")) for e in alone] == [("PositionStated", "opposes")]


def test_every_quote_is_verbatim_and_survives_yaml(decls):
    result = extract([article()], decls)
    text = render({"id": "caucasus"}, {"a": {"path": "a.txt"}}, result.events, result.unattributed, ["intro"])
    doc = yaml.safe_load(text)
    quotes = [e["source"]["quote"] for e in doc["events"]]
    assert quotes and all(q in ARTICLE for q in quotes)
    assert all(fold_text(q) in fold_text(ARTICLE) for q in quotes)  # ingest's own check
    assert any(": " in q and "#" in q and "“" in q for q in quotes)  # the hard one came through intact


def test_a_low_confidence_event_is_commented_out_not_dropped(decls):
    result = extract([article("Pashinyan spoke of the border, he noted.")], decls)
    (event,) = result.events
    event.confidence = 0.2
    text = render({"id": "caucasus"}, {"a": {"path": "a.txt"}}, result.events, [], [])
    assert yaml.safe_load(text)["events"] == []
    assert f"  # - id: {event.id}" in text
    assert "# sentence: Pashinyan spoke of the border, he noted." in text


def test_both_sides_is_one_statement_by_each_of_the_two_parties_the_article_names_most(decls):
    text = (
        "Armenia and Azerbaijan met in Abu Dhabi; Azerbaijan sent its foreign minister and Armenia its prime minister.\n"
        "Both sides described the meeting on the border as constructive.\n"
    )
    events = extract([article(text)], decls).events
    assert sorted(e.by for e in events) == ["AM", "AZ"]


def test_both_sides_agreeing_is_one_agreement_between_the_two_parties_the_article_names_most(decls):
    text = (
        "Armenia and Azerbaijan met in Abu Dhabi; Azerbaijan sent its foreign minister and Armenia its prime minister.\n"
        "Both sides agreed to demarcate the border on the 1991 maps.\n"
    )
    (event,) = extract([article(text)], decls).events
    assert (event.type, sorted(event.fields["parties"]), event.issue) == ("AgreementReached", ["AM", "AZ"], "border")


def test_both_sides_after_an_opening_phrase_are_still_the_subject(decls):
    text = (
        "Armenia and Azerbaijan met in Abu Dhabi; Azerbaijan sent its foreign minister and Armenia its prime minister.\n"
        "According to a joint statement after the talks, both sides agreed to demarcate the border on the 1991 maps.\n"
    )
    result = extract([article(text)], decls)
    assert [(e.type, sorted(e.fields["parties"])) for e in result.events] == [("AgreementReached", ["AM", "AZ"])]
    assert result.unattributed == []


def test_two_parties_agreeing_to_something_is_their_agreement_not_one_s_acceptance(decls):
    text = "Armenia and Azerbaijan have agreed to demarcate the border on the 1991 maps.\n"
    (event,) = extract([article(text)], decls).events
    assert (event.type, event.fields["parties"], event.issue) == ("AgreementReached", ["AM", "AZ"], "border")
    assert "qualifier" not in event.fields  # an agreement's own fields, not an acceptance's


def test_one_party_agreeing_is_still_its_own_yes(decls):
    text = "Armenia has agreed to demarcate the border on the 1991 maps.\n"
    assert [e.type for e in extract([article(text)], decls).events] != ["AgreementReached"]


def test_a_pronoun_after_an_opening_phrase_is_the_subject(decls):
    text = "Nikol Pashinyan spoke in Yerevan.\nIn March, he sent a letter to Jeyhun Bayramov warning that the border talks could end.\n"
    (event,) = extract([article(text)], decls).events
    assert (event.by, event.how, event.type) == ("pashinyan", "pronoun", "ThreatIssued")


def test_two_moves_in_one_sentence_are_two_drafts_each_quoting_its_own_clause(decls):
    text = "“We are ready to discuss the border in good faith, but the corridor through Armenia is unacceptable,” Pashinyan said.\n"
    events = extract([article(text)], decls).events
    got = sorted((e.type, e.issue) for e in events)
    assert got == [("ConcessionMade", "border"), ("PositionStated", "corridor")]  # the rejection of no item is a position
    quotes = {e.type: e.places[0].quote for e in events}
    assert quotes["PositionStated"] == text.strip()  # the sentence's main move quotes the sentence
    assert quotes["ConcessionMade"] == "“We are ready to discuss the border in good faith"  # the other its clause, verbatim
    assert {e.by for e in events} == {"pashinyan"}


def test_the_longer_cue_that_contains_a_shorter_one_decides_the_type():
    from negotrack.draft.classify import cue_type

    guess = cue_type("Armenia expressed its willingness to send troops to the border.")
    assert (guess.type, guess.cue) == ("GuaranteeOffered", "willingness to send")


def test_a_party_named_any_way_is_one_word_when_choosing_the_issue(decls):
    lex = Lexicon(PARTIES, ACTORS)
    assert lex.canonical("Baku and Azerbaijani officials and Azerbaijan").split() == ["xpartyaz", "and", "xpartyaz", "and", "xpartyaz"]
    assert "Prime" not in lex.canonical("Armenian Prime Minister Nikol Pashinyan said")  # an actor's name and role are no topic


def test_such_conditions_take_the_issue_of_the_sentence_before(decls):
    text = (
        "Azerbaijani officials demanded an extraterritorial corridor through Armenia.\n"
        "Pashinyan said that Armenia would not accept such conditions.\n"
    )
    answer = extract([article(text)], decls).events[-1]
    assert answer.by == "pashinyan" and answer.fields.get("ref") == extract([article(text)], decls).events[0].id


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Baku seeks guarantees on the border.", "DemandIssued"),
        ("Pashinyan said Baku seeks to delay the border talks.", "PositionStated"),  # seeking to do is no demand
        ("Armenia has repeatedly opposed the idea of a corridor.", "Rejected"),
        ("Pashinyan reiterated Armenia's firm opposition to the corridor.", "Rejected"),
        ("Pashinyan has maintained that any treaty should include the 1991 maps.", "DemandIssued"),
        # a move denied is a position, not that move; a move after the denial's clause is still made
        ("Pashinyan denied afterwards that he wants to scrap the constitution at the behest of Baku.", "PositionStated"),
        ("Azerbaijan has denied supporting the rebels but has demanded an end to the corridor.", "DemandIssued"),
        # an agreement named with its kind in between: "a peace agreement", "the Washington accord"
        ("Rwanda and Congo signed a peace agreement in Washington on Friday.", "AgreementReached"),
        ("The two sides reached a preliminary trade deal after months of talks.", "AgreementReached"),
        ("Li said a preliminary agreement had been reached on the border.", "AgreementReached"),
        ("The two countries reached consensus on the details of the ceasefire.", "AgreementReached"),
        ("Thailand, Cambodia ink ‘Kuala Lumpur Accord’", "AgreementReached"),
        ("Bessent announced Sunday a tentative agreement between Washington and Beijing.", "AgreementReached"),
        ("Pashinyan announced a unilateral pause on the border.", "ConcessionMade"),  # one side's halt, no accord
        # a noun referred to: the verb before it that governs it is the move, a verb after it is its content
        ('Cambodia accepted "the proposal for an immediate and unconditional ceasefire."', "Accepted"),
        ("In the end, we accepted the EU’s compromise proposal, and the meeting ended.", "Accepted"),
        ("Kurti's proposal says the association should recognise Kosovo's statehood.", "ProposalTabled"),
        ("Kurti was not ready to accept the compromise.", "Rejected"),
        ("Talks before the withdrawal will not be acceptable to the government.", "Rejected"),
        # the main clause's move, not the one a clause after "after" tells of
        ("The RSF announced a unilateral three-month truce, a day after the army dismissed the proposal.", "ConcessionMade"),
        ("Baku demanded changes, a day after Yerevan rejected the text.", "DemandIssued"),
        ("Armenia accepted the invitation shortly after it was proposed last week.", "Accepted"),  # no comma needed
        ("Abdullah added that the army wanted to ensure full implementation of the truce first.", "DemandIssued"),
        ("If it launches a rocket, we will attack.", "ThreatIssued"),
        # a yes only on a condition is a demand, and so is what is set as the first step
        ("Baku welcomed the text but set as the first step a change to Armenia's constitution.", "DemandIssued"),
        ("Pashinyan said Armenia would only accept the text if the border is demarcated first.", "DemandIssued"),
        ("Israel's security cabinet on Tuesday approved a ceasefire agreement.", "Accepted"),
        ("The RSF announced its acceptance of a proposal for a humanitarian truce.", "Accepted"),
        # a participle after its noun is a move referred to: the verb before it is the move
        ("The RSF affirms its agreement to enter into the truce proposed by the Quad.", "Accepted"),
        ("The truce was proposed by the Quad.", "ProposalTabled"),
        ("Israel has offered Hamas a pause in the fighting for up to two months.", "ProposalTabled"),
        ("China's Foreign Ministry confirmed the trip to Geneva.", "PositionStated"),  # a reporting verb
        # an understanding of positions is no agreement
        ("The two sides reached a better understanding of each other's positions, he said.", "PositionStated"),
        ("China promised to ease restrictions on mineral exports.", "ConcessionMade"),  # a promise to give ground
        ("Iran pledged to suspend enrichment for a year.", "ConcessionMade"),
        # words that only look like cues: a country's name, a phone call
        ("The United States claims China has delayed shipments.", "PositionStated"),
        ("They reached it during the phone call on June 5th, he said.", "PositionStated"),
    ],
)
def test_cue_readings(sentence, kind):
    from negotrack.draft.classify import cue_type

    assert cue_type(sentence).type == kind


def test_the_issue_an_article_is_about_is_not_discounted_for_being_in_every_sentence(decls):
    lines = [f"The transit corridor was discussed again in round {n}." for n in range(8)]
    lines.append("Bayramov demanded the transit corridor, along the border.")
    (event,) = [e for e in extract([article("\n".join(lines) + "\n")], decls).events if e.by == "bayramov"]
    assert event.issue == "corridor"


def test_a_title_restating_a_move_of_its_article_is_one_event_drafted_from_the_body(decls):
    text = (
        "Azerbaijan Demands Extraterritorial Corridor Through Armenia Before Any Treaty\n"
        "Azerbaijani officials on Monday demanded an extraterritorial corridor through Armenia.\n"
    )
    (event,) = extract([article(text)], decls).events
    assert event.sentence.startswith("Azerbaijani officials on Monday")
    assert [p.line for p in event.places] == [2, 1]
    assert event.date.cue == "on Monday"


def test_a_move_two_reports_give_is_dated_by_the_text_or_else_by_the_earlier_report(decls):
    a = article("Bayramov demanded an extraterritorial corridor through Armenia.\n", "a", date(2025, 9, 17))
    b = article("Bayramov demanded an extraterritorial corridor through Armenia.\n", "b", date(2025, 9, 16))
    (event,) = extract([a, b], decls).events
    assert event.date.date == date(2025, 9, 16) and sorted(p.source for p in event.places) == ["a", "b"]


def test_the_speaker_of_a_relative_clause_is_its_own_subject(decls):
    text = "Bayramov did not address the border plan, which Armenia has reportedly accepted.\n"
    (event,) = extract([article(text)], decls).events
    assert event.by == "AM"


def test_the_words_a_cue_governs_stop_where_its_clause_ends():
    from negotrack.draft.extract import focus

    text = "Pashinyan signalled a willingness to change the constitution in exchange for a border on the 1991 maps."
    assert focus(text, "willingness to").strip() == "change the constitution"  # not what is asked in exchange
    text = "“The corridor is unacceptable,” Pashinyan told reporters after a cabinet meeting."
    assert "corridor" in focus(text, "unacceptable")  # a cue closing a quotation governs the words before it


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        # the name right before the verb of an act, not the first name of the sentence
        ("The talks came as Pashinyan met officials, years after Bayramov abandoned the 2020 border agreement.", "bayramov"),
        # subjects joined by "and": the first of them
        ("Both Armenia and the European Union have said they want the border demarcated.", "AM"),
    ],
)
def test_the_subject_right_before_the_verb_speaks(decls, sentence, speaker):
    (event,) = extract([article(sentence + "\n")], decls).events
    assert event.by == speaker


def test_a_move_only_referred_to_by_a_noun_is_less_sure_than_one_made():
    from negotrack.draft.classify import cue_type

    made = cue_type("Azerbaijan demands a corridor through Armenia.")
    referred = cue_type("This follows a series of demands by Azerbaijan.")
    assert made.type == referred.type == "DemandIssued"
    assert referred.weight < made.weight
    # "following requests from …", "a new European proposal": referred to, whatever stands between
    assert cue_type("Malaysia hosted the meeting following requests from Bangkok for mediation.").weight < made.weight
    proposed = cue_type("The EU proposed a statute for the association.")
    referred = cue_type("Kosovo and Serbia failed to agree on a new European proposal for the association.")
    assert referred.type == proposed.type == "ProposalTabled" and referred.weight < proposed.weight


def test_both_sides_inside_a_quotation_are_spoken_of_not_speaking(decls):
    text = (
        "Armenia and Azerbaijan met in Abu Dhabi; Azerbaijan sent its foreign minister and Armenia its prime minister.\n"
        '"Both sides are seeking a border on the 1991 maps.\n'
    )
    assert [e.by for e in extract([article(text)], decls).events] == []


def test_a_first_line_in_sentence_case_is_the_title_when_a_longer_paragraph_follows():
    text = (
        "Azerbaijan demands a corridor while rejecting the border maps.\n"
        "Azerbaijani officials on Monday demanded an extraterritorial corridor through Armenia, and said the 1991 maps"
        " could not be the basis of the border, according to the foreign ministry in Baku.\n"
    )
    first, *rest = sentences(text)
    assert first.headline and not any(s.headline for s in rest)
    assert not sentences("Azerbaijan demands a corridor.\nIt said so.\n")[0].headline  # no longer paragraph follows


def test_a_party_named_inside_straight_quotes_is_spoken_of_not_speaking(decls):
    text = '"Azerbaijan must demarcate the border on the 1991 maps," Pashinyan said.\n'
    (event,) = extract([article(text)], decls).events
    assert (event.by, event.type) == ("pashinyan", "DemandIssued")


def test_the_subject_of_a_with_clause_whose_verb_is_the_cue_is_the_speaker(decls):
    # "…, with Zelenskyy proposing a 20-point plan": the name after "with" made the move
    text = "The talks moved on, with Pashinyan proposing that the border be demarcated on the 1991 maps.\n"
    result = extract([article(text)], decls)
    assert [(e.type, e.by) for e in result.events] == [("ProposalTabled", "pashinyan")]
    assert not result.unattributed


def test_a_with_clause_does_not_take_the_move_of_the_sentence_s_own_subject(decls):
    text = "Bayramov demanded a corridor through Armenia, with Pashinyan saying the border must be demarcated first.\n"
    (event,) = extract([article(text)], decls).events
    assert (event.type, event.by) == ("DemandIssued", "bayramov")


def test_a_quotation_credited_after_a_dash_is_the_named_speaker_s(decls):
    text = "“Azerbaijan demands an extraterritorial corridor through Armenia.” – Jeyhun Bayramov\n"
    (event,) = extract([article(text)], decls).events
    assert (event.type, event.by, event.issue) == ("DemandIssued", "bayramov", "corridor")
    assert event.places[0].quote == text.strip()


def test_a_quotation_credited_to_no_declared_name_is_reported_not_guessed(decls):
    text = "Pashinyan spoke first.\n\n“Azerbaijan demands an extraterritorial corridor through Armenia.” – [source]\n"
    result = extract([article(text)], decls)
    assert not [e for e in result.events if e.type == "DemandIssued"]
    assert [u.cue for u in result.unattributed] == ["demands"]


def test_a_dash_credit_naming_no_one_leaves_the_usual_rules_to_find_the_speaker(decls):
    text = "Pashinyan spoke in Yerevan on Tuesday.\n\n“Armenia will never change its constitution under pressure,” – he said.\n"
    events = [e for e in extract([article(text)], decls).events if e.issue == "constitution"]
    assert [(e.by, e.how) for e in events] == [("pashinyan", "pronoun")]


def test_the_verbs_of_moves_say_nothing_of_the_issue():
    # "Serbia accepts Kosovo's independence": "accepts" is what a party does, not what the issue is about,
    # so "we accepted the EU's proposal" is not on it.
    from negotrack.draft.classify import IssueIndex

    index = IssueIndex({"recognition": {"title": "Recognition", "proposition": "Azerbaijan accepts the old maps"}}, set())
    assert index.best("Bayramov said Baku accepted the proposal and welcomed the offer.")[0] is None
    assert index.best("Bayramov said Baku accepted the old maps.")[0] == "recognition"


def test_a_condition_attached_to_a_move_is_its_price_not_its_issue():
    # "insisted on a withdrawal before agreeing to free hostages": on the withdrawal; the hostages are the price
    from negotrack.draft.classify import IssueIndex

    index = IssueIndex(
        {
            "withdrawal": {"title": "Withdrawal", "proposition": "Israel withdraws its army from Gaza"},
            "hostages": {"title": "Hostages", "proposition": "Hamas frees the hostages and captives it holds"},
        },
        set(),
    )
    demanded = "on a complete Israeli withdrawal from Gaza"
    said = f"Hamas insisted {demanded} before agreeing to free any more hostages and captives it holds."
    assert index.best(said, focus=demanded)[0] == "withdrawal"
    # the same words as a second move, not a condition, weigh fully
    both = f"Hamas insisted {demanded} and agreed to free any more hostages and captives it holds."
    assert index.best(both, focus=demanded)[0] == "hostages"
    # "before" with a time, not a price, discounts nothing
    timed = "Before the hostages and captives talks, Hamas spoke of a withdrawal."
    assert index.best(timed) == index.best(timed.replace("Before", "After"))


def test_a_move_reported_in_a_that_clause_is_its_subject_s(decls):
    # "Kurti said that Vucic had refused to sign": Vucic refused; Kurti only reports it
    text = "Pashinyan said that Bayramov had rejected the 1991 maps for the border.\n"
    (event,) = extract([article(text)], decls).events
    assert (event.by, event.party) == ("bayramov", "AZ")


def test_what_a_reporter_says_another_party_must_do_stays_the_reporter_s(decls):
    text = "Pashinyan said that Azerbaijan must demarcate the border on the 1991 maps.\n"
    (event,) = extract([article(text)], decls).events
    assert (event.type, event.by) == ("DemandIssued", "pashinyan")


def test_what_an_agreement_says_is_not_a_party_s_statement(decls):
    text = "According to the 2020 agreement between Baku and Yerevan, a corridor through Armenia must be opened.\n"
    result = extract([article(text)], decls)
    assert result.events == []
    assert [u.cue for u in result.unattributed] == ["must"]  # reported, not guessed


def test_a_surname_written_with_diacritics_is_the_declared_actor():
    lex = Lexicon(PARTIES, {"vucic": {"name": "Aleksandar Vucic", "party": "AM"}})
    assert [(m.key, m.how) for m in lex.mentions("Vučić stressed that signatures are not an issue.")] == [("vucic", "surname")]


def test_a_second_move_opening_with_its_own_actor_is_that_actor_s(decls):
    text = "Bayramov rejected the 1991 maps, while Pashinyan insisted that the border must be demarcated first.\n"
    moves = {(e.type, e.by) for e in extract([article(text)], decls).events}
    assert moves == {("PositionStated", "bayramov"), ("DemandIssued", "pashinyan")}  # a rejection of no item: a position


def test_an_agreement_is_signed_by_its_subject_not_by_where_it_was_signed_or_who_looked_on(decls):
    text = (
        "Armenia and Azerbaijan signed a peace agreement in Brussels on Friday to settle the border, "
        "with the European Union hailing the result.\n"
    )
    agreements = [e for e in extract([article(text)], decls).events if e.type == "AgreementReached"]
    assert [sorted(e.fields["parties"]) for e in agreements] == [["AM", "AZ"]]


def test_what_an_agreement_holds_is_one_agreement_per_further_issue_it_settles(decls):
    text = (
        "Armenia and Azerbaijan signed a peace agreement in Brussels on Friday to demarcate the border.\n"
        "The agreement, dubbed the Brussels Accord, commits both countries to a demarcation commission, "
        "the opening of a transit corridor through Armenia, and the start of joint de-mining.\n"
        "It also provides for a change to Armenia's constitution within a year.\n"
    )
    agreements = [e for e in extract([article(text)], decls).events if e.type == "AgreementReached"]
    assert [(e.issue, sorted(e.fields["parties"]), e.date.date) for e in agreements] == [
        ("border", ["AM", "AZ"], date(2025, 9, 12)),
        ("corridor", ["AM", "AZ"], date(2025, 9, 12)),  # the day of the agreement, not of the report
        ("constitution", ["AM", "AZ"], date(2025, 9, 12)),
    ]
    corridor = agreements[1]
    assert corridor.fields["terms"] == "the opening of a transit corridor through Armenia"  # its own clause
    assert corridor.places[0].quote.startswith("The agreement, dubbed the Brussels Accord, commits")
    assert all(e.active for e in agreements)


def test_a_provision_needs_an_agreement_before_it_and_says_nothing_of_what_is_quoted_after_it(decls):
    alone = "The agreement provides for the opening of a transit corridor through Armenia.\n"
    assert [e for e in extract([article(alone)], decls).events if e.type == "AgreementReached"] == []
    text = (
        "Armenia and Azerbaijan signed a peace agreement in Brussels on Friday to demarcate the border.\n"
        "The agreement calls for a demarcation commission. “Armenia must change its constitution,” Bayramov said.\n"
    )
    agreements = [e for e in extract([article(text)], decls).events if e.type == "AgreementReached"]
    assert [e.issue for e in agreements] == ["border"]  # the quotation is Bayramov's, not the accord's


def test_approving_an_agreement_with_another_party_is_an_agreement_between_them_not_its_broker(decls):
    text = "Armenia's cabinet on Friday approved a border agreement with Azerbaijan, brokered by the European Union.\n"
    (event,) = extract([article(text)], decls).events
    assert (event.type, event.fields["parties"], event.issue) == ("AgreementReached", ["AM", "AZ"], "border")


def test_an_agreement_with_no_two_parties_in_its_subject_leaves_out_the_place_it_was_signed_at():
    from draft_support import ISSUES
    from negotrack.draft.extract import Declarations

    parties = {"RW": {"name": "Rwanda"}, "CD": {"name": "Democratic Republic of the Congo"}, "US": {"name": "United States"}}
    decls = Declarations("drc", "Rwanda–DR Congo talks", parties, {}, ISSUES)
    text = "Rwanda signed the border deal with DR Congo in Washington on Friday.\n"
    agreements = [e for e in extract([article(text)], decls).events if e.type == "AgreementReached"]
    assert [sorted(e.fields["parties"]) for e in agreements] == [["CD", "RW"]]


@pytest.mark.parametrize("name", ["Democratic Republic of Congo", "DR Congo", "the DRC", "Kinshasa"])
def test_a_state_is_known_by_the_names_the_news_gives_it(name):
    lex = Lexicon({"CD": {"name": "Democratic Republic of the Congo"}, "RW": {"name": "Rwanda"}}, {})
    found = lex.mentions(f"Officials said {name} and Kigali would meet again.")
    assert [m.key for m in found] == ["CD", "RW"]


def test_a_name_written_by_its_first_word_alone_is_that_actor_unless_another_name_follows():
    from draft_support import ISSUES
    from negotrack.draft.extract import Declarations

    parties = {"MY": {"name": "Malaysia"}, "KH": {"name": "Cambodia"}}
    actors = {
        "anwar": {"name": "Anwar Ibrahim", "party": "MY", "role": "Prime Minister"},
        "hun-manet": {"name": "Hun Manet", "party": "KH", "role": "Prime Minister"},
    }
    decls = Declarations("border", "Border talks", parties, actors, ISSUES)
    text = "“The border must be demarcated first,” Anwar said after a meeting with Cambodian Prime Minister Hun Manet.\n"
    assert [(e.by, e.how) for e in extract([article(text)], decls).events] == [("anwar", "given-name")]
    # "Hun Sen" is another man: a first word followed by another name is not the actor
    text = "Hun Sen insisted that the border must be demarcated first.\n"
    assert [e.by for e in extract([article(text)], decls).events] == []


@pytest.mark.parametrize(
    ("sentence", "proposition", "stance"),
    [
        # a verb of ending in the proposition is what it says, not a "no" ("stop", "eases restrictions")
        ("Cambodia called for an immediate ceasefire.", "Both sides stop all hostilities under a ceasefire", "supports"),
        ("Beijing promised to ease restrictions on mineral exports.", "China eases its export controls", "supports"),
        ("Cambodia said it would never accept a ceasefire.", "Both sides stop all hostilities under a ceasefire", "opposes"),
        ("Baku rejected the idea of a ceasefire.", "Both sides stop all hostilities under a ceasefire", "opposes"),
    ],
)
def test_a_stance_turns_on_a_no_not_on_a_verb_of_ending(sentence, proposition, stance):
    from negotrack.draft.classify import stance as stance_of

    assert stance_of(sentence, proposition, "PositionStated") == stance


def test_who_closes_a_quotation_spoke_it_not_the_party_it_names(decls):
    text = (
        "“We have said it many times.\n"
        "In the end, we accepted the EU’s proposal on the border, which Baku was not ready to accept,” "
        "the Armenian Prime Minister told reporters.\n"
    )
    events = extract([article(text)], decls).events
    assert [(e.by, e.sentence.startswith("In the end")) for e in events if e.by != "pashinyan"] == []
    assert any(e.by == "pashinyan" and e.sentence.startswith("In the end") for e in events)


def test_a_demonym_standing_alone_is_its_party_not_the_topic_of_an_issue():
    from negotrack.draft.classify import IssueIndex

    parties = {"CN": {"name": "China"}, "US": {"name": "United States"}}
    lex = Lexicon(parties, {})
    issues = {
        "farm": {"title": "Chinese purchases of US farm goods", "proposition": "China buys farm goods in substantial quantities"},
        "tariffs": {"title": "Tariff levels", "proposition": "The US and China lower their tariffs"},
    }
    words = {w for p in lex.party_words.values() for group in p.values() for w in group}
    index = IssueIndex(issues, words, lex.canonical)
    scores = index.scores("The Chinese vice premier described the outcome as substantial progress.")
    assert scores["farm"] == scores["tariffs"]  # "Chinese" and "substantial" say nothing of either issue


def test_the_verb_agree_is_a_move_not_the_topic_of_an_agreement():
    from negotrack.draft.classify import IssueIndex

    issues = {
        "deal": {"title": "A peace agreement", "proposition": "The two sides sign a peace agreement"},
        "withdrawal": {"title": "Withdrawal", "proposition": "The army withdraws from the region"},
    }
    index = IssueIndex(issues, set())
    assert index.best("They insisted on a withdrawal first, without agreeing to anything else.")[0] == "withdrawal"
    assert index.best("They signed the agreement.")[0] == "deal"  # the noun still is


def test_he_said_between_commas_after_a_quotation_is_the_last_speaker(decls):
    text = (
        "Nikol Pashinyan spoke in Yerevan.\n"
        "While it was “possible” for Armenia to be ready to demarcate the border “in stages,” he said, a corridor was “unacceptable.”\n"
    )
    events = extract([article(text)], decls)
    assert [e.by for e in events.events] == ["pashinyan"] and events.unattributed == []


def test_a_relative_clause_opening_with_its_own_actor_is_that_actor_s_move(decls):
    text = (
        "“In the end, we accepted the proposal on the border, which Bayramov was not ready to accept,” "
        "the Armenian Prime Minister told reporters.\n"
    )
    moves = {(e.by, e.fields.get("stance")) for e in extract([article(text)], decls).events}
    assert moves == {("pashinyan", "supports"), ("bayramov", "opposes")}


def test_with_a_name_saying_after_a_subjectless_cue_is_the_speaker(decls):
    text = (
        "The latter was quick to reject it, with Azerbaijan Foreign Minister Jeyhun Bayramov saying that "
        "the border deal proposed by Yerevan lacks several “important provisions.”\n"
    )
    assert [e.by for e in extract([article(text)], decls).events] == ["bayramov"]


def test_what_another_side_wants_in_a_speaker_s_quotation_is_the_speaker_s_position(decls):
    text = "“They want to demarcate the border and they want to meet,” Pashinyan said on Tuesday.\n"
    assert [(e.by, e.type) for e in extract([article(text)], decls).events] == [("pashinyan", "PositionStated")]
    text = "“We want to demarcate the border on the 1991 maps,” Pashinyan said on Tuesday.\n"
    assert [(e.by, e.type) for e in extract([article(text)], decls).events] == [("pashinyan", "DemandIssued")]


def test_the_writer_s_reading_of_a_move_is_not_a_party_s_statement(decls):
    text = (
        "Pashinyan spoke of the border on Tuesday.\n"
        "This shift shows that Armenia is ready to demarcate the border on the 1991 maps.\n"
        "The article paints a picture of Azerbaijan steadily demanding a corridor through Armenia.\n"
    )
    assert [e.sentence for e in extract([article(text)], decls).events] == []


def test_an_offer_to_no_party_named_is_a_position_that_ingests(decls):
    text = "The Armenian Prime Minister expressed his country’s willingness to send troops to the border.\n"
    (event,) = extract([article(text)], decls).events
    assert (event.type, event.by, event.active) == ("PositionStated", "pashinyan", True)
    assert "guarantee" not in event.fields  # a position has no such field: ingest would refuse it


def test_he_after_a_party_s_move_named_with_its_actor_is_that_actor(decls):
    text = (
        "Jeyhun Bayramov spoke first.\n"
        "In the early hours of Sunday, local time, Nikol Pashinyan thanked Bayramov and said Armenia rejected the corridor.\n"
        "He noted he had previously demanded that the border be demarcated on the 1991 maps.\n"
    )
    events = extract([article(text)], decls).events
    assert [e.by for e in events if e.sentence.startswith("He noted")] == ["pashinyan"]


def test_a_party_the_gazetteer_does_not_know_is_named_by_its_parts_and_its_kind():
    parties = {
        "SAF": {"name": "Sudanese Armed Forces and the army-led government"},
        "RSF": {"name": "Rapid Support Forces"},
        "US": {"name": "United States"},
        "USSA": {"name": "Saudi Arabia and the United States (facilitators)"},
    }
    lex = Lexicon(parties, {})
    named = lambda text: [(text[m.start : m.end], m.key) for m in lex.mentions(text)]  # noqa: E731
    assert named("The army said the Sudanese Armed Forces would stay.") == [("The army", "SAF"), ("Sudanese Armed Forces", "SAF")]
    assert named("Saudi Arabia called for a truce; the United States agreed.") == [("Saudi Arabia", "USSA"), ("United States", "US")]
    # a kind two parties' names give names neither
    two = Lexicon({"A": {"name": "Northern Army"}, "B": {"name": "Southern Army"}}, {})
    assert two.mentions("The army said so.") == []


def test_two_parties_agreeing_with_a_proposal_accept_it_and_in_principle_is_said(decls):
    text = (
        "The European Union proposed a border on the 1991 maps.\n"
        "Armenia and Azerbaijan have agreed with the proposal for a border, which was good in principle.\n"
    )
    answers = [e for e in extract([article(text)], decls).events if e.type != "ProposalTabled"]
    assert [(e.type, e.by) for e in answers] == [("Accepted", "AM")]
    assert answers[0].fields["qualifier"] == "in_principle"


def test_an_end_to_the_aggression_is_a_ceasefire():
    from negotrack.draft.classify import IssueIndex

    issues = {
        "ceasefire": {"title": "Cessation of hostilities", "proposition": "The sides stop fighting under a ceasefire"},
        "border": {"title": "The border area", "proposition": "The army deploys in the border area"},
    }
    index = IssueIndex(issues, set())
    assert index.best("Hezbollah wants a complete end to the aggression and the preservation of sovereignty.")[0] == "ceasefire"


def test_an_act_s_own_subject_beats_the_sentence_s_pronoun(decls):
    text = (
        "Nikol Pashinyan spoke in Yerevan.\n"
        "He also accused Baku of bias — a charge the Azerbaijani foreign ministry rejected on Monday.\n"
    )
    assert [e.by for e in extract([article(text)], decls).events] == ["AZ"]


def test_a_proposal_named_as_another_party_s_is_spoken_of_not_tabled(decls):
    text = "Bayramov said that Azerbaijan reviewed the Armenian border proposal and gave feedback.\n"
    assert [(e.by, e.type) for e in extract([article(text)], decls).events] == [("bayramov", "PositionStated")]
    text = "Bayramov said that Azerbaijan reviewed the EU proposal for the border.\n"
    assert [(e.by, e.type) for e in extract([article(text)], decls).events] == [("bayramov", "PositionStated")]


def test_a_party_s_own_body_speaks_for_it_and_a_role_one_actor_holds_names_them():
    parties = {"IL": {"name": "Israel"}, "LB": {"name": "Lebanon"}}
    actors = {"mikati": {"name": "Najib Mikati", "party": "LB", "role": "Prime Minister"}}
    from draft_support import ISSUES
    from negotrack.draft.extract import Declarations

    decls = Declarations("lb", "Israel–Lebanon", parties, actors, ISSUES)
    text = "Israel's security cabinet on Tuesday approved the agreement on the border.\n"
    assert [(e.by, e.type) for e in extract([article(text)], decls).events][0][0] == "IL"
    text = "The Prime Minister expressed his approval of the agreement on the border.\n"
    assert [e.by for e in extract([article(text)], decls).events] == ["mikati"]
    # a role two actors hold names neither ("Caretaker Prime Minister" is one too)
    actors["mikati"]["role"] = "Caretaker Prime Minister"
    actors["netanyahu"] = {"name": "Benjamin Netanyahu", "party": "IL", "role": "Prime Minister"}
    decls = Declarations("lb", "Israel–Lebanon", parties, actors, ISSUES)
    assert [e.by for e in extract([article(text)], decls).events] == []


def test_a_quotation_going_on_from_the_last_speaker_is_theirs_not_the_party_it_names(decls):
    text = (
        'Pashinyan said on Tuesday that the border would be demarcated. "If Baku attacks the border again, '
        "we will strike back. If it launches a rocket, we will attack.\n"
    )
    threats = [e for e in extract([article(text)], decls).events if e.type == "ThreatIssued"]
    assert threats and {e.by for e in threats} == {"pashinyan"}


def test_a_former_office_holder_is_no_party_s_voice(decls):
    text = "This has been a point of contention, with former Armenian Prime Minister Nikol Pashinyan suggesting a new border.\n"
    assert [e.by for e in extract([article(text)], decls).events] == []


def test_an_act_s_subject_right_before_it_is_the_speaker_after_a_dash(decls):
    text = "Pashinyan has accused Baku of blocking the border talks – claims the Azerbaijani government reject.\n"
    assert [e.by for e in extract([article(text)], decls).events] == ["AZ"]


def test_approval_still_to_come_is_no_yes():
    from negotrack.draft.classify import cue_type

    assert cue_type("The text will now be presented to the presidents for final approval.").weight < 0.8


def test_a_move_told_of_after_a_day_after_is_its_own_subject_s_and_came_that_day_before(decls):
    text = "Armenia insisted on Tuesday that the border be demarcated, a day after Azerbaijan rejected the 1991 maps.\n"
    moves = sorted((e.by, e.type, e.date.date) for e in extract([article(text)], decls).events)
    assert moves == [
        ("AM", "DemandIssued", date(2025, 9, 16)),
        ("AZ", "PositionStated", date(2025, 9, 15)),  # a rejection of no item drafted: a position, the day before
    ]
    lone = "Armenia insisted on Tuesday that the border be demarcated, a day after the talks were rejected.\n"
    assert [e.by for e in extract([article(lone)], decls).events] == ["AM"]  # no subject of its own: no second move


def test_another_party_s_demand_named_by_its_owner_is_that_party_s_and_on_what_it_names():
    from negotrack.draft.extract import Declarations

    parties = {"IL": {"name": "Israel"}, "HAMAS": {"name": "Hamas"}}
    issues = {
        "hostage-deal": {"title": "A pause in the fighting for the hostages' release", "proposition": "Hamas releases the hostages held in Gaza during a pause"},
        "end-of-war": {"title": "A permanent ceasefire", "proposition": "The war in Gaza ends with a permanent ceasefire"},
    }
    decls = Declarations("gaza", "Gaza hostage talks", parties, {}, issues)
    text = "Talks to release the remaining hostages held in Gaza stalled because Israel did not agree with Hamas' demand for a permanent ceasefire.\n"
    demands = [(e.by, e.issue) for e in extract([article(text)], decls).events if e.type == "DemandIssued"]
    assert demands == [("HAMAS", "end-of-war")]


def test_a_move_referred_to_at_the_start_of_a_sentence_is_no_unattributed_statement(decls):
    text = "The proposal was communicated through mediators in Brussels.\nThis demand is positioned as a cornerstone of the talks.\n"
    result = extract([article(text)], decls)
    assert (result.events, result.unattributed) == ([], [])  # "The proposal", like "the proposal": spoken of


def test_an_answer_whose_words_name_no_issue_is_on_what_its_article_is_about(decls):
    text = (
        "Armenian and Azerbaijani officials met in Brussels to discuss the demarcation of the border on the 1991 maps.\n"
        "Bayramov said the agreement was good in principle but that some details still needed work.\n"
    )
    answers = [e for e in extract([article(text)], decls).events if e.by == "bayramov"]
    assert [(e.type, e.issue) for e in answers] == [("PositionStated", "border")]  # an acceptance of no item drafted


def test_a_noun_cue_after_expressing_it_is_the_speaker_s_own_act_not_one_referred_to():
    from negotrack.draft.classify import NOMINAL_WEIGHT, cue_type

    own = cue_type("Pashinyan expressed his approval of the border deal.")
    assert (own.type, own.weight) == ("Accepted", 0.8)  # as sure as "approved"
    assert cue_type("Pashinyan read his approval of the border deal.").weight == round(0.8 * NOMINAL_WEIGHT, 3)
