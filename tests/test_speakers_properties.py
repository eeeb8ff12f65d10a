"""Properties of the speaker directory over arbitrary and name-like entity lists."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.models import Article, Entity, Extraction, Quote, SpeakerKind
from archive.names import Key, has_letters, is_generation, is_initials, parse_group, parse_person
from archive.speakers import SpeakerDirectory, match_speakers

# Words chosen to collide: shared surnames, titles, particles, accents, initials.
WORDS = [
    "Mr.", "Sen.", "President", "the", "John", "Jon", "Kirby", "López", "Lopez", "Obrador",
    "Andrés", "Manuel", "de", "von", "der", "al-Assad", "J.", "Jr.", "King", "White", "House",
    "Johnson", "Mike", "Boris", "O'Neill", "Ñúñez", "MARÍA", "maria", "-", "Smith-Jones",
    "Bill", "William", "Robert", "Bob", "Michael", "Joe", "Joseph", "W.", "H.W.", "H.", "Sr.",
    "III", "Xi",
]  # fmt: skip
KINDS: list[SpeakerKind] = ["person", "person", "person", "organisation", "unnamed"]

name_like = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)
names = st.one_of(name_like, name_like, st.text(max_size=20))
entities = st.builds(
    Entity,
    name=names,
    kind=st.sampled_from(KINDS),
    aliases=st.lists(names, max_size=2).map(tuple),
    roles=st.lists(st.sampled_from(["a spokesman", "The Spokesman", "mayor", ""]), max_size=2).map(
        tuple
    ),
)
entity_lists = st.lists(entities, min_size=0, max_size=5)
articles = st.lists(entity_lists, min_size=1, max_size=6)
# People who share a family name and differ by initials, generation or nickname.
family_names = st.builds(
    lambda *parts: " ".join(part for part in parts if part),
    st.sampled_from(["", "", "Mr.", "President"]),
    st.sampled_from(["", "George", "Bill", "William", "Joe", "Joseph", "Joey"]),
    st.sampled_from(["", "", "W.", "H.W.", "H. W.", "Walker", "Herbert Walker", "R."]),
    st.sampled_from(["Bush", "Bush", "Ames"]),
    st.sampled_from(["", "", "Jr.", "Sr."]),
)
family_articles = st.lists(
    st.lists(st.builds(Entity, name=family_names, kind=st.just("person")), max_size=4),
    min_size=1,
    max_size=8,
)


def build(entity_lists: list[list[Entity]], order: list[int] | None = None) -> SpeakerDirectory:
    directory = SpeakerDirectory()
    for position in order if order is not None else range(len(entity_lists)):
        listed = entity_lists[position]
        directory.add(
            Extraction(
                article=Article(id=f"art-{position}", title=f"t{position}", text=str(position)),
                entities=tuple(listed),
                quotes=tuple(
                    Quote(text="q", start=0, end=1, entity=index) for index in range(len(listed))
                ),
            )
        )
    return directory


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(articles)
def test_any_names_build_unique_ids(lists: list[list[Entity]]) -> None:
    speakers = build(lists).speakers()
    ids = [speaker.id for speaker in speakers]
    assert len(ids) == len(set(ids))
    assert all(speaker_id for speaker_id in ids)
    assert sum(s.quote_count for s in speakers) == sum(
        1 for listed in lists for entity in listed if has_letters(entity.name)
    )


@SETTINGS
@given(st.one_of(articles, family_articles), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_insertion_order(lists: list[list[Entity]], rng: object) -> None:
    order = list(range(len(lists)))
    rng.shuffle(order)  # type: ignore[attr-defined]
    forward, shuffled = build(lists), build(lists, order)
    assert forward.speakers() == shuffled.speakers()
    for position, listed in enumerate(lists):
        for index in range(len(listed)):
            article_id = f"art-{position}"
            assert forward.speaker_id(article_id, index) == shuffled.speaker_id(article_id, index)


@SETTINGS
@given(articles)
def test_every_entity_maps_to_a_speaker_that_lists_its_name(lists: list[list[Entity]]) -> None:
    directory = build(lists)
    by_id = {speaker.id: speaker for speaker in directory.speakers()}
    for position, listed in enumerate(lists):
        for index, entity in enumerate(listed):
            speaker_id = directory.speaker_id(f"art-{position}", index)
            if not has_letters(entity.name):
                assert speaker_id is None
                continue
            assert speaker_id in by_id
            assert " ".join(entity.name.split()) in by_id[speaker_id].aliases


@SETTINGS
@given(articles, names)
def test_lookup_never_raises_and_finds_every_speaker_by_its_name(
    lists: list[list[Entity]], query: str
) -> None:
    speakers = build(lists).speakers()
    match_speakers(query, speakers)
    for speaker in speakers:
        assert speaker in match_speakers(speaker.name, speakers)


def _entity_key(entity: Entity) -> Key:
    """The key the directory files an alias-free entity under."""
    parsed = parse_person(entity.name) if entity.kind == "person" else parse_group(entity.name)
    return parsed.key or (" ".join(entity.name.casefold().split()),)


def _speaker_ids(lists: list[list[Entity]]) -> list[tuple[Entity, str | None]]:
    directory = build(lists)
    return [
        (entity, directory.speaker_id(f"art-{position}", index))
        for position, listed in enumerate(lists)
        for index, entity in enumerate(listed)
    ]


plain_entities = st.builds(Entity, name=name_like, kind=st.sampled_from(KINDS), aliases=st.just(()))
plain_articles = st.lists(st.lists(plain_entities, max_size=5), min_size=1, max_size=6)


@SETTINGS
@given(plain_articles)
def test_an_organisation_never_merges_with_another_name(lists: list[list[Entity]]) -> None:
    """An organisation whose key no person uses shares its speaker only with that same name."""
    mapped = _speaker_ids(lists)
    person_keys = {_entity_key(e) for e, _ in mapped if e.kind == "person"}
    for entity, speaker_id in mapped:
        key = _entity_key(entity)
        if entity.kind != "organisation" or key in person_keys or speaker_id is None:
            continue
        for other, other_id in mapped:
            if other_id == speaker_id:
                assert other.kind != "person"
                assert _entity_key(other) == key


def _markers(key: Key) -> tuple[set[str], set[str]]:
    return {t for t in key if is_initials(t)}, {t for t in key if is_generation(t)}


@SETTINGS
@given(family_articles)
def test_different_initials_or_generations_never_share_a_speaker(
    lists: list[list[Entity]],
) -> None:
    """`George W.` and `George H.W.`, `Jr.` and `Sr.`: never one speaker, whatever else is said."""
    persons = [(e, i) for e, i in _speaker_ids(lists) if e.kind == "person" and i is not None]
    for entity, speaker_id in persons:
        initials, generations = _markers(_entity_key(entity))
        for other, other_id in persons:
            other_initials, other_generations = _markers(_entity_key(other))
            if other_id != speaker_id:
                continue
            assert not (initials and other_initials and initials != other_initials)
            assert not (generations and other_generations and generations != other_generations)
