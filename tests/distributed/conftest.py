import os
import shutil
import tempfile

import pytest

from paths import ROOT


@pytest.fixture(scope="session")
def ray_cluster():
    """A real Ray cluster on this machine (2 CPUs, no dashboard), shut down
    after the session. Its workers import tracer and the test helpers from
    this checkout."""
    ray = pytest.importorskip("ray", reason="the ray extra is not installed (pip install -e '.[ray]')")
    # short: Ray's socket paths must fit in 107 characters
    temp = tempfile.mkdtemp(prefix="ray", dir="/tmp")
    path = os.pathsep.join([str(ROOT), str(ROOT / "tests")])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _temp_dir=temp,
             runtime_env={"env_vars": {"PYTHONPATH": path, "HF_HUB_OFFLINE": "1"}})
    try:
        yield ray
    finally:
        ray.shutdown()
        shutil.rmtree(temp, ignore_errors=True)
