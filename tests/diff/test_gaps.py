"""Gap runs (tracer.diff.gaps) on a hand-made alignment (no model)."""
import numpy as np

from tracer.diff.align import AlignedPair, Alignment, words_of
from tracer.diff.checks import Context
from tracer.diff.gaps import gap_runs


def _context(quote, source, aligned):
    qw, sw = words_of(quote), words_of(source)
    sim = np.zeros((len(qw), len(sw)), np.float32)
    for i, j in aligned:
        sim[i, j] = 0.9
    al = Alignment(quote, source, qw, sw, tuple(AlignedPair(i, j, 0.9) for i, j in aligned), sim)
    return Context(quote, source, "en", "en", al)


def test_a_gap_run_stays_within_its_sentence():
    # "came home" aligned; the rest of each sentence is a gap, and the two gaps touch across the full stop
    ctx = _context("Tom came home tired after work. Exhausted Mary left quickly.", "Tom came home.",
                   [(0, 0), (1, 1), (2, 2)])
    runs = [(ctx.al.quote_words[r.i0].text, ctx.al.quote_words[r.i1 - 1].text) for r in gap_runs(ctx, "q")]
    assert ("tired", "work") in runs and ("Exhausted", "quickly") in runs


def test_runs_joined_by_loosely_covered_words_are_one_gap():
    # "tired after" and "long day" are gaps; "work" between them has only a loose look-alike
    quote, source = "Tom came home tired after work long day.", "Tom came home."
    ctx = _context(quote, source, [(0, 0), (1, 1), (2, 2)])
    ctx.al.sim[5, 2] = 0.75  # "work" resembles "home" (best cosine above BEST_OK, no mutual match)
    runs = gap_runs(ctx, "q")
    assert len(runs) == 1 and runs[0].content >= 4


def test_a_firm_match_between_two_runs_keeps_them_apart():
    quote, source = "Tom came home tired after work long day.", "Tom came home from work."
    ctx = _context(quote, source, [(0, 0), (1, 1), (2, 2), (5, 4)])
    assert len(gap_runs(ctx, "q")) == 2
