#!/usr/bin/env bash
# Create ./.venv (once) and install tracer into it. Idempotent; used by demo.sh and test.sh.
# torch is pinned to 2.13.0 in pyproject.toml: that version resolves to the local CPU wheel here,
# whereas an unpinned torch would pull several GB of CUDA packages.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[${TRACER_EXTRAS:-test}]"
