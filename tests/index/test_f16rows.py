"""Float16 rows for re-ranking: spooled to disk while building, read back by position."""
from __future__ import annotations

import numpy as np
import pytest

from tracer.index.f16rows import FILE_NAME, Float16Rows


@pytest.mark.parametrize("mmap", [True, False])
def test_append_save_load_read(tmp_path, mmap):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((5000, 24)).astype(np.float32)
    rows = Float16Rows(24)
    rows.append(x[:1000])
    rows.append(x[1000:])
    want = x.astype(np.float16).astype(np.float32)
    picks = np.array([4999, 0, 17, 17, 2500])
    np.testing.assert_array_equal(rows.rows(picks), want[picks])  # while building
    rows.save(tmp_path)
    assert np.array_equal(np.load(tmp_path / FILE_NAME), x.astype(np.float16))
    loaded = Float16Rows.load(tmp_path, 24, mmap=mmap)
    assert len(loaded) == 5000
    np.testing.assert_array_equal(loaded.rows(picks), want[picks])
    many = rng.integers(0, 5000, 4500)  # a bulk read
    np.testing.assert_array_equal(loaded.rows(many), want[many])
    assert loaded.rows(np.zeros(0, np.int64)).shape == (0, 24)
    with pytest.raises(ValueError, match="read-only"):
        loaded.append(x[:1])
    loaded.save(tmp_path / "copy") if (tmp_path / "copy").mkdir() is None else None
    assert np.array_equal(np.load(tmp_path / "copy" / FILE_NAME), x.astype(np.float16))
