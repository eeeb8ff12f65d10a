"""Quotes and their speakers from one parsed article: the public entry point of extraction."""

from __future__ import annotations

import bisect
import logging
import re

from spacy.tokens import Doc, Span, Token

from archive.attributes import lemma_of
from archive.attribution import Attribution, Attributor, cue_lemma, subject_quality
from archive.attribution_speech import (
    doc_text,
    is_thing,
    is_word_mention,
    looks_like_title,
    named_by_frame,
    sentence_like,
    words,
)
from archive.cues import TERM_HEADS
from archive.models import Entity, How, Quote
from archive.quotes import QuoteSpan, find_quote_spans, paragraphs

log = logging.getLogger(__name__)

_NEXT_SENTENCE_GAP = 4  # characters between a quote's end and a trailing "Smith said."
_SHORT_TRAILING_SENTENCE = 16  # tokens: a sentence this short after a quote is its frame
_TRAILING_CUE_REACH = 20  # tokens from the start of the sentence after a quote to its cue
_CLAUSE_HEADS = frozenset({"ROOT", "conj", "parataxis", "ccomp"})
_TERM_WORDS = 3  # a quoted label (`"control orders"`) is this short
_MAX_LABEL_WORDS = 10  # `- Bolton boss Sam Allardyce:` before a quote
_STANDALONE_SHARE = 0.6  # share of its paragraph a floating quote must fill
_NAME = r"([A-Z][\w'’.-]*(?:[^\S\n]+(?:[A-Z][\w'’.-]*|de|del|la|van|von|da|bin)){0,4})"
_DASH_NAME = re.compile(r"[\s.,]*[―—–-]{1,2}[^\S\n]*" + _NAME + r"[^\S\n]*[.,]?[^\S\n]*(?:,|\(|$)")
_COLON_NAME = re.compile(r"^\s*" + _NAME + r"[^\S\n]*:[^\S\n]*$")


def extract_quotes(doc: Doc) -> tuple[tuple[Quote, ...], tuple[Entity, ...]]:
    """Every quotation in `doc.text` (speech or not) and the article's speakers.

    Never raises: should the parse-based attribution fail on some odd input,
    the quote spans are still returned, unattributed.
    """
    try:
        return _Extractor(doc).run()
    except Exception:  # robustness promise: a bad article must not stop a batch
        log.exception("quote attribution failed; returning unattributed quotes")
        try:
            spans = find_quote_spans(doc.text)
        except Exception:
            return (), ()
        return tuple(
            Quote(
                doc.text[s.start : s.end],
                s.start,
                s.end,
                speech=sentence_like(doc.text[s.start : s.end]),
            )
            for s in spans
            if not s.single
        ), ()


class _Extractor:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc_text(doc)
        self.spans = find_quote_spans(self.text)
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.att = Attributor(doc, self.spans)
        # An article that quotes speech in double marks uses single marks for nested
        # quotes, titles and scare quotes; only an all-single article quotes speech in them.
        self.singles_are_speech = not any(not s.single for s in self.spans)

    def para_index(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

    def run(self) -> tuple[tuple[Quote, ...], tuple[Entity, ...]]:
        results: list[tuple[QuoteSpan, bool, Attribution | None]] = []
        for span in self.spans:
            results.append(self.first_pass(span))
        for k, (span, speech, attr) in enumerate(results):
            if speech and attr is None:
                attr = self.from_context(span, results[:k])
                quote_text = self.text[span.start : span.end]
                if attr is None and not sentence_like(quote_text):
                    speech = False
                results[k] = (span, speech, attr)
        return self.build(results)

    # -- attribution from the quote's own sentence -------------------------------------------
    def first_pass(self, span: QuoteSpan) -> tuple[QuoteSpan, bool, Attribution | None]:
        text = self.text[span.start : span.end]
        if span.single and not self.singles_are_speech:
            return span, False, None
        para = self.paras[self.para_index(span.start)]
        if named_by_frame(self.doc, span.open_mark, span.start, para[0]) or is_word_mention(text):
            return span, False, None
        framed = self.name_frame(span, para)
        if framed is not None:
            return span, True, framed
        found = self.att.best_cue(span, self.att.frame(span, para))
        if found is None:
            found = self.att.claimed_by(span)
        if found is None:
            return span, not span.single and len(words(text)) > 0, None
        cue, subject = found
        if (
            (looks_like_title(text) and self._after_preposition(span))
            or (subject is not None and is_thing(lemma_of(subject).lower()))
            or self._names_a_term(span, text)
        ):
            return span, False, None
        if span.single and len(words(text)) < 2:
            return span, False, None
        return span, True, self.attribution(span, cue, subject)

    def name_frame(self, span: QuoteSpan, para: tuple[int, int]) -> Attribution | None:
        """A name set off by a dash after the quote (`"..." ― Ana Ruiz`) or a colon before it."""
        if span.single:
            return None
        after = self.text[(span.close_mark if span.close_mark is not None else span.end) : para[1]]
        match = _DASH_NAME.match(after.lstrip("\"”»'"))
        if match:
            at = (
                (span.close_mark or span.end)
                + len(after)
                - len(after.lstrip("\"”»'"))
                + match.start(1)
            )
            return self._framed(match.group(1), at, "direct")
        before = self.text[para[0] : span.open_mark if span.open_mark is not None else span.start]
        match = _COLON_NAME.match(before)
        if match and (match.group(1).isupper() or self._is_person(para[0] + match.start(1))):
            return self._framed(match.group(1), para[0] + match.start(1), "direct")
        return self._label_frame(before, para[0])

    def _label_frame(self, before: str, start: int) -> Attribution | None:
        """`- Manchester City boss Kevin Keegan: "..."`: a verbless label ending in a name."""
        label = before.rstrip()
        if not label.endswith(":") or len(words(label)) > _MAX_LABEL_WORDS:
            return None
        last = self.att.tok(start + len(label) - 2)
        if last is None or last.ent_type_ != "PERSON":
            return None
        ent = next((e for e in self.doc.ents if e.start <= last.i < e.end), None)
        label_span = self.doc.char_span(start, start + len(label) - 1, alignment_mode="expand")
        if ent is None or label_span is None or ent.end != last.i + 1:
            return None
        if any(t.pos_ in {"VERB", "AUX"} for t in label_span):
            return None  # `He told reporters:` is a cue, for the parse to attribute
        return self._framed(ent.text, ent.start_char, "direct")

    def _is_person(self, char: int) -> bool:
        tok = self.att.tok(char)
        return tok is not None and tok.ent_type_ == "PERSON"

    def _framed(self, name: str, char: int, how: How) -> Attribution | None:
        tok = self.att.tok(char)
        if tok is None:
            return None
        name = name.strip().rstrip(".,")
        display = name.title() if name.isupper() else name
        cid = self.att.registry.add_mention(display, "person", tok)
        return Attribution(name, cid, None, how, None)

    def _names_a_term(self, span: QuoteSpan, text: str) -> bool:
        """A few quoted words named by a plan or policy: `plans for "control orders"`.

        Not quoted words that modify a noun (`"grossly disproportionate" powers`): the
        dev gold counts those as the speaker's words, and so do readers.
        """
        if not 1 <= len(words(text)) <= _TERM_WORDS or text.rstrip()[-1:] in ".!?,;:":
            return False
        first = self.att.tok(span.start)
        prev = self._word_before(self.doc[first.i - 1]) if first is not None and first.i else None
        return (
            prev is not None
            and prev.pos_ == "ADP"
            and prev.lower_ not in {"as", "like"}
            and prev.head.pos_ == "NOUN"
            and lemma_of(prev.head).lower() in TERM_HEADS
        )

    def _word_before(self, tok: Token | None) -> Token | None:
        """`tok`, or the nearest token before it that is not punctuation or space."""
        while tok is not None and (tok.is_punct or tok.is_space) and tok.i > 0:
            tok = self.doc[tok.i - 1]
        return tok

    def _after_preposition(self, span: QuoteSpan) -> bool:
        at = span.open_mark if span.open_mark is not None else span.start
        prev = self._word_before(self.att.tok(at - 1)) if at > 0 else None
        if prev is not None and prev.pos_ == "DET" and prev.i > 0:
            prev = self.doc[prev.i - 1]  # "during a \"Commander-in-Chief Forum\""
        # "as" introduces a characterisation ("hailed him as \"The Comeback Kid\""), not a place
        return prev is not None and (
            (prev.pos_ == "ADP" and prev.lower_ != "as") or prev.tag_ == "POS"
        )

    def attribution(self, span: QuoteSpan, cue: Token, subject: Token | None) -> Attribution:
        lemma = cue_lemma(cue)
        if subject is None:
            return Attribution(None, None, lemma, "none", cue.i)
        mention, cluster, kind = self.att.resolve(subject, span.start)
        how: How
        if kind == "pronoun":
            how = "pronoun"
        elif kind == "role":
            how = "role"
        else:
            how = "partial" if self.text[span.start : span.start + 1].islower() else "direct"
        return Attribution(mention, cluster, lemma, how, cue.i)

    # -- attribution from context ---------------------------------------------------------
    def from_context(
        self, span: QuoteSpan, earlier: list[tuple[QuoteSpan, bool, Attribution | None]]
    ) -> Attribution | None:
        para_k = self.para_index(span.start)
        pstart, pend = self.paras[para_k]
        # A quote reported through a noun (`Trump's claim that "..."`) is a fragment in
        # someone else's sentence, not a turn of speech that later quotes continue.
        previous = [
            (s, a)
            for s, sp, a in earlier
            if sp and a is not None and a.mention is not None and not self._through_noun(a)
        ]
        if span.continues and previous:
            return _as(previous[-1][1], "context")
        if self._asks_or_exclaims(span):
            # `"...?" Holmes asked`: the parser ends the sentence at the mark, but the
            # attribution right after it outranks any earlier cue or speaker.
            trailing = self.trailing_attribution(span, pend, opening_only=True)
            if trailing is not None:
                return trailing
        # An attributed quote earlier in the same paragraph: the speaker's turn goes on.
        same_para = [(s, a) for s, a in previous if s.start >= pstart]
        if same_para:
            return _as(same_para[-1][1], "context")
        first = self.att.tok(span.start)
        if first is None:
            return None
        sent = first.sent
        # A cue in an earlier sentence of the same paragraph.
        found = self._cue_in(sent.start - 1, pstart, backwards=True)
        if found is not None:
            return _as(self.attribution(span, *found), "floating")
        if self._fills_sentence(span, sent):
            # "Sanders identified young voters as ... . “The younger people are ...”"
            topic = self._topic_speaker(sent.start - 1, pstart)
            if topic is not None:
                return topic
        trailing = self.trailing_attribution(span, pend)
        if trailing is not None:
            return trailing
        if para_k == 0 or not self._standalone(span, pstart, pend):
            return None
        # A quote paragraph after the paragraph that named its speaker.
        prev_start, prev_end = self.paras[para_k - 1]
        prev_quotes = [(s, a) for s, a in previous if prev_start <= s.start < prev_end]
        if prev_quotes:
            return _as(prev_quotes[-1][1], "context")
        found = self._cue_in(self._tok_before(prev_end), prev_start, backwards=True)
        if found is not None:
            return _as(self.attribution(span, *found), "floating")
        return self._topic_speaker(self._tok_before(prev_end), prev_start)

    def _through_noun(self, attr: Attribution) -> bool:
        return attr.cue_token is not None and self.doc[attr.cue_token].pos_ == "NOUN"

    def _asks_or_exclaims(self, span: QuoteSpan) -> bool:
        return self.text[span.start : span.end].rstrip().endswith(("?", "!"))

    def trailing_attribution(
        self, span: QuoteSpan, pend: int, opening_only: bool = False
    ) -> Attribution | None:
        """`"...." Smith said.`: the attribution in the sentence right after the quote.

        `opening_only`: only a sentence that opens with the speaker or the cue.
        """
        last = self.att.tok(max(span.start, span.end - 1))
        if last is None:
            return None
        nxt_start = last.sent.end
        if nxt_start >= len(self.doc) or self.doc[nxt_start].idx - span.end > _NEXT_SENTENCE_GAP:
            return None
        nxt = self.doc[nxt_start].sent
        found = self._trailing_cue(span, nxt, opening_only) if _text_end(nxt) <= pend else None
        return self.attribution(span, *found) if found is not None else None

    def _trailing_cue(
        self, span: QuoteSpan, sent: Span, opening_only: bool = False
    ) -> tuple[Token, Token] | None:
        """`Smith said.` or `said Smith, ...` opening the sentence right after a quote.

        A short sentence is the quote's frame. A longer one is only when the quote
        ends in `!` or `?`, where the parser breaks the sentence the attribution
        goes on (`"...!" Scott's niece, state Del. Marcia Price (D-Newport News),
        shouted to the crowd`), and it must open with the speaker or the cue: after
        a full stop, a sentence led by a speaker and a speech verb is a new report.
        """
        # The cue heads the sentence (`Holmes asked ...`), not a modifier (`The proposed ...`).
        cue = next((t for t in sent if self.att.is_cue(t) and t.dep_ in _CLAUSE_HEADS), None)
        if cue is None or cue.i - sent.start > _TRAILING_CUE_REACH:
            return None
        subject = self.att.subject_of(cue)
        if subject is None:
            return None
        if len(sent) <= _SHORT_TRAILING_SENTENCE and not opening_only:
            return cue, subject  # `It was a reality, she said.`
        if not self._asks_or_exclaims(span):
            return None
        opening = min(subject.left_edge.i, cue.i)
        if any(not _lead_in(t) for t in self.doc[sent.start : opening]):
            return None
        return cue, subject

    def _fills_sentence(self, span: QuoteSpan, sent: Span) -> bool:
        """The quote is its sentence, apart from marks: nothing else in it could frame it."""
        text = self.text[span.start : span.end]
        outside = [
            t for t in sent if not self.att.quoted[t.i] and not t.is_punct and not t.is_space
        ]
        return sentence_like(text) and not outside

    def _topic_speaker(self, from_tok: int, stop_char: int) -> Attribution | None:
        """A person who is the main subject of the sentence before a standalone quote.

        With no speech verb anywhere, the person the text was just about is the
        best reading of who speaks next; anything else (a plan, a group) is none.
        """
        if from_tok < 0:
            return None
        sent = self.doc[from_tok].sent
        if sent.end_char <= stop_char:
            return None
        subject = next(
            (
                c
                for c in sent.root.children
                if c.dep_ in {"nsubj", "nsubjpass"} and c.idx >= stop_char
            ),
            None,
        )
        if subject is None or self.att.quoted[subject.i]:
            return None
        person = subject.ent_type_ == "PERSON" or subject.lower_ in {"he", "she"}
        if not person:
            return None
        mention, cluster, _ = self.att.resolve(subject, subject.idx)
        if cluster is None:
            return None
        return Attribution(mention, cluster, None, "floating", None)

    def _tok_before(self, char: int) -> int:
        tok = self.att.tok(max(0, char - 1))
        return tok.i if tok is not None else -1

    def _cue_in(self, from_tok: int, stop_char: int, backwards: bool) -> tuple[Token, Token] | None:
        """The last cue in the sentence ending at `from_tok`, one whose subject can speak first."""
        if from_tok < 0:
            return None
        sent = self.doc[from_tok].sent
        if sent.end_char <= stop_char:
            return None
        if sent.start_char < stop_char - 1:
            sent = self.doc.char_span(stop_char, sent.end_char, alignment_mode="expand") or sent
        found: list[tuple[Token, Token]] = []
        for tok in sent:
            if self.att.is_cue(tok):
                subject = self.att.subject_of(tok)
                if subject is not None and not self.att.quoted[subject.i]:
                    found.append((tok, subject))
        # the latest cue whose subject can speak (a name, pronoun or role noun): in "Ruiz
        # explained ... a plan that demands respect", the plan demands nothing aloud
        return min(found, key=lambda f: (subject_quality(f[1]) > 1, -f[0].i), default=None)

    def _standalone(self, span: QuoteSpan, pstart: int, pend: int) -> bool:
        body = len(self.text[pstart:pend].strip())
        return body > 0 and (span.end - span.start) / body >= _STANDALONE_SHARE

    # -- output ---------------------------------------------------------------------------
    def build(
        self, results: list[tuple[QuoteSpan, bool, Attribution | None]]
    ) -> tuple[tuple[Quote, ...], tuple[Entity, ...]]:
        used: dict[int, int] = {}
        quotes: list[Quote] = []
        for span, speech, attr in results:
            if span.single and not speech:
                continue
            text = self.text[span.start : span.end]
            if attr is None or not speech:
                quotes.append(Quote(text, span.start, span.end, speech=speech))
                continue
            entity = None
            if attr.cluster is not None:
                entity = used.setdefault(attr.cluster, len(used))
            quotes.append(
                Quote(
                    text,
                    span.start,
                    span.end,
                    speech=True,
                    speaker_mention=attr.mention,
                    entity=entity,
                    cue=attr.cue,
                    how=attr.how if attr.mention else "none",
                )
            )
        clusters = self.att.registry.clusters
        entities = tuple(clusters[cid].entity() for cid in used)
        return tuple(quotes), entities


def _text_end(sent: Span) -> int:
    """Where a sentence's text ends: the parser hangs the paragraph break on its last word."""
    words = [t for t in sent if not t.is_space]
    return words[-1].idx + len(words[-1].text) if words else sent.start_char


def _as(attr: Attribution, how: How) -> Attribution:
    return Attribution(attr.mention, attr.cluster, attr.cue, how, attr.cue_token)


def _lead_in(tok: Token) -> bool:
    """Punctuation or a conjunction before the speaker: `" And Yelling says`."""
    return tok.is_punct or tok.is_space or tok.dep_ == "cc" or tok.pos_ == "CCONJ"
