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
