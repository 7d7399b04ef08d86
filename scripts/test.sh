#!/usr/bin/env bash
# Set up and run the whole test suite (unit + end-to-end with the real bundled model), then check
# that a plain install (no extras) reads HTML. Arguments go to pytest; with arguments (one file, -k,
# -m "not e2e") only the suite runs.
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
if [ $# -gt 0 ]; then
  exec .venv/bin/python -m pytest -q "$@"
fi
status=0
.venv/bin/python -m pytest -q || status=$?

# A plain `pip install -e .` (no extras) must read HTML files, HTML articles and fetched pages:
# the `test` extra once pulled in a package the HTML path needs, so CI was green while a plain
# install failed on every page. .venv-plain gets tracer without extras, plus pytest to run the
# HTML tests (pytest brings none of tracer's dependencies).
PY=${PYTHON:-python3}
if [ ! -x .venv-plain/bin/python ]; then
  "$PY" -m venv .venv-plain
fi
.venv-plain/bin/python -m pip install -q --disable-pip-version-check -e . pytest
echo "plain install (no extras): HTML ingest, trace and fetch tests" >&2
.venv-plain/bin/python -m pytest -q -p no:cacheprovider -m "not e2e" \
  tests/ingest/test_ingest.py::test_html_main_text_only \
  tests/trace/test_trace.py::test_html_article_offsets_index_extracted_text \
  tests/sources/test_fetch.py || status=$?
exit "$status"
