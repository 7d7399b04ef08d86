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
# Convert the bundled model once (int8 ONNX graph and tokenizer tables, under $TRACER_HOME/models,
# default ~/.cache/tracer): otherwise the first command a user runs pays ~5 s and ~1.4 GB for it.
.venv/bin/python -c "from tracer.encoders.factory import prepare; prepare()"
