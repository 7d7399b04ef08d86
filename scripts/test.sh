#!/usr/bin/env bash
# Set up and run the whole test suite (unit + end-to-end with the real bundled model).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
