"""What ``tracer trace`` reports: a verdict, confidence and chain per claim."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..types import Match
from .article import ArticleInfo
from .chains import ChainHop
from .claims import Claim
from .verdict import VERDICTS

__all__ = ["ClaimTrace", "TraceResult"]


@dataclass(frozen=True)
class ClaimTrace:
    """A claim with its candidate origins, verdict, confidence and chain."""

    claim: Claim
    verdict: str
    confidence: float
    matches: tuple[Match, ...]
    chain: tuple[ChainHop, ...]
    features: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    set_aside_later: int = 0  # candidates dropped by the date rule
    # who the source gives the words to (tracer.trace.notes.source_attribution)
    attribution: dict[str, Any] | None = None

    @property
    def origin(self) -> ChainHop | None:
        """The earliest source of the chain (None for unsourced claims)."""
        return self.chain[-1] if len(self.chain) > 1 else None

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        origin = self.origin
        return {
            "claim_id": c.claim_id,
            "kind": c.kind,
            "text": c.text,
            "start": c.start,
            "end": c.end,
            "speaker": c.speaker,
            "verdict": self.verdict,
            "confidence": round(self.confidence, 4),
            "matches": [m.to_dict() for m in self.matches],
            "chain": [h.to_dict() for h in self.chain],
            # additions to the contract
            "speaker_ref": c.speaker_ref,
            "anonymous": c.anonymous,
            "parts": [list(p) for p in c.parts],
            "origin": origin.to_dict() if origin else None,
            "features": {k: round(v, 4) for k, v in self.features.items()},
            "notes": list(self.notes),
            "attribution": self.attribution,
            "set_aside_later": self.set_aside_later,
        }


@dataclass(frozen=True)
class TraceResult:
    """Everything ``tracer trace`` reports about one article."""

    article: ArticleInfo
    claims: tuple[ClaimTrace, ...]
    warnings: tuple[str, ...] = ()

    def by_verdict(self) -> dict[str, int]:
        counts = Counter(c.verdict for c in self.claims)
        return {v: counts.get(v, 0) for v in VERDICTS}

    def top_sources(self, n: int = 5) -> list[dict[str, Any]]:
        """Documents the sourced claims come from, most claims first."""
        counts: Counter[str] = Counter()
        hops: dict[str, ChainHop] = {}
        for c in self.claims:
            for hop in c.chain[1:]:
                counts[hop.doc_id] += 1
                hops.setdefault(hop.doc_id, hop)
        out = []
        for doc_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]:
            h = hops[doc_id]
            out.append({"doc_id": doc_id, "source": h.source, "title": h.title, "lang": h.lang,
                        "date": h.date, "url": h.url, "claims": count})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "claims": [c.to_dict() for c in self.claims],
            "summary": {"by_verdict": self.by_verdict(), "top_sources": self.top_sources(),
                        "claims": len(self.claims), "warnings": list(self.warnings)},
        }
