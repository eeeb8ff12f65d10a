"""Who said a quotation: cue verbs in the parse, then pronouns, role nouns and context.

For each quote the sentences around it (quote text excluded) are searched for
a cue verb (`say`, `tell`, `according to`...); the cue's subject, found through
the dependency tree in whatever order the sentence puts it, is the speaker
phrase. That phrase is then resolved: a name to its cluster, `he`/`she` to the
most recent compatible person, `the senator` to whoever was introduced with
that role. Quotes with no cue inherit the speaker of the turn they continue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy
from spacy.tokens import Doc, Span, Token

from archive.attributes import lemma_of
from archive.attribution_entities import (
    Registry,
    common_noun_use,
    person_shaped,
    strip_name,
    thing_like,
)
from archive.attribution_speech import doc_text
from archive.cues import (
    AMBIGUOUS_CUES,
    CUE_VERBS,
    FEMALE_PRONOUNS,
    HONORIFICS,
    MALE_PRONOUNS,
    ORG_LABELS,
    PERSON_ROLE_NOUNS,
    ROLE_SYNONYMS,
)
from archive.models import How, SpeakerKind
from archive.quotes import QuoteSpan
from archive.text import fold


def _words(block: str) -> list[str]:
    """Word lists are kept as wrapped text blocks so they read like vocabulary."""
    return block.split()


_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_CLIMB = {"xcomp", "advcl", "conj", "pcomp", "ccomp", "acl", "prep", "parataxis"}
_RELATIVE = {"who", "that", "which", "whom"}
_ORG_HEADS = frozenset(
    _words(
        """
        campaign committee department agency office administration government ministry company
        group organization organisation party council commission board bureau service team court
        union association foundation institute center centre network newspaper paper
        """
    )
)
_MAX_CUE_DISTANCE = 40
# Conjunctions that make a clause an event in time or a reason ("as" is left out:
# "as Ruiz said" attributes).
_SUBORDINATORS = frozenset(
    _words(
        """
        when whenever after before because while since although though until once if unless
        """
    )
)
# Pronouns that refer to no one in particular: "anyone who says ...".
_INDEFINITE = frozenset(
    _words(
        """
        anybody anyone everybody everyone nobody someone somebody whoever whomever none
        """
    )
)
_ADJACENT = 3  # tokens between a cue and the quote mark that still make them one frame
_NOT_SPEAKERS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
# Things that carry someone's words: "Clinton's ad said", "a statement from the council".
# Nouns that report someone's words: `Trump's claim that "..."`, `her promise of "..."`.
_CLAIMS = frozenset(
    _words(
        """
        claim assertion statement remark comment promise pledge vow warning accusation
        suggestion argument insistence prediction boast description characterization
        characterisation call demand plea words
        """
    )
)
_CLAIM_REACH = 4  # ancestors of a quote searched for such a noun
_SENTENCE_GAP = re.compile(r"[.!?][\"”’)]*\s+[\"“‘(]?[A-Z]")
_UTTERANCES = frozenset(
    _words(
        """
        statement ad advertisement report letter tweet post release memo comment remark email
        message video spot commercial speech op-ed editorial interview announcement ruling
        """
    )
)

# Verbs whose subject is the author of the statement they take as object.
_ISSUING = frozenset(
    _words(
        """
        issue release publish send post put make give deliver air run launch unveil sign write
        circulate distribute file submit
        """
    )
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Result for one quote; `cluster` indexes the registry, None for nobody or a group."""

    mention: str | None
    cluster: int | None
    cue: str | None
    how: How
    cue_token: int | None = None


class Attributor:
    """Attributes the quotes of one parsed article."""

    def __init__(self, doc: Doc, spans: list[QuoteSpan]) -> None:
        self.doc = doc
        self.spans = spans
        self.quoted = _quoted_tokens(doc, spans)
        self.registry = Registry(doc, self.quoted)
        self.token_of_char = _char_index(doc)
        self.entity_at: list[Span | None] = [None] * len(doc)
        self.spokes: list[tuple[int, int]] = []  # (offset, cluster) of each `X spokesman`
        for ent in doc.ents:
            if ent.label_ in {"PERSON"} | ORG_LABELS:
                for i in range(ent.start, ent.end):
                    self.entity_at[i] = ent

    # -- cues -----------------------------------------------------------------------------
    def is_cue(self, tok: Token) -> bool:
        if self.quoted[tok.i]:
            return False
        if (
            tok.lower_ == "according"
            and tok.i + 1 < len(self.doc)
            and self.doc[tok.i + 1].lower_ == "to"
        ):
            return True
        if tok.pos_ == "PROPN" and tok.lower_ in _MISTAGGED_CUES:
            return True  # "Said Ruiz:" at a sentence start, tagged as a name
        return (
            tok.pos_ in {"VERB", "AUX"}
            and lemma_of(tok).lower() in CUE_VERBS
            and lemma_of(tok).lower() != "be"
            and not _be_to(tok)
        )

    def frame(self, span: QuoteSpan, para: tuple[int, int]) -> list[Token]:
        """Tokens of the sentences around the quote, outside any quote, in its paragraph."""
        first = self.tok(span.start)
        last = self.tok(max(span.start, span.end - 1))
        if first is None or last is None:
            return []
        lo, hi = first.sent.start, last.sent.end
        return [t for t in self.doc[lo:hi] if para[0] <= t.idx < para[1] and not self.quoted[t.i]]

    def tok(self, char: int) -> Token | None:
        if not 0 <= char < len(self.token_of_char):
            return None
        i = self.token_of_char[char]
        return self.doc[i] if i >= 0 else None

    def best_cue(self, span: QuoteSpan, tokens: list[Token]) -> tuple[Token, Token | None] | None:
        first = self.tok(span.start)
        last = self.tok(max(span.start, span.end - 1))
        if first is None or last is None:
            return None
        quote_tokens = set(range(first.i, last.i + 1))
        governing = self.governing_verbs(quote_tokens)
        ranked: list[tuple[tuple[int, bool, bool, int], Token, Token | None]] = []
        for tok in tokens:
            if not self.is_cue(tok) and tok.i not in governing:
                continue
            distance = first.i - tok.i if tok.i < first.i else tok.i - last.i
            if distance > _MAX_CUE_DISTANCE:
                continue
            subject = self.subject_of(tok)
            lemma = lemma_of(tok).lower()
            if lemma in AMBIGUOUS_CUES and (
                subject is None or (tok.tag_ == "VBN" and tok.dep_ == "acl")
            ):
                continue
            related = any(a.i in quote_tokens for a in tok.ancestors) or any(
                a.i == tok.i for q in (first, last) for a in q.ancestors
            )
            # a cue right beside the quote ("X boasted, \"...\"") counts as related even
            # when the parse hangs the quote elsewhere
            close = related or distance <= _ADJACENT
            rank = (subject_quality(subject), _subordinate(tok), not close, distance)
            ranked.append((rank, tok, subject))
        if not ranked:
            return None
        ranked.sort(key=lambda r: r[0])
        return ranked[0][1], ranked[0][2]

    def claimed_by(self, span: QuoteSpan) -> tuple[Token, Token] | None:
        """`Trump's claim that there have been "thousands of shootings"`: (noun, owner).

        A quote inside what a possessed utterance noun reports is its owner's words.
        """
        first = self.tok(span.start)
        if first is None:
            return None
        for noun in list(first.ancestors)[:_CLAIM_REACH]:
            if self.quoted[noun.i] or noun.pos_ != "NOUN":
                continue
            if lemma_of(noun).lower() in _CLAIMS:
                between = doc_text(self.doc)[noun.idx : span.start]
                if _SENTENCE_GAP.search(between):
                    return None  # a parse that ran two sentences together
                owner = _owner(noun)
                return (noun, owner) if owner is not None and not self.quoted[owner.i] else None
        return None

    def governing_verbs(self, quote_tokens: set[int]) -> set[int]:
        """Verbs outside the quote that take it as their clause: `Hahn shrugged, "..."`."""
        heads: set[int] = set()
        for i in quote_tokens:
            tok = self.doc[i]
            head = tok.head
            if (
                tok.dep_ in {"ccomp", "parataxis"}
                and head.i not in quote_tokens
                and head.pos_ == "VERB"
                and not self.quoted[head.i]
                and any(c.dep_ == "nsubj" for c in head.children)
            ):
                heads.add(head.i)
            elif tok.dep_ == "pobj" and head.lower_ == "as" and head.i not in quote_tokens:
                verb = head.head  # "pounding the rival as a \"con artist\"": a characterisation
                if (
                    verb.pos_ == "VERB"
                    and not self.quoted[verb.i]
                    and any(c.dep_ == "nsubj" for c in verb.children)
                    and _characterised(verb, head)
                ):
                    heads.add(verb.i)
        return heads

    def subject_of(self, verb: Token, depth: int = 0) -> Token | None:
        """The speaker token of a cue, climbing from `adding`/`who said` to a clause with one."""
        if verb.lower_ == "according":
            for to in verb.rights:
                if to.lower_ == "to":
                    objs = [c for c in to.children if c.dep_ == "pobj"]
                    return objs[0] if objs else None
            nxt = verb.doc[verb.i + 1] if verb.i + 1 < len(verb.doc) else None
            if nxt is not None:
                objs = [c for c in nxt.children if c.dep_ == "pobj"]
                return objs[0] if objs else None
            return None
        for child in verb.children:
            if child.dep_ == "nsubjpass":
                agents = [a for a in verb.children if a.dep_ == "agent"]
                objs = [c for a in agents for c in a.children if c.dep_ == "pobj"]
                if objs:
                    return objs[0]
                if depth > 0 and child.pos_ in {"PRON", "PROPN"} and not self.quoted[child.i]:
                    return child  # "After saying ..., she was taken ...": she said it
                return None
            if child.dep_ in _SUBJECTS and (
                child.ent_type_ in _NOT_SPEAKERS
                or (child.text.isupper() and child.ent_type_ == "GPE")
                or _across_break(child, verb)
            ):
                continue  # "At 5:45 p.m., ..." or a "WASHINGTON —" dateline parsed as a subject
            if child.dep_ in _SUBJECTS and not self.quoted[child.i] and not child.is_punct:
                if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                    return verb.head
                if child.lower_ in _RELATIVE:
                    rel = next((a for a in verb.ancestors if a.dep_ == "relcl"), None)
                    return rel.head if rel is not None else None
                return child
        if verb.dep_ == "relcl" and verb.head.pos_ in {"NOUN", "PROPN", "PRON"}:
            return verb.head
        if _set_off_participle(verb) and verb.head.dep_ == "relcl":
            # "... refused to pay a builder who said he was cheated, saying, ...": a
            # restrictive relative clause takes no comma-set participle; the main clause does
            outer = self.outer_subject(verb.head.head.head)
            if outer is not None:
                return outer
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in {"NOUN", "PROPN"}:
            return verb.head  # "Smith, speaking of the ..." / "a statement saying"
        controller = _object_controller(verb)
        if controller is not None and not self.quoted[controller.i]:
            return controller  # "led the journalist to fear ...": the object is who fears
        if depth < 3 and verb.dep_ in _CLIMB and verb.head.i != verb.i:
            climbed = self.subject_of(verb.head, depth + 1)
            if climbed is not None:
                return climbed
        return self.adjacent_subject(verb) if depth == 0 else None

    def outer_subject(self, tok: Token) -> Token | None:
        """The subject of the nearest clause at or above `tok` that has one."""
        for _ in range(6):
            subject = next(
                (
                    c
                    for c in tok.children
                    if c.dep_ in _SUBJECTS and c.lower_ not in _RELATIVE and not self.quoted[c.i]
                ),
                None,
            )
            if subject is not None:
                return subject
            if tok.dep_ not in _CLIMB or tok.head.i == tok.i:
                return None
            tok = tok.head
        return None

    def adjacent_subject(self, verb: Token) -> Token | None:
        """When the parse gives the cue no subject, the noun phrase right beside it.

        Reads left to the quote or clause start (`"...," Chief Ana Ruiz said`)
        then right (`said Ana Ruiz`, `Said Ruiz:`); the phrase's last noun is its head.
        """
        doc = verb.doc
        left: list[Token] = []
        j = verb.i - 1
        while j >= verb.sent.start and len(left) < 12:
            tok = doc[j]
            if self.quoted[j] or tok.text in {"“", "”", '"', ";", "—", "–"} or _breaks(tok):
                break
            left.append(tok)
            j -= 1
        left.reverse()
        # "When ... war, Obama and Clinton call them": a clause set off by a comma comes
        # first; the subject is the phrase after it
        commas = [k for k, tok in enumerate(left) if tok.text == ","]
        head = _first_nominal_run(left[commas[-1] + 1 :]) if commas else None
        head = head or _first_nominal_run(left)
        if head is None:
            right = []
            for tok in doc[verb.i + 1 : min(verb.sent.end, verb.i + 8)]:
                if self.quoted[tok.i] or _breaks(tok):
                    break
                right.append(tok)
            head = _first_nominal_run(right)
        return head

    def issuer(self, noun: Token) -> Token | None:
        """Who put out a statement or ad: `the council issued a statement calling ...`."""
        head = noun.head
        if noun.dep_ != "dobj" or lemma_of(head).lower() not in _ISSUING:
            return None
        subject = self.subject_of(head, depth=1)
        if subject is None or subject.i == noun.i or self.quoted[subject.i]:
            return None
        return subject

    def collective_antecedent(self, pronoun: Token) -> Token | None:
        """The organisation a `they` or `it` speaks for: the nearest earlier subject, if one.

        `The council ... what it called`, `Smith's campaign ... what they call`:
        an organisation's name or a named `campaign`/`committee` noun. Any other
        subject in between (a person, a plan, a plural) means it is not an organisation.
        """
        sents = self.registry.sentences()
        here = next((k for k, s in enumerate(sents) if s.start <= pronoun.i < s.end), 0)
        for k in range(here, max(-1, here - 2), -1):
            subjects = [
                t
                for t in sents[k]
                if t.dep_ in {"nsubj", "nsubjpass"}
                and t.i < pronoun.i
                and not self.quoted[t.i]
                and (k == here or _main_clause(t))  # not `stressing that the meeting was`
            ]
            for subj in reversed(subjects):
                if subj.lower_ == pronoun.lower_:
                    continue  # the same pronoun earlier: the chain goes on
                ent = self.entity_at[subj.i]
                if ent is not None:
                    return subj if ent.label_ in {"ORG"} else None
                if (
                    subj.pos_ == "NOUN"
                    and subj.tag_ == "NN"
                    and lemma_of(subj).lower() in _ORG_HEADS
                ):
                    named = any(
                        t.pos_ == "PROPN" and t.i < subj.i for t in _noun_phrase(subj)
                    ) or _definite(_noun_phrase(subj))
                    return subj if named else None
                return None
        return None

    # -- speaker phrases ------------------------------------------------------------------
    def resolve(self, subj: Token, before: int) -> tuple[str, int | None, str]:
        """(mention as written, cluster or None, kind of mention: name/pronoun/role/group/other)."""
        doc = self.doc
        appos = [c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
        if subj.pos_ == "NOUN" and appos:
            subj = appos[0]
        if any(c.dep_ == "conj" for c in subj.children):
            end = subj.right_edge.i + 1
            start = subj.left_edge.i
            return _clean(doc[start:end].text), None, "group"
        if subj.pos_ == "PRON":
            low = subj.lower_
            if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
                gender = "m" if low in MALE_PRONOUNS else "f"
                return subj.text, self.registry.resolve_pronoun(subj, gender), "pronoun"
            if low in {"they", "it"}:
                body = self.collective_antecedent(subj)
                found = self.resolve(body, before)[1] if body is not None else None
                if found is not None:
                    return subj.text, found, "pronoun"
            if low == "they":
                return subj.text, self.registry.resolve_they(subj), "pronoun"
            return subj.text, None, "pronoun"
        if lemma_of(subj).lower() in _SPOKES_NOUNS and subj.pos_ == "NOUN":
            spoken = self.spoken_for(subj, before)
            if spoken is not None:
                return spoken
        if _title_reference(subj):
            named = [c for c in subj.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
            if named:  # "the Bishop of Durham, the Rt Rev Dr Tom Wright, said"
                return self.resolve(named[0], before)
            return self.resolve_role_phrase(subj, before)  # "the Chancellor said"
        ent = self.entity_at[subj.i]
        if ent is not None and ent.label_ == "PERSON" and common_noun_use(ent):
            # "the 22-year-old Scot said", "The Bill proposes": a description, whose
            # referent a guess could get wrong (`the Scot` could be anyone from Scotland)
            return _clean(_noun_phrase(subj).text), None, "other"
        # "the senator" is sometimes tagged a proper noun; a lower-case word names no one
        proper = subj.pos_ == "PROPN" and not subj.text.islower()
        if ent is not None and ent.label_ == "NORP" and any(c.dep_ == "det" for c in subj.children):
            ent, proper = None, False  # "the Democrat said": a party member named earlier
        if ent is None and proper and thing_like(_propn_run(subj)):
            return _clean(_noun_phrase(subj).text), None, "other"  # "the 13th Amendment"
        if ent is not None or proper:
            name_span = ent if ent is not None else _propn_run(subj)
            label = ent.label_ if ent is not None else ""
            if proper and label in {"", "PERSON", "ORG"}:
                run = _propn_run(subj)
                # "Ana Petrov" where the recogniser saw only "Petrov" (often as ORG); a
                # name it saw whole keeps its edge (`Producer | Kevin Wallace`).
                whole = label == "PERSON" and len(name_span) > 1
                if run.start < name_span.start and run.end >= name_span.start and not whole:
                    name_span = doc[run.start : max(run.end, name_span.end)]
                    if (
                        label == "ORG"
                        and ent is not None
                        and len(ent) == 1
                        and not _looks_org(name_span)
                    ):
                        label = ""
            kind: SpeakerKind = "organisation" if label in ORG_LABELS else "person"
            if label in {"GPE", "NORP"} and not proper:
                return _clean(_noun_phrase(subj).text), None, "group"
            if not label and _looks_org(name_span):
                kind = "organisation"
            shaped = (
                person_shaped(ent, self.registry.addressed)
                if kind == "organisation" and ent is not None
                else None
            )
            if shaped is not None:  # `Ms Lomax` the recogniser read as an organisation
                kind, name_span = "person", shaped
            name = strip_name(name_span.text, kind == "person")
            if not name:
                return _clean(name_span.text), None, "other"
            cid = self.registry.add_mention(name, kind, subj)
            return _clean(name_span.text), cid, "name"
        if subj.pos_ == "NOUN" and lemma_of(subj).lower() in _UTTERANCES:
            owner = _owner(subj) or self.issuer(subj)
            if owner is not None:
                return self.resolve(owner, before)
        phrase = _noun_phrase(subj)
        mention = _clean(phrase.text)
        lemma = lemma_of(subj).lower()
        named = [t for t in phrase if t.pos_ == "PROPN" and t.i < subj.i]
        if lemma in _ORG_HEADS and named:
            name = strip_name(doc[named[0].i : subj.i + 1].text, person=False)
            return mention, self.registry.add_mention(name, "organisation", subj), "name"
        if lemma in _ORG_HEADS and subj.tag_ == "NN" and _definite(phrase):
            return mention, self.registry.resolve_org(lemma, subj), "role"  # "the agency said"
        if subj.tag_ in {"NNS", "NNPS"}:
            return mention, None, "group"
        if lemma in PERSON_ROLE_NOUNS or (
            subj.tag_ == "NN" and _definite(phrase) and self.registry.known_role(lemma)
        ):
            return self.resolve_role_phrase(subj, before)
        return mention, None, "other"

    def spoken_for(self, subj: Token, before: int) -> tuple[str, int | None, str] | None:
        """`a spokeswoman for Royal Mail`, `a Home Office official`: the body speaks.

        A spokesperson with no body named (`the spokesman added`) speaks for the one
        the article last gave a spokesperson; one for a person is left to the role
        rules (a spokesman's words are not his principal's).
        """
        mention = _clean(_noun_phrase(subj).text)
        for tok in _spoken_for_tokens(subj):
            if tok.ent_type_ == "PERSON" or self.quoted[tok.i]:
                return None
            ent = self.entity_at[tok.i]
            if ent is not None and ent.label_ in {"ORG", "FAC"}:  # not `US officials`
                name = strip_name(ent.text, person=False)
                if name:
                    cid = self.registry.add_mention(name, "organisation", tok)
                    self.spokes.append((subj.idx, cid))
                    return mention, cid, "role"
            if tok.pos_ == "NOUN" and lemma_of(tok).lower() in _ORG_HEADS:
                body = self.resolve(tok, before)[1]  # `a spokesman for the company`
                if body is not None:
                    self.spokes.append((subj.idx, body))
                    return mention, body, "role"
        if _definite(_noun_phrase(subj)):
            earlier = [cid for at, cid in self.spokes if at < subj.idx]
            if earlier:
                return mention, earlier[-1], "role"
        return None

    def resolve_role_phrase(self, subj: Token, before: int) -> tuple[str, int | None, str]:
        """`the Mexican president`, `the Chancellor`: whoever the article gave that role."""
        phrase = _noun_phrase(subj)
        mention = _clean(phrase.text)
        lemma = lemma_of(subj).lower()
        listed = lemma in PERSON_ROLE_NOUNS
        words = {lemma} | ROLE_SYNONYMS.get(lemma, frozenset())
        words |= {
            lemma_of(t).lower()
            for t in phrase
            if t.pos_ in {"NOUN"} and t.i != subj.i and lemma_of(t).lower() in PERSON_ROLE_NOUNS
        }
        detail = frozenset(
            fold(t.text)
            for t in phrase
            if t.i != subj.i and t.pos_ in {"ADJ", "PROPN", "NOUN"} and t.lower_ not in words
        )
        role_cid = self.registry.resolve_role(words, before, detail)
        if role_cid is None and not listed:
            return mention, None, "other"
        if role_cid is None and not any(
            t.tag_ in {"PRP$", "POS"} or t.lower_ in _ANY_ONE for t in phrase
        ):
            role_cid = self.registry.resolve_pronoun(subj, None)
        return mention, role_cid, "role"


# `a runner`, `every athlete`: anyone, so no one in particular.
_ANY_ONE = frozenset({"a", "an", "every", "each", "any", "no", "another", "some"})
_SPOKES_NOUNS = frozenset(
    {"spokesman", "spokeswoman", "spokesperson", "representative", "official"}
)


_SPOKEN_FOR = frozenset({"for", "of", "at", "from"})  # `a spokesman for X`, `of X`


def _spoken_for_tokens(subj: Token) -> list[Token]:
    """Candidates for the body a spokesperson speaks for, nearest first."""
    found = [
        c
        for c in subj.lefts
        if c.dep_ in {"compound", "poss", "nmod", "amod"} and c.pos_ in {"PROPN", "NOUN"}
    ]
    for prep in subj.rights:
        if prep.dep_ == "prep" and prep.lower_ in _SPOKEN_FOR:
            found.extend(c for c in prep.children if c.dep_ == "pobj")
    return found


# Role nouns that, capitalised, name an institution: `the Scottish Executive`, `the Star`.
_INSTITUTION_TITLES = frozenset({"executive", "star", "democrat", "republican", "liberal"})


def _main_clause(subject: Token) -> bool:
    """The subject of its sentence's main verb, or of a verb coordinated with it."""
    verb = subject.head
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        verb = verb.head
    return verb.dep_ == "ROOT"


def _title_reference(subj: Token) -> bool:
    """`the Chancellor`, `the Prime Minister`, `the Bishop of Durham`: a capitalised role.

    The recogniser often calls such a title a name (`Bishop` as ORG), but with
    `the` in front and no name in it, it refers to whoever holds the role.
    """
    if subj.pos_ != "PROPN" or subj.text.islower():
        return False
    if subj.lower_ not in PERSON_ROLE_NOUNS or subj.lower_ in _INSTITUTION_TITLES:
        return False
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in subj.children):
        return False
    return all(
        c.ent_type_ != "PERSON" and c.text[:1].isupper()
        for c in subj.children
        if c.dep_ in {"compound", "amod"} and c.i < subj.i
    )


_NOMINAL = {"PROPN", "NOUN", "PRON"}
_MISTAGGED_CUES = {"said": "say", "says": "say", "told": "tell", "added": "add", "wrote": "write"}
_SKIPPABLE = {"ADV", "AUX", "PART", "DET", "ADJ", "PUNCT", "CCONJ", "SPACE"}


def cue_lemma(tok: Token) -> str:
    """The cue as reported in `Quote.cue`: `say`, `tell`, `according to`."""
    if tok.lower_ == "according":
        return "according to"
    return (
        _MISTAGGED_CUES.get(tok.lower_, lemma_of(tok).lower())
        if tok.pos_ == "PROPN"
        else lemma_of(tok).lower()
    )


def _first_nominal_run(tokens: list[Token]) -> Token | None:
    """The last noun of the first noun run in `tokens`, when only modifiers precede it."""
    start = None
    for k, tok in enumerate(tokens):
        if tok.pos_ in _NOMINAL or (
            tok.text[:1].isupper() and tok.pos_ in {"VERB", "ADJ"} and k == 0
        ):
            start = k
            break
        if tok.pos_ not in _SKIPPABLE:
            return None
    if start is None:
        return None
    end = start
    while end + 1 < len(tokens) and tokens[end + 1].pos_ in {"PROPN", "NOUN"}:
        end += 1
    head = tokens[end]
    if head.pos_ == "PRON" and head.lower_ not in {"he", "she", "they", "we", "i"}:
        return None
    return head if head.pos_ in _NOMINAL else None


def _object_controller(verb: Token) -> Token | None:
    """Who does what an object complement says: `urged Ana to say`, `shows Ana saying`.

    The object of the verb the complement depends on; for a participle, the
    person in `footage of Ana asking` when the object is a picture of someone.
    """
    if verb.dep_ != "xcomp":
        return None
    infinitive = verb.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in verb.children
    )
    if not infinitive and verb.tag_ != "VBG":
        return None
    objects = [
        c
        for c in verb.head.children
        if c.dep_ == "dobj" and c.i < verb.i and c.pos_ in {"NOUN", "PROPN", "PRON"}
    ]
    if not objects:
        return None
    obj = objects[0]
    if verb.tag_ == "VBG" and obj.pos_ == "NOUN":
        depicted = [
            p
            for prep in obj.children
            if prep.dep_ == "prep" and prep.lower_ == "of"
            for p in prep.children
            if p.dep_ == "pobj" and p.right_edge.i == verb.i - 1
        ]
        if depicted and (depicted[0].pos_ == "PROPN" or depicted[0].ent_type_ == "PERSON"):
            return depicted[0]
    return obj


def _characterised(verb: Token, as_: Token) -> bool:
    """The verb has someone for `as` to describe: an object, direct or after a preposition.

    `pounding the rival as a "..."`, `went after the rival as a "..."`.
    """
    return any(
        c.dep_ == "dobj"
        or (
            c.dep_ == "prep"
            and c.i < as_.i
            and any(g.dep_ == "pobj" and g.pos_ in {"PROPN", "PRON"} for g in c.children)
        )
        for c in verb.children
    )


def _set_off_participle(verb: Token) -> bool:
    """`, saying ...`: a present participle adjunct right after a comma."""
    return (
        verb.tag_ == "VBG"
        and verb.dep_ == "advcl"
        and verb.i > 0
        and verb.doc[verb.i - 1].text == ","
    )


def _be_to(verb: Token) -> bool:
    """`are to blame`, `is to testify`: a duty or a plan after `be`, not words reported."""
    return (
        verb.dep_ == "xcomp"
        and lemma_of(verb.head).lower() == "be"
        and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )


def _subordinate(cue: Token) -> bool:
    """A cue in a `when`/`after`/`because` clause frames an event, not the quote beside it."""
    return any(
        c.dep_ in {"mark", "advmod"} and c.lower_ in _SUBORDINATORS and c.i < cue.i
        for c in cue.children
    )


def _across_break(a: Token, b: Token) -> bool:
    """A paragraph break lies between two tokens: they belong to different paragraphs."""
    lo, hi = sorted((a.i, b.i))
    return any(_breaks(t) for t in a.doc[lo:hi])


def _breaks(tok: Token) -> bool:
    """A paragraph break: the parser sometimes runs a sentence across one, a speaker never."""
    return tok.is_space and "\n" in tok.text


def subject_quality(subject: Token | None) -> int:
    """How speaker-like a cue's subject is: names and pronouns first, then role nouns."""
    if subject is None:
        return 3
    if subject.lower_ in _INDEFINITE:
        return 2  # "saying anybody who complains ... is": a generic clause, not the speaker
    if subject.lower_ in {"it", "this", "that"}:
        return 1  # "Ruiz says it means ...": a thing, unless no person speaks nearby
    if subject.pos_ in {"PROPN", "PRON"} or subject.ent_type_ in {"PERSON", "ORG"}:
        return 0
    lemma = lemma_of(subject).lower()
    if lemma in PERSON_ROLE_NOUNS or lemma in _ORG_HEADS or lemma in _UTTERANCES:
        return 1
    return 2


def _definite(phrase: Span) -> bool:
    return any(t.lower_ in {"the", "this", "that"} for t in phrase[:2])


def _owner(noun: Token) -> Token | None:
    """Whose words a statement or ad carries: its possessor, or `from`/`by` someone."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ in {"PROPN", "PRON", "NOUN"}:
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "by", "of"}:
            objs = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in {"PROPN", "NOUN"}]
            if objs and (objs[0].pos_ == "PROPN" or objs[0].ent_type_):
                return objs[0]
    return None


def _looks_org(span: Span) -> bool:
    return any(
        lemma_of(t).lower() in _ORG_HEADS or t.lower_ in {"house", "news", "times", "post"}
        for t in span
    )


def _clean(text: str) -> str:
    return " ".join(text.split()).strip(" ,;:")


def _propn_run(tok: Token) -> Span:
    doc = tok.doc
    start = tok.i
    while (
        start > 0
        and doc[start - 1].pos_ == "PROPN"
        and doc[start - 1].dep_ in {"compound", "flat", "nmod"}
        and doc[start - 1].lower_.rstrip(".") not in HONORIFICS
        and doc[start - 1].lower_ not in PERSON_ROLE_NOUNS
        and doc[start - 1].lower_ not in _MISTAGGED_CUES
    ):
        start -= 1  # stops at a title: "Gov. | Chris Christie"
    end = tok.i + 1
    while (
        end < len(doc)
        and doc[end].pos_ == "PROPN"
        and doc[end].head.i == tok.i
        and doc[end].dep_ in {"flat", "compound"}
    ):
        end += 1
    return doc[start:end]


def _noun_phrase(tok: Token) -> Span:
    doc = tok.doc
    lefts = [t for t in tok.lefts if t.dep_ != "punct"]
    start = min((t.left_edge.i for t in lefts), default=tok.i)
    end = tok.i + 1
    for child in tok.rights:
        if child.dep_ == "prep" and child.lower_ == "for" and child.right_edge.i - tok.i < 8:
            end = child.right_edge.i + 1
    return doc[start:end]


def _quoted_tokens(doc: Doc, spans: list[QuoteSpan]) -> list[bool]:
    quoted = [False] * len(doc)
    if not spans:
        return quoted
    bounds = sorted(
        (
            s.open_mark if s.open_mark is not None else s.start,
            (s.close_mark if s.close_mark is not None else s.end - 1) + 1,
        )
        for s in spans
    )
    k = 0
    for tok in doc:
        while k < len(bounds) and bounds[k][1] <= tok.idx:
            k += 1
        if k < len(bounds) and bounds[k][0] <= tok.idx < bounds[k][1]:
            quoted[tok.i] = True
    return quoted


def _char_index(doc: Doc) -> list[int]:
    """Token index for every character (whitespace maps to the token before it)."""
    starts = numpy.fromiter((tok.idx for tok in doc), dtype=numpy.int64, count=len(doc))
    chars = numpy.arange(len(doc_text(doc)), dtype=numpy.int64)
    index: list[int] = (numpy.searchsorted(starts, chars, side="right") - 1).tolist()
    return index
