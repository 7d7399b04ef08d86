#!/usr/bin/env bash
# Set up and run the whole test suite (unit + end-to-end with the real bundled model).
set -euo pipefail
cd "$(dirname "$0")/.."
# The HTML report test and the `tracer serve` browser tests run headless Chromium (Debian's
# package; Playwright, from the test extra that setup.sh installs, drives it through
# executable_path and never downloads a browser of its own). Install it when we can (root
# with apt); without it those tests skip and say why.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "note: could not install chromium; the browser tests will be skipped" >&2
fi
bash scripts/setup.sh
# Playwright is in the test extra; installed here too when TRACER_EXTRAS left it out.
.venv/bin/python -c "import playwright" 2>/dev/null \
  || .venv/bin/python -m pip install -q --disable-pip-version-check "playwright>=1.40"
exec .venv/bin/python -m pytest -q "$@"
