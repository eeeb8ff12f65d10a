"""Canonical speakers: every merge rule, with names written for these tests and the seed names."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from archive.models import Article, Entity, Extraction, Quote, Speaker, SpeakerKind
from archive.names import (
    is_compatible,
    middles_agree,
    nicknames_of,
    parse_group,
    parse_person,
    same_person_names,
)
from archive.speakers import SpeakerDirectory, match_speakers

EntitySpec = str | tuple[str, SpeakerKind] | Entity


def _entity(spec: EntitySpec) -> Entity:
    if isinstance(spec, Entity):
        return spec
    if isinstance(spec, tuple):
        return Entity(name=spec[0], kind=spec[1])
    return Entity(name=spec, kind="person")


def extraction(
    article_id: str,
    entities: Sequence[EntitySpec],
    quotes: Sequence[int | None] | None = None,
    outlet: str = "Daily Test",
) -> Extraction:
    """An article whose quotes are attributed to `quotes` (entity indexes); one each by default."""
    indexes = list(range(len(entities))) if quotes is None else list(quotes)
    return Extraction(
        article=Article(id=article_id, title=f"Title {article_id}", text=article_id, outlet=outlet),
        entities=tuple(_entity(spec) for spec in entities),
        quotes=tuple(
            Quote(text=f"quote {n}", start=n, end=n + 1, entity=index)
            for n, index in enumerate(indexes)
        ),
    )


def directory(*extractions: Extraction) -> SpeakerDirectory:
    built = SpeakerDirectory()
    for item in extractions:
        built.add(item)
    return built


def by_name(built: SpeakerDirectory) -> dict[str, Speaker]:
    return {speaker.name: speaker for speaker in built.speakers()}


def same_speaker(built: SpeakerDirectory, *refs: tuple[str, int]) -> str:
    ids = {built.speaker_id(article, entity) for article, entity in refs}
    assert len(ids) == 1, ids
    (speaker_id,) = ids
    assert speaker_id is not None
    return speaker_id


# -- name parsing -------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Mr. López Obrador", ("lopez", "obrador")),
        ("President Obrador", ("obrador",)),
        ("Mexican President Andrés Manuel López Obrador", ("andres", "manuel", "lopez", "obrador")),
        ("Antony J. Blinken", ("antony", "j.", "blinken")),  # initials: one marker token
        ("George H. W. Bush", ("george", "hw.", "bush")),
        ("George H.W. Bush", ("george", "hw.", "bush")),
        ("Joseph R. Biden Jr.", ("joseph", "r.", "jr#", "biden")),
        ("José Ortega y Gasset", ("jose", "ortega", "gasset")),  # a particle, not an initial
        ("Secretary of State Antony Blinken", ("antony", "blinken")),
        ("Alejandro N. Mayorkas", ("alejandro", "n.", "mayorkas")),
        ("House Speaker Mike Johnson (R., La.)", ("mike", "johnson")),
        ("Gov. Marisol Quintana-Reyes", ("marisol", "quintana", "reyes")),
        ("Dr. Priya Raman, Ph.D.", ("priya", "raman")),
        ("Sen. Angus King", ("angus", "king")),
        ("Odell King", ("odell", "king")),  # a surname that is also a title word stays
        ("Rev. Martin Luther King Jr.", ("martin", "luther", "jr#", "king")),  # a generation
        ("Henry Vale III", ("henry", "iii#", "vale")),
        ("Bashar al-Assad", ("bashar", "al", "assad")),
        ("Moira O’Sullivan", ("moira", "osullivan")),
        ("G.K. Butterfield", ("gk", "butterfield")),
        ("Secretary of State", ("secretary", "of", "state")),  # a bare title is not emptied
        ("Trump's", ("trump",)),
    ],
)
def test_person_keys_drop_titles_suffixes_and_accents(written: str, key: tuple[str, ...]) -> None:
    assert parse_person(written).key == key


def test_group_keys_drop_a_leading_the() -> None:
    assert parse_group("the White House").key == parse_group("White House").key
    assert parse_group("The U.S. State Department").key == ("us", "state", "department")


@pytest.mark.parametrize(
    ("part", "full", "expected"),
    [
        (("obrador",), ("andres", "manuel", "lopez", "obrador"), True),
        (("lopez", "obrador"), ("andres", "manuel", "lopez", "obrador"), True),
        (("andres", "obrador"), ("andres", "manuel", "lopez", "obrador"), True),
        (("von", "der", "leyen"), ("ursula", "von", "der", "leyen"), True),
        (("lopez",), ("andres", "manuel", "lopez", "obrador"), False),  # not the last surname
        (("hunter", "biden"), ("joseph", "biden"), False),
        (("de",), ("charles", "de", "gaulle"), False),  # a particle alone names nobody
        (("kirby",), ("kirby",), False),
    ],
)
def test_compatibility_needs_the_surname(
    part: tuple[str, ...], full: tuple[str, ...], expected: bool
) -> None:
    assert is_compatible(part, full) is expected


# -- merging ----------------------------------------------------------------


def test_accents_and_case_fold_across_articles() -> None:
    built = directory(
        extraction("a", ["Luis García Villagrán"]),
        extraction("b", ["Luis Garcia Villagran"]),
        extraction("c", ["LUIS GARCIA VILLAGRAN"]),
    )
    speaker_id = same_speaker(built, ("a", 0), ("b", 0), ("c", 0))
    (speaker,) = built.speakers()
    assert speaker.id == speaker_id == "luis-garcia-villagran"
    assert speaker.name == "Luis García Villagrán"
    assert speaker.quote_count == 3
    assert speaker.article_count == 3


def test_titled_and_partial_mentions_join_the_full_name() -> None:
    built = directory(
        extraction("a", ["Andrés Manuel López Obrador"]),
        extraction("b", ["Mr. López Obrador"]),
        extraction("c", ["President Obrador"]),
        extraction("d", ["Obrador"]),
        extraction("e", ["Lopez Obrador"]),
    )
    same_speaker(built, ("a", 0), ("b", 0), ("c", 0), ("d", 0), ("e", 0))
    (speaker,) = built.speakers()
    assert speaker.name == "Andrés Manuel López Obrador"
    assert speaker.quote_count == 5
    assert {"Mr. López Obrador", "President Obrador", "Obrador", "Lopez Obrador"} <= set(
        speaker.aliases
    )


def test_middle_initials_do_not_split_a_person() -> None:
    built = directory(
        extraction("a", ["Antony J. Blinken", "Alejandro N. Mayorkas"]),
        extraction("b", ["Antony Blinken", "Alejandro Mayorkas"]),
        extraction("c", ["Tamsin R. Okafor"]),
        extraction("d", ["Tamsin Okafor"]),
    )
    same_speaker(built, ("a", 0), ("b", 0))
    same_speaker(built, ("a", 1), ("b", 1))
    same_speaker(built, ("c", 0), ("d", 0))
    assert len(built.speakers()) == 3
    # The fullest spelling is shown.
    assert "Antony J. Blinken" in by_name(built)


def test_surname_merges_when_only_one_full_name_fits() -> None:
    built = directory(
        extraction("a", ["John Kirby"]),
        extraction("b", ["Kirby"]),
        extraction("c", ["Rear Adm. John Kirby"]),
    )
    same_speaker(built, ("a", 0), ("b", 0), ("c", 0))
    assert [s.name for s in built.speakers()] == ["John Kirby"]


def test_ambiguous_surname_stays_apart_across_the_archive() -> None:
    built = directory(
        extraction("a", ["Mike Johnson"]),
        extraction("b", ["Boris Johnson"]),
        extraction("c", ["Johnson"]),
    )
    ids = {built.speaker_id(article, 0) for article in "abc"}
    assert len(ids) == 3
    bare = by_name(built)["Johnson"]
    assert bare.id == built.speaker_id("c", 0)
    assert bare.quote_count == 1


def test_ambiguous_surname_attaches_to_its_own_articles_full_name() -> None:
    built = directory(
        extraction("a", ["Speaker Mike Johnson", "Speaker Johnson"]),
        extraction("b", ["Boris Johnson", "Mr. Johnson"]),
        extraction("c", ["Johnson"]),
    )
    mike = same_speaker(built, ("a", 0), ("a", 1))
    boris = same_speaker(built, ("b", 0), ("b", 1))
    assert mike != boris
    assert built.speaker_id("c", 0) not in {mike, boris}
    speakers = by_name(built)
    assert speakers["Mike Johnson"].quote_count == 2
    assert speakers["Mike Johnson"].article_count == 1
    assert "Mr. Johnson" in speakers["Boris Johnson"].aliases


def test_within_an_article_first_names_and_inner_surnames_merge() -> None:
    built = directory(
        extraction("a", ["Hillary Clinton", "Hillary"]),
        extraction("b", ["Luis García Villagrán", "García"]),
        extraction("c", ["Hillary"]),  # across the archive a first name alone stays apart
    )
    same_speaker(built, ("a", 0), ("a", 1))
    same_speaker(built, ("b", 0), ("b", 1))
    assert built.speaker_id("c", 0) != built.speaker_id("a", 0)


def test_two_candidates_in_one_article_leave_the_surname_alone() -> None:
    built = directory(extraction("a", ["Dana Whitlock", "Ray Whitlock", "Whitlock"]))
    assert len({built.speaker_id("a", i) for i in range(3)}) == 3


def test_compound_surnames_and_particles() -> None:
    built = directory(
        extraction("a", ["Ursula von der Leyen", "Gabriela Fernández Ortega", "Bashar al-Assad"]),
        extraction("b", ["von der Leyen", "Fernández Ortega", "Assad"]),
        extraction("c", ["Ms. Von der Leyen", "Ortega", "al-Assad"]),
    )
    for entity in range(3):
        same_speaker(built, ("a", entity), ("b", entity), ("c", entity))
    names = set(by_name(built))
    assert names == {"Ursula von der Leyen", "Gabriela Fernández Ortega", "Bashar al-Assad"}


def test_titles_that_tell_gender_keep_people_apart() -> None:
    built = directory(
        extraction("a", [Entity("Ngozi Okafor", "person", aliases=("Ms. Okafor",))]),
        extraction("b", ["Mr. Okafor"]),
        extraction("c", ["Okafor", "Dara Mills"]),
        extraction("d", [Entity("Ngozi Okafor", "person", aliases=("Ms. Okafor",)), "Mr. Okafor"]),
        extraction("e", ["Spokeswoman Ngozi Okafor"]),
    )
    ngozi = same_speaker(built, ("a", 0), ("d", 0), ("e", 0))
    same_speaker(built, ("b", 0), ("c", 0), ("d", 1))  # all `okafor`, known as a man
    assert built.speaker_id("b", 0) != ngozi


def test_mixed_gender_evidence_counts_as_unknown() -> None:
    built = directory(
        extraction("a", ["Ngozi Okafor"]),
        extraction("b", ["Mr. Okafor"]),
        extraction("c", ["Ms. Okafor"]),
    )
    same_speaker(built, ("a", 0), ("b", 0), ("c", 0))


def test_a_gendered_surname_picks_the_one_full_name_it_fits() -> None:
    built = directory(
        extraction("a", ["Barack Obama"]),
        extraction("b", [Entity("Michelle Obama", "person", aliases=("Mrs. Obama",))]),
        extraction("c", ["Mr. Obama"]),
    )
    same_speaker(built, ("a", 0), ("c", 0))
    assert built.speaker_id("b", 0) != built.speaker_id("a", 0)


def test_particle_alone_never_merges() -> None:
    built = directory(extraction("a", ["Charles de Gaulle"]), extraction("b", ["de"]))
    assert built.speaker_id("a", 0) != built.speaker_id("b", 0)


def test_organisations_match_by_name_without_the() -> None:
    built = directory(
        extraction("a", [("the White House", "organisation")]),
        extraction("b", [("White House", "organisation")]),
        extraction("c", [("The State Department", "organisation"), "Ned House"]),
    )
    same_speaker(built, ("a", 0), ("b", 0))
    speakers = by_name(built)
    assert speakers["White House"].kind == "organisation"
    assert speakers["White House"].aliases == ("White House", "the White House") or set(
        speakers["White House"].aliases
    ) == {"White House", "the White House"}
    assert speakers["State Department"].kind == "organisation"
    # A person's surname never absorbs an organisation.
    assert built.speaker_id("c", 1) != built.speaker_id("a", 0)


def test_kind_is_the_majority_of_mentions() -> None:
    built = directory(
        extraction("a", [("Harbor Council", "organisation")]),
        extraction("b", [("Harbor Council", "organisation")]),
        extraction("c", [("Harbor Council", "person")]),
    )
    (speaker,) = built.speakers()
    assert speaker.kind == "organisation"


# -- nicknames ---------------------------------------------------------------------


def test_nickname_links_come_from_the_library_without_loose_ones() -> None:
    assert {"william", "robert"} <= nicknames_of("bill")
    assert "michael" in nicknames_of("mike")
    assert "bill" in nicknames_of("william")  # links go both ways
    assert "robert" not in nicknames_of("william")  # but never along a chain
    assert "ian" not in nicknames_of("john")  # listed in nickname_links.json
    assert "louise" not in nicknames_of("louis")  # first_names.json: opposite sexes
    assert nicknames_of("zzyzx") == frozenset()


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("Joe Biden", "Joseph R. Biden Jr.", True),
        ("Bill Clinton", "William Jefferson Clinton", True),
        ("Bob Harlan", "Robert Harlan", True),
        ("John F. Kennedy", "John Fitzgerald Kennedy", True),  # an initial for a middle name
        ("George H. W. Bush", "George Herbert Walker Bush", True),
        ("George W. Bush", "George Herbert Walker Bush", False),
        ("George W. Bush", "George H. W. Bush", False),
        ("Bill T. Ames", "William K. Ames", False),
        ("Bill Vale Jr.", "William Vale Sr.", False),
        ("Ian Price", "John Price", False),
        ("Mike Ostrow", "Michael Ostrand", False),
        ("Bob Harlan", "Bob Harlan", False),  # the same key is not a second name
        ("De Harlan", "Dee Harlan", False),  # a particle is not a given name
    ],
)
def test_same_person_names(first: str, second: str, expected: bool) -> None:
    a, b = parse_person(first).key, parse_person(second).key
    assert same_person_names(a, b) is expected
    assert same_person_names(b, a) is expected


def test_middles_agree_when_one_is_missing() -> None:
    assert middles_agree((), ("r.",))
    assert middles_agree(("jefferson",), ())
    assert not middles_agree(("jefferson",), ("james",))
    assert not middles_agree(("jr#",), ("sr#",))


def test_nicknames_merge_one_person_across_the_archive() -> None:
    built = directory(
        extraction("a", ["Joe Biden"]),
        extraction("b", ["Joseph Biden"]),
        extraction("c", ["President Joseph R. Biden Jr."]),
        extraction("d", ["Mr Biden"]),
        extraction("e", ["Bill Clinton"]),
        extraction("f", ["William Clinton"]),
        extraction("g", ["Mike Ostrow", "Bob Harlan"]),
        extraction("h", ["Michael Ostrow", "Robert Harlan"]),
    )
    same_speaker(built, ("a", 0), ("b", 0), ("c", 0), ("d", 0))
    same_speaker(built, ("e", 0), ("f", 0))
    same_speaker(built, ("g", 0), ("h", 0))
    same_speaker(built, ("g", 1), ("h", 1))
    assert len(built.speakers()) == 4
    biden = built.speaker(same_speaker(built, ("a", 0)))
    assert biden is not None
    assert biden.quote_count == 4
    assert {"Joe Biden", "Joseph Biden", "Mr Biden"} <= set(biden.aliases)


def test_a_surname_with_two_spellings_of_one_full_name_in_its_article_is_not_held() -> None:
    built = directory(
        extraction("a", ["President Joseph R. Biden Jr.", "Joe Biden", "Mr. Biden"]),
        extraction("b", ["Biden"]),
        extraction("c", ["Bill Tandy", "William Tandy", "Robert Tandy", "Tandy"]),
    )
    same_speaker(built, ("a", 0), ("a", 1), ("a", 2), ("b", 0))
    assert len({built.speaker_id("c", entity) for entity in range(4)}) == 4


def test_a_nickname_with_two_full_names_merges_with_neither() -> None:
    built = directory(
        extraction("a", ["Bill Tandy"]),
        extraction("b", ["William Tandy"]),
        extraction("c", ["Robert Tandy"]),
        extraction("d", ["Tandy"]),
    )
    assert len({built.speaker_id(article, 0) for article in "abcd"}) == 4


def test_two_people_with_one_given_name_keep_a_nickname_apart() -> None:
    built = directory(
        extraction("a", ["Joe Marsh"]),
        extraction("b", ["Joseph R. Marsh"]),
        extraction("c", ["Joseph Q. Marsh"]),
    )
    assert len({built.speaker_id(article, 0) for article in "abc"}) == 3


def test_all_forms_of_one_nickname_group_merge_when_all_are_linked() -> None:
    built = directory(
        extraction("a", ["Joe Marsh"]),
        extraction("b", ["Joey Marsh"]),
        extraction("c", ["Joseph Marsh"]),
        extraction("d", ["Marsh"]),
    )
    same_speaker(built, ("a", 0), ("b", 0), ("c", 0), ("d", 0))


def test_nicknames_do_not_merge_against_evidence() -> None:
    built = directory(
        extraction("a", ["Bill T. Ames", "Ian Price", "Carl Weber"]),
        extraction("b", ["William K. Ames", "John Price", "Charles Weber"]),
        extraction("c", [Entity("Bob Greer", "person", aliases=("Mr. Greer",))]),
        extraction("d", [Entity("Robert Greer", "person", aliases=("Ms. Greer",))]),
        extraction("e", ["Bill Vale Jr."]),
        extraction("f", ["William Vale Sr."]),
    )
    for a, b, entity in [("a", "b", 0), ("a", "b", 1), ("a", "b", 2), ("c", "d", 0), ("e", "f", 0)]:
        assert built.speaker_id(a, entity) != built.speaker_id(b, 0 if a == "c" else entity)


def test_nicknames_never_join_an_organisation() -> None:
    built = directory(
        extraction("a", [("Bob Evans", "organisation")]),
        extraction("b", ["Robert Evans"]),
    )
    assert built.speaker_id("a", 0) != built.speaker_id("b", 0)
    assert {s.kind for s in built.speakers()} == {"organisation", "person"}


# -- middle initials and generations --------------------------------------------------


def test_different_middle_initials_are_different_people() -> None:
    built = directory(
        extraction("a", ["George W. Bush"]),
        extraction("b", ["George H.W. Bush"]),
        extraction("c", ["George H. W. Bush"]),
        extraction("d", ["George Herbert Walker Bush"]),
        extraction("e", ["George Bush"]),
        extraction("f", ["Bush"]),
    )
    w = built.speaker_id("a", 0)
    hw = same_speaker(built, ("b", 0), ("c", 0), ("d", 0))
    assert w != hw
    # Ambiguous: the bare forms stay speakers of their own, like any ambiguous surname.
    assert built.speaker_id("e", 0) not in {w, hw}
    assert built.speaker_id("f", 0) not in {w, hw}
    assert built.speaker_id("e", 0) != built.speaker_id("f", 0)


def test_different_middle_initials_in_one_article_hold_the_surname() -> None:
    built = directory(
        extraction("a", ["George W. Bush", "George H.W. Bush", "Bush"]),
        extraction("b", ["Bush"]),
    )
    assert len({built.speaker_id("a", entity) for entity in range(3)}) == 3


def test_a_middle_initial_merges_when_there_is_one_candidate() -> None:
    built = directory(
        extraction("a", ["John F. Kennedy"]),
        extraction("b", ["John Kennedy"]),
        extraction("c", ["Kennedy"]),
        extraction("d", ["John Fitzgerald Kennedy"]),
    )
    same_speaker(built, ("a", 0), ("b", 0), ("c", 0), ("d", 0))


def test_generations_stay_apart_and_the_plain_name_is_ambiguous() -> None:
    built = directory(
        extraction("a", ["Martin Vale Jr."]),
        extraction("b", ["Martin Vale Sr."]),
        extraction("c", ["Martin Vale"]),
        extraction("d", ["Dr. Nadia Ruiz Jr."]),
        extraction("e", ["Nadia Ruiz"]),
    )
    assert len({built.speaker_id(article, 0) for article in "abc"}) == 3
    same_speaker(built, ("d", 0), ("e", 0))
    assert "Nadia Ruiz Jr." in by_name(built)


# -- surname first ----------------------------------------------------------------


def test_surname_first_joins_across_articles_once_the_archive_shows_it() -> None:
    built = directory(
        extraction("a", ["Qin Haoran", "Qin"]),
        extraction("b", ["Qin Haoran", "President Qin"]),
        extraction("c", ["Qin"]),
    )
    same_speaker(built, ("a", 0), ("a", 1), ("b", 1), ("c", 0))


def test_surname_first_needs_two_articles_and_no_surname_last_use() -> None:
    one = directory(extraction("a", ["Qin Haoran", "Qin"]), extraction("c", ["Qin"]))
    assert one.speaker_id("c", 0) != one.speaker_id("a", 0)
    mixed = directory(
        extraction("a", ["Ada Lark", "Ada"]),
        extraction("b", ["Ada Lark", "Ada"]),
        extraction("d", ["Ada Lark", "Lark"]),
        extraction("c", ["Ada"]),
    )
    assert mixed.speaker_id("c", 0) != mixed.speaker_id("a", 0)


def test_surname_first_with_two_full_names_stays_apart() -> None:
    built = directory(
        extraction("a", ["Qin Haoran", "Qin"]),
        extraction("b", ["Qin Haoran", "Qin"]),
        extraction("c", ["Qin Lian"]),
        extraction("d", ["Qin"]),
    )
    assert built.speaker_id("d", 0) not in {built.speaker_id("a", 0), built.speaker_id("c", 0)}


# -- display name, aliases, roles, counts ----------------------------------------


def test_display_name_takes_accents_from_any_source_and_proper_case() -> None:
    built = directory(
        extraction("a", ["Andres Manuel Lopez Obrador"]),
        extraction("b", ["Mr. López Obrador"]),
        extraction("c", ["MIKE PENCE"]),
        extraction("d", ["pence"]),
    )
    names = {s.name for s in built.speakers()}
    assert names == {"Andres Manuel López Obrador", "Mike Pence"}


def test_display_name_is_the_fullest_form_in_real_use() -> None:
    built = directory(
        extraction("a", ["Harriet Vance", "Slippery Harriet Vance"]),
        *(extraction(f"b{n}", ["Harriet Vance"]) for n in range(6)),
    )
    (speaker,) = built.speakers()
    assert speaker.name == "Harriet Vance"
    assert "Slippery Harriet Vance" in speaker.aliases


def test_particles_stay_lower_case_inside_a_display_name() -> None:
    built = directory(
        extraction("a", ["Bill de Blasio", "De Blasio"]),
        extraction("b", ["DE BLASIO"]),
        extraction("c", ["Del. Stacey Plaskett", "Carlos del Toro"]),
    )
    assert {s.name for s in built.speakers()} == {
        "Bill de Blasio",
        "Stacey Plaskett",
        "Carlos del Toro",
    }


def test_aliases_are_kept_as_written_and_deduplicated() -> None:
    built = directory(
        extraction("a", [Entity("Nadia Okoro", "person", aliases=("Ms. Okoro", "Okoro"))]),
        extraction("b", [Entity("Nadia Okoro", "person", aliases=("Okoro",))]),
        extraction("c", ["Okoro"]),
    )
    (speaker,) = built.speakers()
    assert sorted(speaker.aliases) == ["Ms. Okoro", "Nadia Okoro", "Okoro"]
    assert speaker.aliases[0] in {"Nadia Okoro", "Okoro"}  # most used first


def test_fuller_alias_gives_a_short_name_its_full_key() -> None:
    built = directory(
        extraction("a", [Entity("Okoro", "person", aliases=("Nadia Okoro",))]),
        extraction("b", ["Nadia Okoro"]),
    )
    same_speaker(built, ("a", 0), ("b", 0))


def test_roles_are_merged_when_folded_equal() -> None:
    built = directory(
        extraction(
            "a",
            [Entity("Troy Miller", "person", roles=("the acting leader of the border agency",))],
        ),
        extraction(
            "b",
            [
                Entity(
                    "Troy Miller",
                    "person",
                    roles=("The acting leader of the Border Agency", "acting commissioner"),
                )
            ],
        ),
    )
    (speaker,) = built.speakers()
    assert len(speaker.roles) == 2
    assert speaker.roles[0].casefold() == "the acting leader of the border agency"
    assert speaker.roles[1] == "acting commissioner"


def test_role_debris_is_dropped() -> None:
    built = directory(
        extraction(
            "a", [Entity("Mike Johnson", "person", roles=("R., La.", "VP", "House Speaker"))]
        )
    )
    assert built.speakers()[0].roles == ("House Speaker", "VP")


def test_counts_and_outlets() -> None:
    built = directory(
        extraction("a", ["Ines Duarte", "Karl Brandt"], quotes=[0, 0, None], outlet="The Ledger"),
        extraction("b", ["Ines Duarte"], quotes=[0], outlet="unknown"),
        extraction("c", ["Duarte"], quotes=[0], outlet="Harbor Post"),
        extraction("d", ["Ines Duarte"], quotes=[], outlet="Quiet Times"),
    )
    speakers = by_name(built)
    ines = speakers["Ines Duarte"]
    assert ines.quote_count == 4
    assert ines.article_count == 4
    assert ines.outlets == ("Harbor Post", "The Ledger")  # sorted, quoted only, no `unknown`
    assert speakers["Karl Brandt"].quote_count == 0
    assert built.speakers()[0] == ines  # most quoted first


def test_non_speech_quotes_are_not_counted() -> None:
    item = Extraction(
        article=Article(id="a", title="t", text="x"),
        entities=(Entity("Rosa Lind", "person"),),
        quotes=(
            Quote(text="said", start=0, end=1, entity=0),
            Quote(text="banner", start=2, end=3, entity=0, speech=False),
        ),
    )
    (speaker,) = directory(item).speakers()
    assert speaker.quote_count == 1


def test_sorting_is_by_quotes_then_name() -> None:
    built = directory(
        extraction("a", ["Zora Quill", "Abel Quist", "Mona Vey"], quotes=[0, 0, 1, 2]),
    )
    assert [s.name for s in built.speakers()] == ["Zora Quill", "Abel Quist", "Mona Vey"]


# -- ids and lookups ---------------------------------------------------------------


def test_ids_are_slugs_and_unique_even_when_slugs_collide() -> None:
    built = directory(
        extraction("a", ["Sean O'Neill"]),
        extraction("b", ["Sean O Neill"]),  # a different key with the same slug
    )
    ids = [s.id for s in built.speakers()]
    assert len(set(ids)) == 2
    assert "sean-o-neill" in ids
    assert all(i.startswith("sean-o-neill") for i in ids)


def test_ids_do_not_depend_on_the_order_articles_arrive() -> None:
    items = [
        extraction("a", ["Sean O'Neill", "Kirby"]),
        extraction("b", ["Sean O Neill", "John Kirby", ("the White House", "organisation")]),
        extraction("c", ["Johnson", "Mike Johnson"]),
        extraction("d", ["Boris Johnson", "Johnson"]),
    ]
    forward = directory(*items)
    backward = directory(*reversed(items))
    assert forward.speakers() == backward.speakers()
    for item in items:
        for index in range(len(item.entities)):
            assert forward.speaker_id(item.article.id, index) == backward.speaker_id(
                item.article.id, index
            )


def test_unknown_references_and_nameless_entities_give_none() -> None:
    built = directory(extraction("a", ["Kirby", "", "  ", "--"]))
    assert built.speaker_id("a", 0) is not None
    assert built.speaker_id("a", 1) is None
    assert built.speaker_id("a", 2) is None
    assert built.speaker_id("a", 3) is None
    assert built.speaker_id("a", 9) is None
    assert built.speaker_id("a", -1) is None
    assert built.speaker_id("missing", 0) is None


def test_quote_pointing_outside_the_entities_is_ignored() -> None:
    built = directory(extraction("a", ["Kirby"], quotes=[0, 5, -1, None]))
    (speaker,) = built.speakers()
    assert speaker.quote_count == 1


def test_adding_the_same_article_twice() -> None:
    item = extraction("a", ["John Kirby"])
    built = directory(item, item)
    assert built.speakers()[0].quote_count == 1
    changed = extraction("a", ["John Kirby"], outlet="Other")
    changed = Extraction(
        article=Article(id="a", title="Another title", text="a"), entities=changed.entities
    )
    with pytest.raises(ValueError, match="'a': added twice with different content"):
        built.add(changed)


def test_speakers_are_recomputed_after_more_adds() -> None:
    built = directory(extraction("a", ["Kirby"]))
    assert [s.name for s in built.speakers()] == ["Kirby"]
    built.add(extraction("b", ["John Kirby"]))
    assert [s.name for s in built.speakers()] == ["John Kirby"]
    assert built.speaker_id("a", 0) == "john-kirby"
    assert built.speaker("john-kirby") is not None
    assert len(built) == 1


# -- the seed articles' speakers -----------------------------------------------------


@pytest.fixture(scope="module")
def seed_directory() -> SpeakerDirectory:
    """The seed articles' speakers as an extractor would report them."""
    org: SpeakerKind = "organisation"
    return directory(
        extraction(
            "000",
            [
                "Joe Biden",
                Entity("Andrés Manuel López Obrador", "person", ("Mr. López Obrador",)),
                Entity("Troy Miller", "person", roles=("the acting leader of the border agency",)),
            ],
            outlet="New York Times",
        ),
        extraction(
            "001",
            [
                ("White House", org),
                Entity(
                    "John Kirby",
                    "person",
                    ("Kirby",),
                    ("a spokesman for the White House National Security Council",),
                ),
                Entity("Mike Johnson", "person", ("House Speaker Mike Johnson",)),
                "Lopez Obrador",
                "Antony Blinken",
                "Alejandro Mayorkas",
            ],
            outlet="Wall Street Journal",
        ),
        extraction("002", ["Luis García Villagrán", "Villagrán"], outlet="unknown"),
        extraction(
            "003",
            [("the State Department", org), "Antony J. Blinken", "Obrador", "Kirby"],
            outlet="unknown",
        ),
        extraction(
            "004",
            ["President Obrador", "Luis Garcia Villagran", "Alejandro N. Mayorkas", "Mr Biden"],
            outlet="The Independent",
        ),
    )


def test_seed_speakers_are_canonical(seed_directory: SpeakerDirectory) -> None:
    names = {s.name for s in seed_directory.speakers()}
    assert names == {
        "Joe Biden",
        "Andrés Manuel López Obrador",
        "Troy Miller",
        "White House",
        "John Kirby",
        "Mike Johnson",
        "Antony J. Blinken",
        "Alejandro N. Mayorkas",
        "Luis García Villagrán",
        "State Department",
    }
    amlo = by_name(seed_directory)["Andrés Manuel López Obrador"]
    assert amlo.article_count == 4
    assert amlo.outlets == ("New York Times", "The Independent", "Wall Street Journal")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("villagran", "Luis García Villagrán"),
        ("Villagrán", "Luis García Villagrán"),
        ("lopez obrador", "Andrés Manuel López Obrador"),
        ("Obrador", "Andrés Manuel López Obrador"),
        ("President López Obrador", "Andrés Manuel López Obrador"),
        ("kirby", "John Kirby"),
        ("KIRBY", "John Kirby"),
        ("john-kirby", "John Kirby"),
        ("the white house", "White House"),
        ("state department", "State Department"),
        ("mayorkas", "Alejandro N. Mayorkas"),
        ("Alejandro Mayorkas", "Alejandro N. Mayorkas"),
        ("blinkn", "Antony J. Blinken"),  # one typo
        ("vill", "Luis García Villagrán"),  # a prefix
    ],
)
def test_match_speakers_on_seed_names(
    seed_directory: SpeakerDirectory, query: str, expected: str
) -> None:
    found = match_speakers(query, seed_directory.speakers())
    assert found, query
    assert found[0].name == expected


def test_match_orders_exact_then_surname_then_given_name_then_prefix() -> None:
    built = directory(
        extraction("a", ["John", "Elton John", "John Kirby", "Johnny Appleton", "Jon Kirk"]),
        extraction("b", ["John Kirby", "John Kirby"], quotes=[0, 1, 1]),
    )
    names = [s.name for s in match_speakers("john", built.speakers())]
    assert names == ["John", "Elton John", "John Kirby", "Johnny Appleton"]


def test_match_finds_aliases_and_nothing_for_blank_queries() -> None:
    built = directory(
        extraction("a", [Entity("Andrés Manuel López Obrador", "person", aliases=("AMLO",))]),
    )
    speakers = built.speakers()
    assert [s.name for s in match_speakers("amlo", speakers)] == ["Andrés Manuel López Obrador"]
    assert match_speakers("", speakers) == ()
    assert match_speakers("  ?! ", speakers) == ()
    assert match_speakers("zzzz", speakers) == ()
    assert match_speakers("kirby", ()) == ()


def test_match_finds_a_name_written_with_a_nickname() -> None:
    built = directory(extraction("a", ["William Tandy", "Roberta Vale"]))
    speakers = built.speakers()
    assert [s.name for s in match_speakers("Bill Tandy", speakers)] == ["William Tandy"]
    assert match_speakers("Ian Tandy", speakers) == ()  # not a nickname link


def test_match_accepts_any_speaker_sequence() -> None:
    speakers = [Speaker(id="ida-brook", name="Ida Brook", kind="person", quote_count=2)]
    assert match_speakers("brook", speakers) == (speakers[0],)
    speakers.append(Speaker(id="ned-brook", name="Ned Brook", kind="person", quote_count=5))
    assert [s.id for s in match_speakers("brook", speakers)] == ["ned-brook", "ida-brook"]
