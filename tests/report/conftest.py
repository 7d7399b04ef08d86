"""Shared for the report tests: a hand-made trace in the TraceResult.to_dict() shape."""
from __future__ import annotations

import pytest

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)> [link](javascript:alert(1)) ![i](http://evil/x.png)'


def make_trace(quote: str = "you're nothing, go to the bunker", original: str = "ты никто, иди в посадку",
               title: str = HOSTILE) -> dict:
    match = {"rank": 1, "score": 0.04, "doc_id": "gazeta-1", "segment_id": 7, "lang": "ru", "kind": "original",
             "source": "gazeta.ru<b>", "title": "В Раде заявили", "url": "https://example.org/x", "date": "2025-10-01",
             "text": original, "start": 10, "end": 10 + len(original), "context_before": "", "context_after": "",
             "cosine": 0.9, "segment_kind": "quote",
             "sentence": f"«{original}», — заявила Безуглая.", "sentence_start": 0, "signals": {}}
    return {
        "article": {"id": "a1", "text": f"{HOSTILE} “{quote}”", "lang": "en", "title": title, "date": "2025-10-02",
                    "source": "news.example", "url": None, "path": None},
        "claims": [
            {"claim_id": "c1", "kind": "quote", "text": quote, "start": 0, "end": len(quote), "speaker": "she",
             "speaker_ref": "Bezouglya", "anonymous": False, "verdict": "traced", "confidence": 0.91,
             "matches": [match], "chain": [
                 {"doc_id": "a1", "lang": "en", "date": "2025-10-02", "source": "news.example", "role": "article"},
                 {"doc_id": "gazeta-1", "lang": "ru", "date": "2025-10-01", "source": "gazeta.ru", "role": "origin"}]},
            {"claim_id": "c2", "kind": "quote", "text": HOSTILE, "start": 0, "end": 5,
             "speaker": "one military analyst who requested anonymity", "anonymous": True, "verdict": "unsourced",
             "confidence": 0.05, "matches": [], "chain": [{"doc_id": "a1", "lang": "en", "date": None,
                                                           "source": "news.example", "role": "article"}]},
        ],
        "summary": {"by_verdict": {"traced": 1, "paraphrase": 0, "unsourced": 1}, "claims": 2,
                    "top_sources": [{"doc_id": "gazeta-1", "source": "gazeta.ru", "title": HOSTILE, "lang": "ru",
                                     "date": "2025-10-01", "url": None, "claims": 1}]},
    }



@pytest.fixture(scope="session")
def trace_factory():
    return make_trace
