"""Properties of the speaker directory over arbitrary and name-like entity lists."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.models import Article, Entity, Extraction, Quote, SpeakerKind
from archive.names import has_letters
from archive.speakers import SpeakerDirectory, match_speakers

# Words chosen to collide: shared surnames, titles, particles, accents, initials.
WORDS = [
    "Mr.", "Sen.", "President", "the", "John", "Jon", "Kirby", "López", "Lopez", "Obrador",
    "Andrés", "Manuel", "de", "von", "der", "al-Assad", "J.", "Jr.", "King", "White", "House",
    "Johnson", "Mike", "Boris", "O'Neill", "Ñúñez", "MARÍA", "maria", "-", "Smith-Jones",
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
@given(articles, st.randoms(use_true_random=False))
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
