"""Centring and reference neighbourhoods: the space every vector is compared in."""
import numpy as np
import pytest

from tracer.index.reference import ReferenceSpace, from_vectors, shipped_reference, unit_rows
from tracer.index.space import centre, column_of, neighbourhood, neighbourhoods


def test_centring_removes_each_languages_offset_and_keeps_unit_length():
    rng = np.random.default_rng(1)
    offset = np.zeros(8, dtype=np.float32)
    offset[0] = 3.0
    en = unit_rows(rng.normal(size=(300, 8)).astype(np.float32) + offset)
    uk = unit_rows(rng.normal(size=(300, 8)).astype(np.float32) - offset)
    means = {"en": en.mean(axis=0), "uk": uk.mean(axis=0)}
    out = centre(np.vstack([en, uk]), ["en"] * 300 + ["uk"] * 300, means)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert abs(out[:300, 0].mean()) < 0.1 < abs(en[:, 0].mean())  # the language offset is gone
    untouched = centre(en[:2], ["de", "de"], means)  # a language without a mean stays as it was
    np.testing.assert_allclose(untouched, en[:2], atol=1e-6)


def test_neighbourhood_is_the_mean_of_the_k_nearest_and_skips_verbatim_copies():
    sample = unit_rows(np.eye(4, dtype=np.float32) + 0.01)
    q = sample[:1]
    sims = (q @ sample.T)[0]
    expected = np.sort(sims[1:])[::-1][:2].mean()  # itself (cosine 1) is no neighbour
    assert neighbourhood(q, sample, 2)[0] == pytest.approx(expected, abs=1e-6)
    assert neighbourhood(q, sample[:0], 2)[0] == 0.0


def test_neighbourhoods_have_one_column_per_reference_language():
    rng = np.random.default_rng(0)
    ref = ReferenceSpace("enc", {"en": np.zeros(8, np.float32), "ru": np.zeros(8, np.float32)},
                         {"en": unit_rows(rng.normal(size=(20, 8)).astype(np.float32)),
                          "ru": unit_rows(rng.normal(size=(30, 8)).astype(np.float32))})
    x = unit_rows(rng.normal(size=(5, 8)).astype(np.float32))
    out, columns = neighbourhoods(x, ref, 3)
    assert columns == ["en", "ru"] and out.shape == (5, 2)
    np.testing.assert_allclose(out[:, 1], neighbourhood(x, ref.samples["ru"], 3), atol=1e-6)
    assert column_of(columns, "ru") == 1 and column_of(columns, "uk") is None


def test_reference_round_trips_and_is_completed_from_the_index(tmp_path):
    rng = np.random.default_rng(2)
    base = ReferenceSpace("enc", {"en": np.ones(8, np.float32)}, {"en": unit_rows(rng.normal(size=(10, 8)))},
                          "shipped")
    vectors = rng.normal(size=(450, 8)).astype(np.float32)
    langs = ["de"] * 250 + ["fr"] * 150 + ["en"] * 50
    ref = from_vectors("enc", vectors, langs, base=base, source="index")
    assert ref.langs == ["de", "en"]  # fr has too few segments to be centred on its own mean
    np.testing.assert_allclose(ref.means["en"], 1.0)  # the shipped language is kept as shipped
    np.testing.assert_allclose(ref.means["de"], vectors[:250].mean(axis=0), atol=1e-6)
    assert "own statistics for de" in ref.source
    ref.save(tmp_path / "r.npz")
    back = ReferenceSpace.load(tmp_path / "r.npz")
    assert back.langs == ref.langs and back.encoder_id == "enc"
    np.testing.assert_allclose(back.samples["de"], ref.samples["de"], atol=1e-3)


def test_statistics_ship_for_the_default_encoder():
    from tracer.config import Settings
    from tracer.encoders.factory import encoder_for

    ref = shipped_reference(encoder_for(Settings()).id)
    assert ref is not None and {"en", "ru", "uk"} <= set(ref.langs)
    assert "WMT23 fit half" in ref.source
    assert all(s.shape[1] == 384 and 1000 <= len(s) <= 2000 for s in ref.samples.values())
    assert shipped_reference("some/other/encoder") is None
