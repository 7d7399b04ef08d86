"""Stable fingerprints of diff issues, so a translator can dismiss a false flag once.

Translation QA tools let a reviewer mark a finding as a false positive and
keep that decision between runs. The mark must survive what changes between
runs without changing the finding: a re-trace that extracts the claim with
other whitespace or quote marks, another passage window, a report made again
next week. So a fingerprint is made of what the finding *is*, never of where
it sits (offsets move whenever the texts are cut differently):

* the issue's kind;
* its quote text and source text, normalised (:func:`normalise`);
* a hash of the two whole texts, normalised, so the same words flagged in
  another sentence pair are a different finding.

All four go through SHA-256; the fingerprint is ``<kind>:<16 hex digits>``
(64 bits: collisions are out of reach for any dismiss file), readable enough
to tell the kind at a glance in a dismiss file.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["normalise", "issue_fingerprint", "FINGERPRINT_RE"]

FINGERPRINT_RE = re.compile(r"^[a-z]+:[0-9a-f]{16}$")

# Typographic variants that extraction or an editor swaps freely.
_FOLD = str.maketrans({
    "‘": "'", "’": "'", "ʼ": "'", "`": "'", "´": "'", "‚": "'", "‹": "'", "›": "'",
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"',
    "–": "-", "—": "-", "‒": "-", "―": "-", "−": "-",
    "ё": "е", "\u00ad": "",
})
_SPACE = re.compile(r"\s+")
# Punctuation and quote marks at the edges are not part of what is said.
_EDGES = "\"'.,;:!?()[]{}-… \t"


def normalise(text: str | None) -> str:
    """``text`` as a fingerprint sees it: NFKC, case-folded, quote marks,
    dashes and ё folded, whitespace collapsed, edge punctuation stripped."""
    s = unicodedata.normalize("NFKC", text or "").casefold().translate(_FOLD)
    return _SPACE.sub(" ", s).strip(_EDGES)


def issue_fingerprint(kind: str, quote_text: str | None, source_text: str | None,
                      quote: str | None, original: str | None) -> str:
    """The fingerprint of one issue of the diff of ``quote`` against ``original``."""
    texts = hashlib.sha256(f"{normalise(quote)}\x1f{normalise(original)}".encode("utf-8")).hexdigest()
    key = "\x1e".join((kind, normalise(quote_text), normalise(source_text), texts))
    return f"{kind}:{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}"
