#!/usr/bin/env bash
# Set up and run the whole test suite (unit + end-to-end with the real bundled model).
set -euo pipefail
cd "$(dirname "$0")/.."
# The HTML report test renders the report in headless Chromium (Debian's package).
# Install it when we can (root with apt); without it that one test skips and says why.
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "note: could not install chromium; the screenshot test will be skipped" >&2
fi
bash scripts/setup.sh
exec .venv/bin/python -m pytest -q "$@"
