"""Stored text made safe to show: no terminal control sequences, no hidden bidi reordering.

Articles and fetched pages are untrusted. An escape sequence in a stored
sentence (``ESC]0;…``, ``ESC[2J``) would retitle or clear the reader's
terminal, and a bidi override (U+202E) reorders what a reader sees without
changing what the text says. Control characters become U+FFFD one for one
(offsets into the text stay valid); in HTML the bidi controls are shown as
their code points, so a manipulated quote is visible as such.
"""
from __future__ import annotations

# Embeddings, overrides and isolates: LRE RLE PDF LRO RLO, LRI RLI FSI PDI.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_C0_C1 = [c for c in range(0x20) if c not in (0x09, 0x0a)] + [0x7f] + list(range(0x80, 0xa0))

_TERMINAL = {c: "\ufffd" for c in _C0_C1} | {ord(ch): "\ufffd" for ch in BIDI_CONTROLS}
_MARKUP = ({c: "\ufffd" for c in _C0_C1 if c != 0x0d}
           | {ord(ch): f"\u27e8U+{ord(ch):04X}\u27e9" for ch in BIDI_CONTROLS})


def terminal_safe(text: str) -> str:
    """``text`` with control characters and bidi controls replaced by U+FFFD
    (same length; newlines and tabs kept)."""
    return text.translate(_TERMINAL)


def markup_safe(text: str) -> str:
    """``text`` for HTML or Markdown: control characters become U+FFFD, bidi
    controls their visible code point (⟨U+202E⟩)."""
    return text.translate(_MARKUP)
