"""Short remarks a fact-checker would jot next to a traced claim."""
from __future__ import annotations

from typing import Any

from ..types import Match
from .claims import Claim

__all__ = ["claim_notes", "source_attribution"]

# name_similarity at or above this: the same person (tracer.text.translit).
SAME_SPEAKER = 0.75


def source_attribution(claim: Claim, top: Match) -> dict[str, Any] | None:
    """Who the source passage gives the words to, against who the article does.

    ``{"article_speaker", "source_speaker", "source_kind", "agrees"}``:
    ``source_kind`` is "quote" (the passage is inside quotation marks or a
    reported statement with its speaker) or "narration" (the outlet's own
    words); None when the claim names no speaker (nothing to compare). An
    unnamed source ("a former soldier") disagrees with a source passage that
    names its speaker (words the source gives to someone by name were not an
    anonymous insider's) and, for words in quotation marks, with the outlet's
    own narration; reported speech from an unnamed source may retell narration.
    """
    said_by = claim.speaker_ref or claim.speaker
    if claim.kind == "numeric" or not said_by:
        return None
    from ..text.translit import name_similarity
    from .speakers import is_pronoun

    sentence = top.sentence or top.text
    lo = top.start - top.sentence_start
    covering = _covering(sentence, lo, lo + len(top.text), top.lang)
    if any(is_pronoun(c.speaker) and not c.speaker_ref for c in covering) and top.context_before.strip():
        # «По его словам» after «Сырский заявил, ...»: the passage before says who "his" is
        # (a paragraph break keeps a headline from running into the sentence)
        lead = top.context_before.strip() + "\n\n"
        covering = _covering(lead + sentence, len(lead) + lo, len(lead) + lo + len(top.text), top.lang)
    # a pronoun nothing before it resolves names nobody: it cannot contradict the article's speaker
    speakers = [spk for c in covering if (spk := c.speaker_ref or c.speaker) and not c.anonymous
                and not is_pronoun(spk)]
    if top.segment_kind == "quote" or covering:
        kind, source_speaker = "quote", (speakers[0] if speakers else None)
    else:
        kind, source_speaker = "narration", None
    if claim.anonymous:
        # words in quotation marks that the source has as its own narration were put in
        # an unnamed insider's mouth; reported speech may fairly retell narration
        if source_speaker is None and not (kind == "narration" and claim.kind == "quote"):
            return None
        return {"article_speaker": said_by, "source_speaker": source_speaker, "source_kind": kind, "agrees": False}
    agrees = kind == "quote" and (source_speaker is None or name_similarity(said_by, source_speaker) >= SAME_SPEAKER
                                  or said_by.split()[-1].lower() in source_speaker.lower()
                                  or source_speaker.split()[-1].lower() in said_by.lower())
    return {"article_speaker": said_by, "source_speaker": source_speaker, "source_kind": kind, "agrees": agrees}


def _covering(text: str, lo: int, hi: int, lang: str) -> list[Claim]:
    """The claims of ``text`` (not bare figures) that overlap [lo, hi)."""
    from .claims import extract_claims

    return [c for c in extract_claims(text, lang) if c.kind != "numeric" and c.start < hi and lo < c.end]


def claim_notes(claim: Claim, top: Match | None, verdict: str, late: int, lang: str) -> list[str]:
    """Short remarks a fact-checker would jot next to the claim."""
    notes: list[str] = []
    if claim.anonymous:
        notes.append(f"attributed to an unnamed source ({claim.speaker})" if claim.speaker
                     else "attributed to an unnamed source")
    if claim.kind == "quote" and not claim.speaker:
        notes.append("no speaker given for this quote")
    if late:
        notes.append(f"{late} candidate{'s' if late > 1 else ''} published after the article set aside (date rule)")
    if top is None:
        notes.append("nothing in the index resembles this claim")
        return notes
    if verdict == "unsourced":
        notes.append(f"no credible origin in the index; the closest passage ({top.source or top.doc_id}: "
                     f"“{_short(top.text)}”) does not carry this claim")
        return notes
    attribution = source_attribution(claim, top)
    if attribution and not attribution["agrees"]:
        if attribution["source_kind"] == "narration":
            notes.append(f"attribution: the article gives these words to {attribution['article_speaker']}; "
                         f"in the source ({top.source or top.doc_id}) they are the outlet's own narration")
        else:
            given = (f"an unnamed source ({attribution['article_speaker']})" if claim.anonymous
                     else attribution["article_speaker"])
            notes.append(f"attribution: the article gives these words to {given}; "
                         f"the source gives them to {attribution['source_speaker']}")
    notes.extend(_figure_notes(claim.text, lang, top.text, top.lang))
    notes.extend(_name_notes(claim.text, lang, top.text, top.lang))
    return notes


def _short(text: str, limit: int = 70) -> str:
    s = " ".join(text.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _figure_notes(a: str, a_lang: str, b: str, b_lang: str) -> list[str]:
    from ..text.numbers import extract_numbers, numbers_agree

    na = [m for m in extract_numbers(a, a_lang) if m.kind != "ordinal"]
    nb = [m for m in extract_numbers(b, b_lang) if m.kind != "ordinal"]
    if not na and not nb:
        return []
    pairs, only_a, only_b = numbers_agree(na, nb)
    notes = []
    if pairs:
        notes.append("figures agree: " + "; ".join(f"{x.text} = {y.text}" for x, y in pairs))
    if only_a or only_b:
        left = ", ".join(x.text for x in only_a) or "none"
        right = ", ".join(y.text for y in only_b) or "none"
        notes.append(f"figures differ: article has {left}; source has {right}")
    return notes


def _name_notes(a: str, a_lang: str, b: str, b_lang: str) -> list[str]:
    from ..text.names import extract_names, match_names

    na, nb = extract_names(a, a_lang), extract_names(b, b_lang)
    if not na or not nb:
        return []
    pairs, _, _ = match_names(na, nb)
    if not pairs:
        return []

    def show(x: Any) -> str:
        return str(getattr(x, "text", x))

    return ["names agree across scripts: " + "; ".join(f"{show(x)} = {show(y)}" for x, y in pairs)]
