"""Linear-time lookups of the speaker model: same answers as the searches they replace."""
import random
import re
import time

from tracer.trace.scan import PlaceFollowers, SpanSet, suffixes
from tracer.trace.claims import extract_claims

PREPS = ("in", "to", "from", "into", "inside")
WORDS = ["in", "to", "the", "kyiv", "paris", "according", "from", "into", "inside", "st", "st.louis",
         "o'neil", "hague", "london_x", "new-york", "said", ",", "."]


def _regex_answer(low_text: str, word: str) -> bool:
    pattern = rf"(?<!according )\b(?:{'|'.join(PREPS)})\s+(?:the\s+)?{re.escape(word)}\b"
    return bool(re.search(pattern, low_text))


def test_place_followers_match_the_regex_they_replace():
    rng = random.Random(7)
    for _ in range(300):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 25)))
        followers = PlaceFollowers(text, PREPS)
        for word in set(WORDS) - {",", "."}:
            assert followers(word) == _regex_answer(text, word), (text, word)


def test_span_set_and_suffixes_match_the_scans_they_replace():
    rng = random.Random(3)
    for _ in range(200):
        spans = [(a, a + rng.randint(0, 15)) for a in (rng.randint(0, 60) for _ in range(rng.randint(0, 6)))]
        covered = SpanSet(spans)
        for pos in range(-2, 80):
            assert covered.covers(pos) == any(s <= pos < e for s, e in spans)
    speakers = ["mariyan bezouglya", "the minister", "bezouglya"]
    sfx = suffixes(speakers)
    for probe in ("bezouglya", "minister", "ya", "", "mariyan", "the minister", "x"):
        assert (probe in sfx) == any(s.endswith(probe) for s in speakers)


def test_claim_extraction_grows_linearly_with_the_article():
    # Before, each name mention searched the whole text: 4x the text cost ~12x the time.
    para = ("Ukraine's defence minister Oleksii Reznikov said on Monday that 250,000 troops were in Kyiv. "
            "\"We will hold the line,\" he told reporters in London, according to Reuters. "
            "Officials from Paris and Berlin said aid to the Hague court would continue. ")
    names = ["Smith", "Jones", "Brown", "Taylor", "Wilson", "Davies", "Evans", "Thomas", "Roberts", "Walker"]
    paras = [para.replace("Reznikov", names[i % 10] + str(i // 10 and chr(65 + i % 26))) for i in range(400)]

    def cpu(n: int) -> float:
        text = "\n\n".join(paras[:n])
        best = float("inf")
        for _ in range(2):
            t0 = time.process_time()
            extract_claims(text, "en")
            best = min(best, time.process_time() - t0)
        return best

    small, large = cpu(100), cpu(400)
    assert large < 7 * small, (small, large)
