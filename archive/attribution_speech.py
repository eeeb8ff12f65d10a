"""Is a quoted span speech, or a title, nickname, slogan or scare quote?

Evidence, not a phrase list: what governs the span (`titled`, `dubbed`,
`so-called`, `a banner reading`), its form (a few title-cased words with no
sentence punctuation read as a name) and its length (one or two words with no
cue nearby are scare quotes).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from archive.attributes import lemma_of
from archive.cues import CUE_VERBS, NAMING_LEMMAS, NAMING_PREFIXES, SIGN_NOUNS

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENTENCE_END = ".!?…,;:"
_SENTENCE_BREAK = re.compile(r"(?<![A-Z])[.!?…][)\]]*\s+")  # not after an initial: `J. Smith`
_MARKS = ('"', "“", "”", "«", "»", "''")
_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "in",
    "on",
    "at",
    "to",
    "for",
    "from",
    "by",
    "with",
    "vs",
    "de",
}
SHORT_WORDS = 3  # an unattributed quote this short or shorter is a scare quote
SENTENCE_WORDS = 5  # an unattributed quote this long, with sentence form, is still speech


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def doc_text(doc: Doc) -> str:
    """`Doc.text` rebuilds the whole string on every access: keep one copy per doc."""
    text = doc.user_data.get("whosaid.text")
    if text is None:
        text = doc.user_data["whosaid.text"] = doc.text
    return str(text)


def named_by_frame(doc: Doc, open_mark: int | None, start: int, floor: int = 0) -> bool:
    """True when the words just before the opening mark introduce a name, not speech.

    Only the words since `floor` (the paragraph start) and since the last
    quotation mark count: a frame never reaches into another quote.
    """
    at = open_mark if open_mark is not None else start
    lo = max(floor, at - 60)
    text = doc_text(doc)
    marks = [text.rfind(m, lo, at) for m in _MARKS]
    lo = max([lo, *(m + 1 for m in marks if m >= 0)])
    # A frame never reaches back over a sentence end either: `... told the BBC's
    # Newsnight programme. "Since I came ..."` opens a new sentence of speech.
    ends = [m.end() for m in _SENTENCE_BREAK.finditer(text, lo, at)]
    lo = max([lo, *ends])
    window = text[lo:at].lower()
    if any(window.rstrip(" ,:").endswith(p) for p in NAMING_PREFIXES):
        return True
    span = doc.char_span(lo, at, alignment_mode="contract")
    if span is None:
        return False
    toks = [t for t in span if not t.is_punct and not t.is_space][-3:]
    for k, tok in enumerate(reversed(toks)):
        lemma = lemma_of(tok).lower()
        if tok.pos_ in {"NOUN", "PROPN"}:
            # "the documentary 'X'", "the slogan 'X'": a naming noun right before the mark
            if k == 0 and (lemma in NAMING_LEMMAS or tok.lower_ in NAMING_LEMMAS):
                if window.rstrip().endswith(":") and _told_to(tok):
                    continue  # "he told BBC Radio 4's Today programme: ..." introduces speech
                return True
            continue
        if lemma in NAMING_LEMMAS and lemma != "read":
            return True  # titled, dubbed, nicknamed, branded ...
        if lemma == "read" and (tok.tag_ == "VBG" or tok.dep_ == "acl"):
            return True  # "a banner reading"
        if lemma == "call" and (
            tok.tag_ == "VBN"
            or (tok.dep_ in {"acl", "amod"} and not any(c.dep_ == "dobj" for c in tok.children))
        ):
            return True  # "a program called", passive naming; "calling the plan ..." judges
        if tok.pos_ in {"VERB", "AUX"} and lemma not in {"be"}:
            break
    return False


def _told_to(noun: Token) -> bool:
    """The noun is whom or where a speech verb spoke: `told the programme`, `said on the show`."""
    head = noun.head
    if head.pos_ == "ADP" and head.head.i != head.i:
        head = head.head
    return head.i != noun.i and head.pos_ in {"VERB", "AUX"} and lemma_of(head).lower() in CUE_VERBS


def is_word_mention(text: str) -> bool:
    """One plain word in quotes ("deplorables", "fair") cites a word, not a statement."""
    ws = words(text)
    return len(ws) == 1 and "-" not in ws[0]


def looks_like_title(text: str) -> bool:
    """A few capitalised words with no sentence punctuation: a title or name."""
    ws = words(text)
    if not 1 <= len(ws) <= 8 or text.rstrip(" ,.")[-1:] in _SENTENCE_END:
        return False
    content = [w for w in ws if w.lower() not in _SMALL_WORDS]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


def is_thing(lemma: str) -> bool:
    """Signs, banners and titles "say" things without being speakers."""
    return lemma in SIGN_NOUNS


def sentence_like(text: str) -> bool:
    """Long enough, or shaped like a sentence, to stand as a quotation on its own."""
    ws = words(text)
    if len(ws) >= SENTENCE_WORDS + 2:
        return True
    stripped = text.strip()
    return (
        len(ws) >= SENTENCE_WORDS - 1 and stripped[:1].isupper() and stripped[-1:] in _SENTENCE_END
    )
