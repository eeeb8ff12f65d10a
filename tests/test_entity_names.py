"""People who share a name inside one article stay apart; roles hold no forms of address.

Every text is written for this test (not from any article).
"""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc, Span

from archive.attribution_entities import full_names_conflict, strip_name
from archive.extract import extract_quotes
from archive.models import Entity, Quote
from archive.names import FEMALE, MALE, parse_person
from archive.nlp import load_pipeline


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_pipeline()


def speakers(nlp: Language, text: str) -> tuple[list[str | None], tuple[Entity, ...]]:
    return speakers_of(nlp(text))


def speakers_of(doc: Doc) -> tuple[list[str | None], tuple[Entity, ...]]:
    """The speaker of each speech quote in `doc` (None where unresolved), and the entities."""
    quotes, entities = extract_quotes(doc)
    speech: list[Quote] = [q for q in quotes if q.speech]
    return [entities[q.entity].name if q.entity is not None else None for q in speech], entities


def test_a_shared_given_name_does_not_join_two_full_names(nlp: Language) -> None:
    text = (
        "Tony Verdell opened the meeting in Leeds on Monday.\n\n"
        "“We will keep the library open,” Tony Verdell said.\n\n"
        "Later Tony asked for a show of hands.\n\n"
        "Tony Marsh, of Otley, said: “This is the best news we have had all year.”"
    )
    names, entities = speakers(nlp, text)
    assert names == ["Tony Verdell", "Tony Marsh"]
    assert not any({"Tony Verdell", "Tony Marsh"} <= {e.name, *e.aliases} for e in entities)


def test_a_shared_surname_does_not_join_two_full_names(nlp: Language) -> None:
    text = (
        "Team captain Lena Okafor will miss the final because of injury.\n\n"
        "Okafor said: “This is very disappointing for me.”\n\n"
        "And coach Marcus Okafor said: “I am hugely disappointed for Lena.”"
    )
    names, _ = speakers(nlp, text)
    assert names == ["Lena Okafor", "Marcus Okafor"]


def test_a_regnal_title_keeps_a_lone_given_name_apart(nlp: Language) -> None:
    text = (
        "Prince Edmund will marry in April.\n\n"
        "The Liberal leader, Edmund Carrow, said: “I wish them both every happiness.”\n\n"
        "“It is a happy day for the family,” Prince Edmund said."
    )
    names, _ = speakers(nlp, text)
    assert names == ["Edmund Carrow", "Prince Edmund"]


def test_a_role_drops_the_form_of_address_before_the_name(nlp: Language) -> None:
    text = "“We have no plans to change course,” Attorney General Lord Pennick said."
    _, entities = speakers(nlp, text)
    (pennick,) = entities
    assert pennick.roles == ("Attorney General",)


def test_an_apposition_role_ends_before_the_title_of_the_name(nlp: Language) -> None:
    text = "The bank's chairman, Sir Anthony Greaves, said: “The bank will not move its offices.”"
    _, entities = speakers(nlp, text)
    (chairman,) = entities
    assert chairman.name == "Anthony Greaves" and chairman.roles == ("bank's chairman",)


def test_a_role_noun_in_front_is_not_part_of_the_name(nlp: Language) -> None:
    text = (
        "Rovers boss Graeme Tolland admitted his side had been lucky.\n\n"
        "“We rode our luck in the second half,” Boss Graeme Tolland said."
    )
    names, _ = speakers(nlp, text)
    assert names == ["Graeme Tolland"]


def test_a_role_word_before_a_name_is_not_part_of_it(nlp: Language) -> None:
    text = (
        "Backbencher Tom Ashdown said some MPs were angry.\n\n“This has to stop,” Mr Ashdown said."
    )
    names, entities = speakers(nlp, text)
    assert names == ["Tom Ashdown"]
    assert "Backbencher Tom Ashdown" not in entities[0].aliases


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Wales physio Mark Davies", "Mark Davies"),  # the recogniser took the role in
        ("Charles de Gaulle", "Charles de Gaulle"),  # a surname particle stays
        ("Ortega y Gasset", "Ortega y Gasset"),
        ("Mr. Biden's", "Biden"),
        ('" Mr Dufresne', "Dufresne"),  # a quotation mark the recogniser took in
        ("David Kahan -", "David Kahan"),  # and a dangling dash
        ("DJ Norman Cook - aka", "Norman Cook"),  # a role and an `aka` tail
        ("Norman Cook aka Fatboy Slim", "Norman Cook"),
        ("Chinedu Aka", "Chinedu Aka"),  # a surname, not the abbreviation
        ("Jean-Luc Moreau", "Jean-Luc Moreau"),
        ("Martin Luther King Jr.", "Martin Luther King Jr."),
    ],
)
def test_strip_name(written: str, name: str) -> None:
    assert strip_name(written) == name


def test_a_one_word_name_labelled_org_as_often_as_person_is_an_organisation(
    nlp: Language,
) -> None:
    text = (
        "Forward says the plan is “a return to a failed past”.\n\n"
        "Forward's posters were delayed by Forward officials.\n\n"
        "Forward said the plan was “a mess”."
    )
    doc = nlp(text)
    mentions = [t.i for t in doc if t.text == "Forward"]
    labels = ["PERSON", "ORG", "ORG", "PERSON"]  # as the recogniser mixes them for a party
    doc.ents = [Span(doc, i, i + 1, label=label) for i, label in zip(mentions, labels, strict=True)]
    quotes, entities = extract_quotes(doc)
    assert [entities[q.entity].kind for q in quotes if q.entity is not None] == ["organisation"] * 2


@pytest.mark.parametrize(
    ("first", "second", "conflict"),
    [
        ("tony martin", "tony blair", True),
        ("jason robinson", "andy robinson", True),
        ("bill clinton", "hillary rodham clinton", True),
        ("joe biden", "joseph r biden", False),  # nickname
        ("j smith", "john smith", False),  # an initial
        ("j smith", "paul smith", True),
        ("hillary clinton", "hillary rodham clinton", False),  # shorter form
        ("lopez obrador", "andres manuel lopez obrador", False),
        ("obrador", "tony blair", False),  # one word: a surname, decided elsewhere
    ],
)
def test_full_names_conflict(first: str, second: str, conflict: bool) -> None:
    assert full_names_conflict(first.split(), second.split()) is conflict
    assert full_names_conflict(second.split(), first.split()) is conflict


@pytest.mark.parametrize(
    ("written", "key", "gender"),
    [
        ("Prince Charles", ("prince", "charles"), MALE),
        ("Britain's Prince Charles", ("prince", "charles"), MALE),
        ("Queen Elizabeth II", ("queen", "ii#", "elizabeth"), FEMALE),
        ("Pope Francis", ("pope", "francis"), 0),
        ("Sen. Angus King", ("angus", "king"), 0),  # a regnal word as a surname
        ("Mr Blair", ("blair",), MALE),
    ],
)
def test_a_regnal_title_stays_in_the_key_before_one_name(
    written: str, key: tuple[str, ...], gender: int
) -> None:
    parsed = parse_person(written)
    assert (parsed.key, parsed.gender) == (key, gender)


def test_an_honorific_makes_a_name_a_persons_whatever_the_label(nlp: Language) -> None:
    """The recogniser reads some `Ms Surname` mentions as organisations (seen on BBC text)."""
    doc = nlp(
        "Growth was faster, said deputy governor Rachel Lomond.\n\n"
        "“Recent work has shown that surveys add value,” Ms Lomond said in a speech."
    )
    ms = next(t.i for t in doc if t.text == "Ms")
    doc.ents = [e for e in doc.ents if e.start > ms + 1 or e.end <= ms] + [
        Span(doc, ms, ms + 2, label="ORG")
    ]
    names, entities = speakers_of(doc)
    assert names == ["Rachel Lomond"]
    assert [e.kind for e in entities] == ["person"]


def _relabel(doc: Doc, words: str, label: str) -> None:
    """Label `words` as the recogniser sometimes does, replacing what overlaps them."""
    start = doc.text.index(words)
    span = doc.char_span(start, start + len(words), label=label)
    assert span is not None
    doc.ents = [e for e in doc.ents if e.end <= span.start or e.start >= span.end] + [span]


def test_person_names_labelled_organisations_join_their_person(nlp: Language) -> None:
    doc = nlp(
        "Farm minister Dominique Bussard backed the plan, which would “create a positive "
        "climate for growers,” Mr Bussard said.\n\nCardinal Cormac Murphy-O'Leary will ask: "
        "“How is it that peace has not arrived?”"
    )
    _relabel(doc, "Mr Bussard", "ORG")
    _relabel(doc, "Murphy-O'Leary", "ORG")
    names, entities = speakers_of(doc)
    assert names == ["Dominique Bussard", "Cormac Murphy-O'Leary"]
    assert {e.kind for e in entities} == {"person"}


def test_a_bill_named_after_a_lord_stays_a_thing(nlp: Language) -> None:
    doc = nlp(
        "Lord Dubbin's Succession Bill was withdrawn. “We cannot forever say no,” Lord Dubbin "
        "told peers."
    )
    _relabel(doc, "Dubbin's Succession Bill", "ORG")
    names, _ = speakers_of(doc)
    assert names == ["Dubbin"]


def test_a_full_name_labelled_an_organisation_is_the_mr_of_the_article(nlp: Language) -> None:
    doc = nlp(
        "Vance Cabot, the party's Treasury spokesman, said the plan would help buyers. He said "
        "buyers were being “squeezed out” of the market.\n\nThe saving would be £1,000, "
        "according to Mr Cabot. “First time buyers are being squeezed out,” he said."
    )
    _relabel(doc, "Vance Cabot", "ORG")
    _relabel(doc, "Mr Cabot", "ORG")
    names, entities = speakers_of(doc)
    assert set(names) == {"Vance Cabot"}
    assert [e.kind for e in entities] == ["person"]


def test_a_demonym_with_an_article_is_no_name(nlp: Language) -> None:
    """`the 22-year-old Scot` is tagged PERSON; `an angry Beattie` is still Beattie."""
    doc = nlp(
        "Alan Scobie is confident of a medal.\n\nThe 22-year-old Scot finished fourth in "
        "Madrid. “It was a learning curve,” said the East Kilbride athlete.\n\nJames Beaton "
        "was sent off. An angry Beaton said: “I would never headbutt anyone.”"
    )
    assert {e.text for e in doc.ents if e.label_ == "PERSON"} >= {"Scot", "Beaton"}
    names, entities = speakers_of(doc)
    assert names == ["Alan Scobie", "James Beaton"]
    assert "Scot" not in {e.name for e in entities}
