"""Duplicate detection across one build: same id, same text, or near-identical text.

Same text and near-duplicates count only within one outlet (or when one
side's outlet is unknown): a wire story run by two papers is two articles to
a journalist. Near-duplicates use MinHash LSH from datasketch (a maintained, widely used
implementation; banding is easy to get subtly wrong by hand). An LSH hit is
confirmed against the stored signature before it counts.

Memory stays bounded at about 2 KB per article kept (an id, a 16-byte text
hash, 64 32-bit signature values, five LSH buckets): the LSH measured 166 MB
for 100k articles, plus 25 MB of signatures.
"""

from __future__ import annotations

import hashlib
import re
import zlib

import numpy as np

from archive.cache import Memo, remembered
from archive.models import UNKNOWN_OUTLET, Article
from archive.sketches import DATASKETCH_VERSION, LeanMinHash, MinHash, MinHashLSH

_WORD = re.compile(r"\w+")
_SCHEME = "affine32"
_SEED = 1  # datasketch's default, which every MinHash here uses
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant (golden ratio): spreads the bits


def _band_key(band: bytes) -> bytes:
    """LSH buckets keyed by 8 bytes instead of a whole band of hash values."""
    return hashlib.blake2b(band, digest_size=8).digest()


def text_key(text: str) -> bytes:
    """Same text up to case and whitespace -> same key."""
    folded = " ".join(text.casefold().split()).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(folded, digest_size=16).digest()


def shingle_hashes(words: list[str], n: int) -> np.ndarray:
    """32-bit hashes of the distinct runs of `n` words, computed with numpy.

    Each word is hashed once (crc32, in C) and runs are combined arithmetically:
    hashing every joined shingle with SHA-1, datasketch's default, took a third
    of an unchanged rebuild.
    """
    ids = np.fromiter(
        (zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in words),
        dtype=np.uint64,
        count=len(words),
    )
    runs = len(words) - n + 1
    if runs <= 0:
        return np.zeros(0, dtype=np.uint64)
    mixed = np.zeros(runs, dtype=np.uint64)
    for k in range(n):
        mixed = mixed * _MIX + ids[k : k + runs]  # wraps modulo 2**64, as intended
    return np.unique(mixed >> np.uint64(32))


# datasketch's own (b, r) balances misses and false hits equally: 29% of pairs at 0.9
# similarity would never be compared. Candidates are verified, so favour recall:
# weights (0.1, 0.9) give 5 bands x 12 rows for 64 permutations.
_LSH_WEIGHTS = (0.1, 0.9)


def _lsh_shape(threshold: float, num_perm: int, memo: Memo | None) -> tuple[int, int]:
    """The LSH's (bands, rows) as datasketch sizes them, kept in the memo across builds.

    datasketch finds them by numerical integration, which imports scipy (half a
    second; see `archive.sketches`): a build with a memo does that once, ever.
    """

    def compute() -> tuple[int, int]:
        probe = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=_LSH_WEIGHTS)
        return int(probe.b), int(probe.r)

    if memo is None:
        return compute()
    key = f"lsh-shape:{DATASKETCH_VERSION}:{threshold!r}:{num_perm}:{_LSH_WEIGHTS}".encode()
    bands, rows = remembered(
        memo, key, compute, lambda shape: f"{shape[0]} {shape[1]}".encode(), _two_ints
    )
    return bands, rows


def _two_ints(stored: bytes) -> tuple[int, int]:
    first, second = stored.split()
    return int(first), int(second)


class DuplicateFilter:
    """Remembers what it let through; `check` answers whether an article repeats one of them."""

    def __init__(
        self,
        *,
        threshold: float = 0.9,
        num_perm: int = 64,
        shingle_words: int = 5,
        min_words: int = 40,
        max_words: int = 5000,
        memo: Memo | None = None,
    ) -> None:
        self.threshold = threshold
        self.shingle_words = shingle_words
        self.min_words = min_words
        self.max_words = max_words  # bounds the time spent on a huge text
        self._num_perm = num_perm
        self._permutations = MinHash(num_perm=num_perm, scheme=_SCHEME).permutations
        self._lsh = MinHashLSH(
            threshold=threshold,
            num_perm=num_perm,
            params=_lsh_shape(threshold, num_perm, memo),
            hashfunc=_band_key,
        )
        self._ids: set[str] = set()
        self._texts: dict[bytes, list[tuple[int, str]]] = {}
        self._near_ids: list[str] = []
        self._near_outlets: list[int] = []
        self._outlet_codes: dict[str, int] = {}
        self._signatures = np.zeros((1024, num_perm), dtype=np.uint32)
        self._memo = memo
        self._memo_prefix = f"minhash:{num_perm}:{shingle_words}:{min_words}:{max_words}:".encode()

    def __len__(self) -> int:
        return len(self._ids)

    def check(self, article: Article) -> str | None:
        """None when the article is new (and now remembered); else `duplicate of <id> (...)`."""
        if article.id in self._ids:
            return f"duplicate of {article.id} (same id)"
        key = text_key(article.text)
        code = self._outlet_code(article.outlet)
        for other_code, other in self._texts.get(key, ()):
            if self._same_publisher(code, other_code):
                return f"duplicate of {other} (same text)"
        signature = self._remembered_signature(key, article.text)
        if signature is not None:
            match = self._near_match(signature, article.outlet)
            if match is not None:
                other, similarity = match
                return f"duplicate of {other} (near-duplicate, {similarity:.0%} similar)"
        self._ids.add(article.id)
        self._texts.setdefault(key, []).append((code, article.id))
        if signature is not None:
            self._remember(article, signature)
        return None

    def _remembered_signature(self, key: bytes, text: str) -> MinHash | None:
        """The signature, from the memo when this text (up to case and spacing) was seen before."""
        if self._memo is None:
            return self._signature(text)
        return remembered(
            self._memo,
            self._memo_prefix + key,
            lambda: self._signature(text),
            lambda sketch: b"" if sketch is None else sketch.hashvalues.tobytes(),
            self._stored_signature,
        )

    def _stored_signature(self, stored: bytes) -> MinHash | None:
        if not stored:
            return None  # too short to sign, as `_signature` found
        values = np.frombuffer(stored, dtype=np.uint32).copy()
        # Lean: LSH reads only the hash values; a full MinHash copies its permutations too.
        return LeanMinHash(seed=_SEED, hashvalues=values, scheme=_SCHEME)

    def _signature(self, text: str) -> MinHash | None:
        words = _WORD.findall(text[: self.max_words * 20].casefold())[: self.max_words]
        if len(words) < self.min_words:
            return None  # short texts share too many shingles by chance
        sketch = MinHash(
            num_perm=self._num_perm,
            permutations=self._permutations,
            scheme=_SCHEME,
            hashfunc=int,
        )
        sketch.update_batch(shingle_hashes(words, self.shingle_words).tolist())
        return sketch

    def _outlet_code(self, outlet: str) -> int:
        return self._outlet_codes.setdefault(outlet, len(self._outlet_codes))

    def _same_publisher(self, a: int, b: int) -> bool:
        """Same outlet, or one unknown: a wire story run by two papers is two articles."""
        return a == b or self._outlet_code(UNKNOWN_OUTLET) in (a, b)

    def _near_match(self, sketch: MinHash, outlet: str) -> tuple[str, float] | None:
        code = self._outlet_code(outlet)
        best: tuple[str, float] | None = None
        for index in self._lsh.query(sketch):
            if not self._same_publisher(code, self._near_outlets[index]):
                continue
            similarity = float(np.mean(self._signatures[index] == sketch.hashvalues))
            if similarity >= self.threshold and (best is None or similarity > best[1]):
                best = (self._near_ids[index], similarity)
        return best

    def _remember(self, article: Article, sketch: MinHash) -> None:
        index = len(self._near_ids)
        if index == len(self._signatures):
            grown = np.zeros((index * 2, self._num_perm), dtype=np.uint32)
            grown[:index] = self._signatures
            self._signatures = grown
        self._signatures[index] = sketch.hashvalues
        self._near_ids.append(article.id)
        self._near_outlets.append(self._outlet_code(article.outlet))
        self._lsh.insert(index, sketch, check_duplication=False)
