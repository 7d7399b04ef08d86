"""Small builders shared by the trace unit tests."""

from tracer.types import Match


def match(doc, score=0.05, seg=1, *, lang="uk", cosine=0.85, date=None, **kw):
    """A candidate passage as the lookup returns it."""
    return Match(rank=1, score=score, doc_id=doc, segment_id=seg, lang=lang, kind="original", source=doc,
                 title=None, url=None, date=date, text=kw.pop("text", "t"), start=kw.pop("start", 0),
                 end=kw.pop("end", 1), context_before="", context_after="", cosine=cosine,
                 signals=kw.pop("signals", {}), **kw)
