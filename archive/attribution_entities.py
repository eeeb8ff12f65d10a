"""The people and organisations one article mentions, with name variants merged.

`Mr. López Obrador`, `President Obrador` and `Andrés Manuel López Obrador` are
one cluster: a shorter name joins the cluster whose fullest name contains all
its words (the most recently mentioned one when several do). Each mention
keeps its position so pronouns and role nouns can be resolved to the most
recent compatible cluster.
"""

from __future__ import annotations

import bisect
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from archive.attributes import lemma_of
from archive.cues import (
    FEMALE_PRONOUNS,
    HONORIFICS,
    MALE_PRONOUNS,
    ORG_LABELS,
    PERSON_ROLE_NOUNS,
    ROLE_SYNONYMS,
    TITLE_ROLES,
)
from archive.models import Entity, SpeakerKind
from archive.names import given_names_match, is_particle, name_words
from archive.text import fold_words

# Where an untagged known name still names its person: `Oz's advice`, `praised Oz`.
_NAME_SLOTS = frozenset({"poss", "dobj", "pobj", "dative"})
_SKIP_ROLE_DEPS = {"det", "poss", "punct", "case", "cc", "predet", "nummod", "prep"}
_POSSESSIVE = ("'s", "’s", "'", "’")
_DETERMINERS = {"the", "a", "an"}
_LEADING_NOISE = {"the", "said", "says", "told", "added", "wrote"}  # "Said Ruiz" tagged as a name
# What the recogniser takes in at a name's edges: a quotation mark, a dangling dash,
# an `aka` that introduces another name (`DJ Norman Cook - aka Fatboy Slim`).
_NAME_TAIL = re.compile(r"\s+(?:[-–—]+(?:\s|$)|(?:aka|AKA|a\.k\.a\.?)(?:\s|$)).*$", re.S)
_EDGE_MARKS = "\"“”„‘’«»'`-–—:;,|/ "
# Entity labels a person's name is never mistaken for (numbers, dates, amounts).
_NEVER_PEOPLE = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
_TITLE_WORDS = frozenset(HONORIFICS) - {"first", "state", "prime", "vice", "former", "acting"}
_HONORIFIC_STEMS = frozenset(h.rstrip(".") for h in HONORIFICS)
_REGNAL = name_words().regnal_titles
# Forms of address: part of how a name is written, never a role on their own.
_ADDRESS_FORMS = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "mister", "madam", "dr", "sir", "dame", "lord", "lady"}
    | {"baron", "baroness", "rev"}
)
_NOT_ROLE_WORDS = frozenset({"earlier", "later", "even", "also", "now", "then", "yesterday"})
# A title word inside one of these is a place or group, not what the person is (`BBC Mr X`).
_NAMED_NOT_ROLES = frozenset({"GPE", "ORG", "NORP", "LOC", "FAC", "PERSON", "DATE", "TIME"})


@dataclass(slots=True)
class Mention:
    cluster: int
    start: int  # character offsets of the name as written
    end: int
    root: int  # token index of the name's head
    sent: int  # sentence start token index
    subject: bool
    in_quote: bool


@dataclass(slots=True)
class Cluster:
    kind: SpeakerKind
    forms: list[str] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    roles: list[str] = field(default_factory=list)
    genders: Counter[str] = field(default_factory=Counter)  # votes of nearby he/she
    titled: Counter[str] = field(default_factory=Counter)  # Mr., Ms., congresswoman
    given: Counter[str] = field(default_factory=Counter)  # first names (Melanie, Kevin)
    labels: Counter[str] = field(default_factory=Counter)  # what the recogniser called it
    last_pos: int = -1

    @property
    def name(self) -> str:
        return max(self.forms, key=lambda form: _name_rank(form, self.kind == "person"))

    @property
    def gender(self) -> str | None:
        """Titles outrank first names, which outrank pronoun votes (the noisiest evidence)."""
        return _majority(self.titled) or _majority(self.given) or _majority(self.genders)

    @property
    def prior_gender(self) -> str | None:
        """What the names alone say, before any pronoun is read."""
        return _majority(self.titled) or _majority(self.given)

    def entity(self) -> Entity:
        name = self.name
        aliases = tuple(dict.fromkeys(f for f in self.forms if f != name))
        roles = tuple(dict.fromkeys(self.roles))
        return Entity(name=name, kind=self.kind, aliases=aliases, roles=roles)


def _majority(votes: Counter[str]) -> str | None:
    if not votes:
        return None
    (top, n), *rest = votes.most_common()
    return top if not rest or rest[0][1] * 2 < n else None


@cache
def _first_names() -> dict[str, str]:
    raw = resources.files("archive").joinpath("data/first_names.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    table = {name: "m" for name in data["male"]}
    table.update({name: "f" for name in data["female"]})
    return table


def first_name_gender(name: str) -> str | None:
    """`m`/`f` when the person name starts with a first name given to one sex; else None.

    A lone word is not read: `Warren` alone is more often a surname.
    """
    words = _name_words(name)
    return _first_names().get(words[0]) if len(words) >= 2 else None


def _name_rank(form: str, person: bool = True) -> tuple[int, int, int, int]:
    words = _name_words(form, person)
    accents = sum(1 for ch in form if ord(ch) > 127)
    bare = len(fold_words(form).split()) == len(words)  # no honorific in front
    return (len(words), bare, accents, -len(form))


def _name_words(text: str, person: bool = True) -> list[str]:
    """Matching words of a name; for people without titles (`Gov.`, `Farmer`) in front."""
    words = fold_words(text).replace("-", " ").split()
    if len(words) > 1 and words[0] in _LEADING_NOISE:
        words = words[1:]
    if not person:
        return words[:-1] if len(words) > 1 and words[-1] == "s" else words
    while words and _is_honorific(words[0]):
        if len(words) == 2 and words[0] in _REGNAL:
            break  # `Prince Charles` is how he is named, not a bare `Charles`
        words = words[1:]
    while len(words) > 2 and words[0] in PERSON_ROLE_NOUNS:
        words = words[1:]
    while words and words[-1] in {"s", "jr", "sr", "ii", "iii"}:
        words = words[:-1]
    return words


def strip_name(text: str, person: bool = True) -> str:
    """Drop honorifics in front and a possessive behind: `Mr. Biden's` -> `Biden`."""
    text = _NAME_TAIL.sub("", text.strip(_EDGE_MARKS)).strip(_EDGE_MARKS)
    parts = text.split()
    if len(parts) > 1 and parts[0].lower() in _LEADING_NOISE:
        parts = parts[1:]
    if not person:
        return _drop_possessive(" ".join(parts))
    titles = [
        k
        for k, part in enumerate(parts[:-1])
        if part.lower().rstrip(".") in PERSON_ROLE_NOUNS or part.lower() in _TITLE_WORDS
    ]
    if titles and parts[titles[-1] + 1].lower().rstrip(".,") not in {"jr", "sr", "ii", "iii"}:
        cut = titles[-1] + 1
        if cut == len(parts) - 1 and parts[cut - 1].lower() in _REGNAL:
            cut -= 1  # `Britain's Prince Charles` -> `Prince Charles`
        parts = parts[cut:]  # "Senate Majority Leader Mitch McConnell"
    # "Wales physio Mark Davies": a role the recogniser took into the name.
    lower = [k for k, w in enumerate(parts[:-1]) if _common_word(w) and parts[k + 1].istitle()]
    if lower:
        parts = parts[lower[-1] + 1 :]
    while len(parts) > 1 and parts[0].lower().rstrip(".") in _HONORIFIC_STEMS:
        if len(parts) == 2 and parts[0].lower() in _REGNAL:
            break
        parts = parts[1:]
    if len(parts) > 2 and parts[0] in {"of", "for"}:
        parts = parts[2:]  # "(Secretary) of State Antony Blinken"
    return _drop_possessive(" ".join(parts))


def _addressed(written: str, name: str) -> bool:
    """`written` is `name` with only honorifics or titles before it (not `Backbencher`)."""
    before = written[: len(written) - len(name)].split() if written.endswith(name) else None
    return before is not None and all(_is_honorific(word.lower()) for word in before)


def _is_honorific(word: str) -> bool:
    """`word` (lower case) is an honorific or title, with or without its period."""
    return word in HONORIFICS or word.rstrip(".") in HONORIFICS


def _common_word(part: str) -> bool:
    """A lower-case word that is no surname particle (`de`, `van`, `bin`) inside a name."""
    return part.isalpha() and part.islower() and not is_particle(part)


def _drop_possessive(out: str) -> str:
    for suffix in _POSSESSIVE:
        if out.endswith(suffix) and len(out) > len(suffix) + 1:
            out = out[: -len(suffix)]
            break
    return out.strip(" ,;:")


class Registry:
    """Clusters of names in one article, and their mentions in text order."""

    def __init__(self, doc: Doc, quoted: list[bool]) -> None:
        self.doc = doc
        self.quoted = quoted
        self.clusters: list[Cluster] = []
        self.mentions: list[Mention] = []
        self._sent_cache: list[Span] | None = None
        self._sent_starts: list[int] = []
        self._by_word: dict[str, set[int]] = {}  # name word -> clusters using it
        self.addressed = _addressed_surnames(doc, quoted)
        ents = [e for e in doc.ents if e.label_ in {"PERSON"} | ORG_LABELS]
        # Full names first so that surnames mentioned before them still find them.
        people = [e for e in ents if e.label_ == "PERSON" and not common_noun_use(e)]
        bodies: list[Span] = []
        for ent in ents:
            if ent.label_ in {"ORG", "FAC"}:
                person = person_shaped(ent, self.addressed)
                if person is None:
                    bodies.append(ent)
                else:
                    people.append(person)
        for ent in sorted(people, key=lambda e: -len(_name_words(e.text))):
            self._add_ent(ent, "person")
        for ent in bodies:
            self._add_ent(ent, "organisation")
        self._settle_kinds()
        self._add_unrecognised_subjects()
        self.mentions.sort(key=lambda m: m.start)
        self._vote_genders()

    # -- building -------------------------------------------------------------------------
    def _add_ent(self, ent: Span, kind: SpeakerKind) -> None:
        written = ent.text
        name = strip_name(written, kind == "person")
        if not _name_words(name, kind == "person"):
            return
        title = _title_before(ent)
        regnal: str | None = None
        if kind == "person" and title and len(name.split()) == 1:
            *rest, last = title.split()
            if last.lower() in _REGNAL:  # `Prince Charles`, never a bare `Charles`
                regnal, name, title = last, f"{last} {name}", " ".join(rest) or None
        cid = self.link(name, kind, ent.start_char)
        cluster = self.clusters[cid]
        cluster.labels[ent.label_] += 1
        if written != name and written not in cluster.forms and _addressed(written, name):
            cluster.forms.append(written)  # `Mr. Biden`, `President Biden`: how people write it
        if regnal and HONORIFICS.get(regnal.lower()):
            cluster.titled[str(HONORIFICS[regnal.lower()])] += 2
        if title:
            cluster.roles.append(title)
            word = title.split()[-1].lower()
            gender = HONORIFICS.get(word)
            if gender:
                cluster.titled[gender] += 2
        prefix = _honorific_before(ent)
        if prefix:
            gender = HONORIFICS.get(prefix.lower())
            if gender:
                cluster.titled[gender] += 3
            if prefix.lower() in TITLE_ROLES:
                cluster.roles.append(TITLE_ROLES[prefix.lower()])
            form = f"{prefix} {name}"
            if form not in cluster.forms:
                cluster.forms.append(form)
        role = _apposition_role(ent)
        if role:
            cluster.roles.append(role)
        root = ent.root
        self.mentions.append(
            Mention(
                cluster=cid,
                start=ent.start_char,
                end=ent.end_char,
                root=root.i,
                sent=root.sent.start,
                subject=_speaks(root),
                in_quote=self.quoted[root.i],
            )
        )

    def _settle_kinds(self) -> None:
        """A one-word "person" the recogniser called an organisation as often is one.

        It labels `Labour` PERSON in one sentence and ORG in the next; the ORG
        mentions join the person (a surname mislabelled ORG should), so the name
        decides: with no full name behind it, the majority of labels does.
        """
        for cluster in self.clusters:
            if (
                cluster.kind == "person"
                and all(len(key.split()) == 1 for key in cluster.keys)
                and cluster.labels["ORG"] + cluster.labels["FAC"] >= cluster.labels["PERSON"] > 0
            ):
                cluster.kind = "organisation"

    def _add_unrecognised_subjects(self) -> None:
        """Proper-noun subjects the recogniser missed (`Wines believes`) are people too.

        So is a subject it mislabelled (`Ivanka Trump` as a PRODUCT), or a
        possessor or object it missed (`Oz's advice`), whose name is already
        known as a person's: pronouns after it can then find that person.
        """
        covered = {m.root for m in self.mentions}
        for tok in self.doc:
            subject = _speaks(tok)
            if (
                not (subject or (tok.dep_ in _NAME_SLOTS and not tok.ent_type_))
                or tok.pos_ != "PROPN"
                or tok.i in covered
                or self.quoted[tok.i]
                or tok.ent_type_ in _NEVER_PEOPLE
                or not tok.text[:1].isupper()
            ):
                continue
            start = tok.i
            while (
                start > 0
                and self.doc[start - 1].pos_ == "PROPN"
                and self.doc[start - 1].head.i == tok.i
            ):
                start -= 1
            span = self.doc[start : tok.i + 1]
            if thing_like(span):
                continue  # "the 13th Amendment": a thing, not a person
            if span.text.isupper() and len(span.text) > 3:
                continue  # datelines, headings
            name = strip_name(span.text)
            if not _name_words(name):
                continue
            if (
                tok.ent_type_ not in {"", "PERSON", "ORG"} or not subject
            ) and not self._known_person(name):
                continue
            cid = self.link(name, "person", tok.idx)
            self.mentions.append(
                Mention(cid, span.start_char, span.end_char, tok.i, tok.sent.start, subject, False)
            )

    def link(self, name: str, kind: SpeakerKind, pos: int) -> int:
        """Index of the cluster for `name`, creating one when no cluster contains it.

        A surname shared by several clusters (`Trump` for Donald and Ivanka)
        goes to the one mentioned most recently before `pos`.
        """
        words = _name_words(name, kind == "person")
        key = " ".join(words)
        wanted = set(words)
        # A surname the recogniser mislabelled as an organisation still joins its person.
        join_person = kind == "person" or len(words) <= 2
        sharing = sorted({cid for w in wanted for cid in self._by_word.get(w, ())})
        candidates = [
            cid
            for cid in sharing
            if (key in self.clusters[cid].keys and self._same_kind(self.clusters[cid], kind))
            or (
                self.clusters[cid].kind == "person"
                and join_person
                and self._contains(self.clusters[cid], words, kind)
            )
        ]
        best: int | None = None
        if len(candidates) == 1:
            best = candidates[0]
        elif candidates:
            best = max(candidates, key=lambda cid: (*self._salience_before(cid, pos), -cid))
        if best is None:
            self.clusters.append(Cluster(kind=kind))
            best = len(self.clusters) - 1
        cluster = self.clusters[best]
        cluster.keys.add(key)
        for word in wanted:
            self._by_word.setdefault(word, set()).add(best)
        if name not in cluster.forms:
            cluster.forms.append(name)
            given = first_name_gender(name) if kind == "person" else None
            if given:
                cluster.given[given] += 1
        cluster.last_pos = max(cluster.last_pos, pos)
        return best

    @staticmethod
    def _same_kind(cluster: Cluster, kind: SpeakerKind) -> bool:
        """Also true for a person mention of a name `_settle_kinds` made an organisation."""
        return cluster.kind == kind or (kind == "person" and cluster.labels["PERSON"] > 0)

    def _known_person(self, name: str) -> bool:
        words = _name_words(name)
        return any(
            self.clusters[cid].kind == "person"
            and self._contains(self.clusters[cid], words, "person")
            for w in set(words)
            for cid in self._by_word.get(w, ())
        )

    @staticmethod
    def _contains(cluster: Cluster, words: list[str], kind: SpeakerKind) -> bool:
        """Every word of the name is in one of the cluster's names (or, for people, vice versa).

        A longer name joins through a shorter one only if it fits the cluster's
        full names: `Tony Martin` never joins `Tony Blair` through a bare `Tony`.
        """
        wanted = set(words)
        if not wanted:
            return False
        if any(wanted <= set(k.split()) for k in cluster.keys if k):
            return True
        return (
            kind == "person"
            and any(set(k.split()) <= wanted for k in cluster.keys if k)
            and not any(full_names_conflict(words, k.split()) for k in cluster.keys)
        )

    def _salience_before(self, cid: int, pos: int) -> tuple[int, int]:
        """How often, then how lately, a cluster was mentioned before `pos`.

        A bare surname shared by a family names the person the article keeps
        talking about (`Cruz` after one mention of his wife `Heidi Cruz`).
        """
        before = [m.start for m in self.mentions if m.cluster == cid and m.start <= pos]
        return len(before), max(before, default=-1)

    def _recent(self, cid: int, pos: int) -> int:
        before = [m.start for m in self.mentions if m.cluster == cid and m.start <= pos]
        return max(before, default=-1)

    def add_mention(self, name: str, kind: SpeakerKind, token: Token) -> int:
        cid = self.link(strip_name(name, kind == "person"), kind, token.idx)
        self.mentions.append(
            Mention(
                cid,
                token.idx,
                token.idx + len(token.text),
                token.i,
                token.sent.start,
                _speaks(token),
                self.quoted[token.i],
            )
        )
        self.mentions.sort(key=lambda m: m.start)
        return cid

    def _vote_genders(self) -> None:
        """A he/she right after exactly one person is evidence of that person's gender."""
        doc = self.doc
        people = [
            m for m in self.mentions if self.clusters[m.cluster].kind == "person" and not m.in_quote
        ]
        for tok in doc:
            low = tok.lower_
            if self.quoted[tok.i] or (low not in MALE_PRONOUNS and low not in FEMALE_PRONOUNS):
                continue
            if tok.dep_ not in {"nsubj", "nsubjpass", "poss"}:
                continue
            vote = "m" if low in MALE_PRONOUNS else "f"
            window_start = _previous_sentence_start(doc, tok)
            # people whose name or title already says the other gender are not candidates
            window = [
                m
                for m in people
                if window_start <= m.root < tok.i
                and _compatible(self.clusters[m.cluster].prior_gender, vote)
            ]
            near = {m.cluster for m in window}
            same_sentence = {m.cluster for m in window if m.subject and m.sent == tok.sent.start}
            if len(near) == 1 and any(m.subject for m in window):
                self.clusters[near.pop()].genders[vote] += 1
            elif len(same_sentence) == 1 and not any(
                self.clusters[m.cluster].prior_gender == vote
                for m in window
                if m.cluster not in same_sentence
            ):
                # "Ruiz said her plan ...": the one subject before the pronoun in its sentence,
                # unless someone nearby is already known by name to be a `vote`
                self.clusters[same_sentence.pop()].genders[vote] += 1

    # -- resolution -----------------------------------------------------------------------
    def resolve_role_noun(self, noun: Token, depth: int = 0) -> int | None:
        """`the prime minister`: the person given the role, else whom the text is about."""
        lemma = lemma_of(noun).lower()
        words = {lemma} | ROLE_SYNONYMS.get(lemma, frozenset())
        found = self.resolve_role(words, noun.idx)
        return found if found is not None else self.resolve_pronoun(noun, None, depth)

    def _role_subject(self, sent: Span) -> Token | None:
        """The main subject of `sent` when it is a definite person role (`the Tory leader`)."""
        root = sent.root
        subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if (
            subject is None
            or self.quoted[subject.i]
            or subject.pos_ != "NOUN"
            or subject.tag_ != "NN"
            or lemma_of(subject).lower() not in PERSON_ROLE_NOUNS
            or any(c.dep_ == "appos" for c in subject.children)  # the name is right there
        ):
            return None
        determiners = [c for c in subject.children if c.dep_ == "det"]
        return subject if determiners and determiners[0].lower_ == "the" else None

    def resolve_pronoun(self, token: Token, gender: str | None, depth: int = 0) -> int | None:
        """Most recent compatible person, preferring sentence subjects (centering).

        A sentence whose main subject is itself a compatible pronoun continues
        the same referent, so the search goes on past it. Within a sentence the
        main-clause subject wins, and a person known to have the pronoun's
        gender beats one whose gender is unknown. A pronoun in an adverbial or
        relative clause can also refer to anyone named in the clause it hangs
        off (`Ruiz criticised Diaz after she ...`).
        """
        sents = self._sents()
        here = max(0, bisect.bisect_right(self._sent_starts, token.i) - 1)
        lowest = sents[max(0, here - 7)].start
        people = [
            m
            for m in self.mentions
            if lowest <= m.root < token.i
            and not m.in_quote
            and self.clusters[m.cluster].kind == "person"
        ]
        fallback: int | None = None
        for k in range(here, max(-1, here - 8), -1):
            sent = sents[k]
            in_sent = [m for m in people if sent.start <= m.root < sent.end]
            chain = self._subject_pronoun(sent, gender) if k != here else None
            if chain is not None and not any(m.subject and m.root < chain for m in in_sent):
                continue  # the pronoun chain goes on: look further back
            found = [
                m
                for m in in_sent
                if _compatible(self.clusters[m.cluster].gender, gender)
                and not _modifier(self.doc[m.root])
            ]
            subjects = [m for m in found if m.subject]
            if k == here and token.pos_ == "PRON":
                subjects += [
                    m for m in found if not m.subject and _hosts_clause_of(self.doc[m.root], token)
                ]
            if token.pos_ != "PRON":  # whom the text is about: main clauses only
                subjects = [m for m in subjects if not _in_subordinate(self.doc[m.root])]
            if subjects:
                return min(subjects, key=lambda m: self._salience(m, gender)).cluster
            role = self._role_subject(sent) if k != here and depth < 2 else None
            if role is not None:
                # `But the Tory leader argued ... "...," he said`: the pronoun continues
                # the role the last sentence was about, whoever holds it.
                held = self.resolve_role_noun(role, depth + 1)
                if held is not None and _compatible(self.clusters[held].gender, gender):
                    return held
            if k != here and found:
                if token.pos_ != "PRON" and fallback is None:
                    # `the world indoor champion` is whom the text is about, not whoever
                    # is named in passing (`well short of Greene's record`): a subject
                    # further back wins over a mere mention.
                    fallback = min(found, key=lambda m: self._salience(m, gender)).cluster
                    continue
                if fallback is None:
                    return min(found, key=lambda m: self._salience(m, gender)).cluster
        return fallback

    def resolve_they(self, token: Token) -> int | None:
        """`they` to the organisation that was the subject just before; None for a group.

        Looks back two sentences at subjects, nearest first: another `they`
        carries the search on, an organisation named as subject is the answer,
        and a plural noun or a person (`officials`, `Smith and Jones`) means
        the speakers are a group with no single name.
        """
        sents = self._sents()
        here = next((k for k, s in enumerate(sents) if s.start <= token.i < s.end), 0)
        by_root = {m.root: m for m in self.mentions if not m.in_quote}
        for k in range(here, max(-1, here - 3), -1):
            subjects = [
                t
                for t in sents[k]
                if t.dep_ in {"nsubj", "nsubjpass"} and t.i < token.i and not self.quoted[t.i]
            ]
            for subj in reversed(subjects):
                mention = by_root.get(subj.i)
                if mention is not None:
                    kind = self.clusters[mention.cluster].kind
                    return mention.cluster if kind == "organisation" else None
                if subj.lower_ == "they":
                    continue
                if subj.tag_ in {"NNS", "NNPS"} or subj.pos_ in {"PROPN", "PRON"}:
                    return None
        return None

    def _salience(self, mention: Mention, gender: str | None) -> tuple[bool, bool, int]:
        """Sort key: known gender match first, then main-clause subject, then order."""
        known = gender is not None and self.clusters[mention.cluster].gender == gender
        root = self.doc[mention.root]
        main = root.head.dep_ == "ROOT" or root.head.i == root.i
        return (not known, not main, mention.root)

    def _subject_pronoun(self, sent: Span, gender: str | None) -> int | None:
        """Token index of the first he/she (as `gender`) that is a subject of any clause.

        `Though it went well, he said, ...`: the sentence speaks of someone
        already named, so it carries the chain back rather than ending it.
        """
        wanted = MALE_PRONOUNS if gender == "m" else FEMALE_PRONOUNS if gender == "f" else set()
        return next(
            (
                t.i
                for t in sent
                if t.dep_ in {"nsubj", "nsubjpass"} and t.lower_ in wanted and not self.quoted[t.i]
            ),
            None,
        )

    def sentences(self) -> list[Span]:
        """Sentences cut at paragraph breaks (see `_sents`)."""
        return self._sents()

    def _sents(self) -> list[Span]:
        """Sentences, cut at paragraph breaks: the parser sometimes runs one across them."""
        if self._sent_cache is None:
            cut: list[Span] = []
            for sent in self.doc.sents:
                start = sent.start
                for tok in sent:
                    if tok.is_space and "\n" in tok.text and tok.i + 1 < sent.end:
                        cut.append(self.doc[start : tok.i + 1])
                        start = tok.i + 1
                if start < sent.end:
                    cut.append(self.doc[start : sent.end])
            self._sent_cache = cut
            self._sent_starts = [sent.start for sent in cut]
        return self._sent_cache

    def resolve_org(self, head: str, token: Token) -> int | None:
        """`the agency`: the last organisation named with that word, else one named just before."""
        before = [m for m in self.mentions if m.start < token.idx and not m.in_quote]
        orgs = [m for m in before if self.clusters[m.cluster].kind == "organisation"]
        for m in reversed(orgs):
            if head in fold_words(self.clusters[m.cluster].name).split():
                return m.cluster
        sents = self._sents()
        here = next((k for k, s in enumerate(sents) if s.start <= token.i < s.end), 0)
        window_start = sents[max(0, here - 2)].start
        recent = [m for m in orgs if m.root >= window_start]
        return recent[-1].cluster if recent else None

    def known_role(self, noun: str) -> bool:
        """True when someone was introduced as `noun` (`Dale Price, a real estate developer`)."""
        return any(
            c.kind == "person" and any(_role_head(r) == noun for r in c.roles)
            for c in self.clusters
        )

    def resolve_role(
        self, words: set[str], before: int, detail: frozenset[str] = frozenset()
    ) -> int | None:
        """The cluster introduced with this role, its modifiers first, then the latest.

        `detail` are the other words of the role phrase (`democratic` in `the
        Democratic nominee`): a person whose role shares more of them wins over
        a more recent one (`Republican nominee X`).
        """
        best: tuple[int, int, int] | None = None
        for cid, cluster in enumerate(self.clusters):
            role_words = {w for r in cluster.roles for w in fold_words(r).split()}
            if not words & role_words:
                continue
            pos = self._recent(cid, before)
            if pos < 0:
                continue
            shared = sum(1 for w in detail if any(_same_word(w, r) for r in role_words))
            if best is None or (shared, pos) > best[:2]:
                best = (shared, pos, cid)
        return best[2] if best else None


def thing_like(name: Span) -> bool:
    """A proper noun with an article or ordinal in front (`the 13th Amendment`) names a thing."""
    root = name.root
    if any(c.dep_ in {"det", "amod", "nummod", "poss"} for c in root.children):
        return True
    before = name.doc[name.start - 1] if name.start > 0 else None
    return before is not None and (
        before.pos_ in {"DET", "NUM", "ADJ"}
        or before.ent_type_ in {"ORDINAL", "DATE", "CARDINAL"}
        or before.text[:1].isdigit()
    )


def _speaks(root: Token) -> bool:
    """A clause subject, or the source in `according to X`: the person a sentence is about."""
    if root.dep_ in {"nsubj", "nsubjpass"}:
        return True
    head = root.head
    return (
        root.dep_ == "pobj"
        and head.lower_ == "to"
        and head.i > 0
        and root.doc[head.i - 1].lower_ == "according"
    )


_ROLE_LINKS = frozenset({"of", "for", "at", "in", "from", "with", "who", "to", "on", "and"})


def _role_head(role: str) -> str:
    """The noun a role phrase is about: `developer` in `real estate developer of the year`."""
    words: list[str] = []
    for word in fold_words(role).split():
        if word in _ROLE_LINKS:
            break
        words.append(word)
    return words[-1] if words else ""


def _same_word(a: str, b: str) -> bool:
    """`mexican` and `mexico`, `democratic` and `democrat`: one stem, near enough."""
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and a[:5] == b[:5]


def _modifier(root: Token) -> bool:
    """`the Clinton campaign`, `Obama administration`: the name describes a thing, no person."""
    return root.dep_ in {"compound", "amod"} and root.head.pos_ == "NOUN"


def full_names_conflict(first: list[str], second: list[str]) -> bool:
    """Two names of two words or more that cannot be one person.

    Neither is a shorter form of the other, and their surnames differ (`Tony
    Martin`, `Tony Blair`) or their given names do (`Jason Robinson`, `Andy
    Robinson`; `Joe Biden` and `Joseph Biden` agree through the nickname).
    """
    if len(first) < 2 or len(second) < 2 or set(first) <= set(second) or set(second) <= set(first):
        return False
    return first[-1] != second[-1] or not _same_given(first[0], second[0])


def _same_given(first: str, second: str) -> bool:
    """Equal, nickname-linked, or an initial of the other (`J Smith`, `John Smith`)."""
    if len(first) == 1 or len(second) == 1:
        return first[0] == second[0]
    return given_names_match(first, second)


def _hosts_clause_of(name: Token, pronoun: Token) -> bool:
    """The pronoun's adverbial or relative clause hangs off the clause that names the person.

    `Ruiz praised Diaz after she won`, `Diaz's plan earned him praise, where he
    ...`: with no compatible subject before it, a pronoun in a dependent
    clause refers to someone in the clause it depends on, not to a person
    from an earlier sentence. A relative clause never refers to its own head.
    """
    clause = pronoun.head
    if clause.dep_ not in {"advcl", "relcl"} or clause.head.i == name.i:
        return False
    host = _clause_head(name)
    return host.i != clause.i and any(a.i == host.i for a in clause.ancestors)


def _clause_head(tok: Token) -> Token:
    """The verb of the clause a word belongs to (the root when none)."""
    while tok.pos_ not in {"VERB", "AUX"} and tok.head.i != tok.i:
        tok = tok.head
    return tok


def _compatible(have: str | None, want: str | None) -> bool:
    return have is None or want is None or have == want


def _previous_sentence_start(doc: Doc, tok: Token) -> int:
    start = tok.sent.start
    if start == 0:
        return 0
    return doc[start - 1].sent.start


def _honorific_before(ent: Span) -> str | None:
    if ent.start == 0:
        return None
    prev = ent.doc[ent.start - 1]
    word = prev.text.rstrip(".").lower()
    if word in {"mr", "ms", "mrs", "dr", "sen", "rep", "gov", "gen", "prof", "del", "rev", "miss"}:
        return prev.text
    return None


def _title_before(ent: Span) -> str | None:
    """`Mexican President` in `Mexican President Andrés Manuel López Obrador`."""
    root = ent.root
    left = [t for t in root.lefts if t.i < ent.start and t.dep_ not in _SKIP_ROLE_DEPS]
    if not left:
        return None
    start = min(t.left_edge.i for t in left)
    tokens = [
        t for t in ent.doc[start : ent.start] if t.dep_ not in {"det", "poss", "punct", "case"}
    ]
    breaks = [k for k, t in enumerate(tokens) if "\n" in t.text]
    if breaks:
        tokens = tokens[breaks[-1] + 1 :]  # a role never reaches into the paragraph before
    # `Wednesday Mr Blair`, `Attorney General Lord Goldsmith`, `Earlier Foreign Secretary
    # Jack Straw`: a form of address belongs to the name, a time word to the sentence.
    while tokens and (_address_form(tokens[-1]) or _not_role(tokens[-1])):
        tokens = tokens[:-1]
    while tokens and (tokens[0].tag_ == "POS" or _not_role(tokens[0])):
        tokens = tokens[1:]
    if not any(_role_word(t) for t in tokens):
        return None  # `good Mr Blair`, `BBC Mr Howard`, `Harrogate Mr Kennedy`
    if _fragment(tokens[0].text):
        return None
    text = ent.doc[tokens[0].i : tokens[-1].i + 1].text.strip(" ,")
    return text or None


def common_noun_use(ent: Span) -> bool:
    """`the 22-year-old Scot`, `a Briton`: one word with an article is a description.

    The recogniser tags such demonyms PERSON. A name can take an article too (`an
    angry Beattie`), but then the article names that person in full elsewhere.
    """
    det = next(
        (c for c in ent.root.children if c.dep_ == "det" and c.lower_ in {"the", "a", "an"}),
        None,
    )
    if len(ent) != 1 or det is None or det.i > ent.start:
        return False
    if any(t.pos_ == "PROPN" for t in ent.doc[det.i + 1 : ent.start]):
        return False  # `The Attorney General Lord Goldsmith`: a titled name
    word = ent.root.lower_
    return not any(
        other.label_ == "PERSON" and len(other) > 1 and word in {t.lower_ for t in other}
        for other in ent.doc.ents
    )


def _addressed_surnames(doc: Doc, quoted: list[bool]) -> frozenset[str]:
    """Words written after a personal honorific (`Mr Cable`): people's surnames here."""
    return frozenset(
        doc[t.i + 1].lower_
        for t in doc[:-1]
        if _is_honorific(t.lower_)
        and t.lower_.rstrip(".") not in _REGNAL
        and doc[t.i + 1].pos_ == "PROPN"
        and not quoted[t.i]
    )


def person_shaped(ent: Span, addressed: frozenset[str] = frozenset()) -> Span | None:
    """An ORG/FAC span that is a person's name, as that name; else None.

    `" Mr Bussereau` (an honorific inside), `Ms Lomax` after one, `Cardinal Cormac |
    Murphy-O'Connor` (a title and a given name before a one-word "organisation"), or
    `Vince Cable` where the article also writes `Mr Cable` (`addressed`).
    """
    doc = ent.doc
    words = [t for t in ent if any(ch.isalpha() for ch in t.text)]
    if not 0 < len(words) <= 4 or any(t.tag_ == "POS" or t.text[-1:] == "'" for t in ent):
        return None  # `Lord Dubs' Succession to the Crown Bill` names a thing
    if len(words) > 1 and _is_honorific(words[0].lower_):
        return Span(doc, words[1].i, ent.end, label="PERSON")
    before = doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and _is_honorific(before.lower_):
        return Span(doc, ent.start, ent.end, label="PERSON")
    if (
        " " not in ent.text.strip()  # one word, maybe hyphenated: `Murphy-O'Connor`
        and ent.start >= 2
        and doc[ent.start - 1].pos_ == "PROPN"
        and doc[ent.start - 1].text.istitle()
        and doc[ent.start - 2].lower_.rstrip(".") in name_words().titles
    ):
        return Span(doc, ent.start - 1, ent.end, label="PERSON")
    if (
        2 <= len(words) <= 3
        and len(words) == len(ent)
        and words[-1].lower_ in addressed
        and all(t.pos_ == "PROPN" and t.text.istitle() for t in words)
    ):
        return Span(doc, ent.start, ent.end, label="PERSON")
    return None


def _in_subordinate(tok: Token) -> bool:
    """`where George Bush opposed it`: a subject of a relative or adverbial clause."""
    return tok.head.dep_ in {"relcl", "advcl", "acl"}


def _not_role(tok: Token) -> bool:
    return (
        tok.ent_type_ in {"DATE", "TIME"}
        or tok.pos_ in {"ADV", "CCONJ", "SCONJ", "ADP", "PART"}
        or not any(ch.isalnum() for ch in tok.text)  # punctuation, a line break
        or tok.lower_ in _NOT_ROLE_WORDS
    )


def _role_word(tok: Token) -> bool:
    """A word that says what someone is: a common noun, or a title not naming a place or group."""
    if _address_form(tok):
        return False
    if tok.pos_ == "NOUN":
        return True
    return tok.pos_ == "PROPN" and tok.ent_type_ not in _NAMED_NOT_ROLES


def _apposition_role(ent: Span) -> str | None:
    """`the acting leader of the border agency` in `Troy Miller, the acting leader of ..., said`."""
    root = ent.root
    for child in root.rights:
        if (
            child.dep_ == "appos"
            and child.pos_ in {"NOUN", "PROPN"}
            and child.ent_type_ != "PERSON"
        ):
            return _phrase(child)
    head = root.head
    if root.dep_ == "appos" and (
        head.pos_ == "NOUN" or (head.pos_ == "PROPN" and head.lower_ in PERSON_ROLE_NOUNS)
    ):  # `the Bishop of Durham, Tom Wright`: a capitalised title is a role too
        return _phrase(head, stop=ent.start)
    return None


def _phrase(tok: Token, stop: int | None = None) -> str | None:
    doc = tok.doc
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    if stop is not None:
        end = min(end, stop)
    while start < end and (doc[start].lower_ in _DETERMINERS or doc[start].is_punct):
        start += 1
    # `its chairman, Sir` in `its chairman, Sir Anthony Greener`: the title is the name's.
    while end > start and (doc[end - 1].is_punct or _address_form(doc[end - 1])):
        end -= 1
    if start >= end or end - start > 14 or _fragment(doc[start].text):
        return None
    return doc[start:end].text


def _address_form(tok: Token) -> bool:
    return tok.lower_.rstrip(".") in _ADDRESS_FORMS


def _fragment(word: str) -> bool:
    """`-ordinator` of a `co-ordinator` the tokenizer split: not a role to show."""
    return word[:1] in {"-", "–", "—"}
