#!/usr/bin/env bash
# Nightly index rebuild: fetch new material from the configured sources, ingest it, embed only
# what is new, publish index version N+1 atomically, keep the last K versions, record the run.
# Lookups keep working throughout; a failed or killed night leaves yesterday's version serving,
# and the next run recovers by itself.
#
# Usage: scripts/nightly-rebuild.sh          (no arguments: the settings below come from the
#        scripts/nightly-rebuild.sh --help    environment; --help prints this and runs nothing)
#
# Exit codes (passed through from `tracer rebuild`):
#   0 ok · 1 some sources or pages failed (index rebuilt anyway) · 2 bad sources file · 3 failed:
#   every source failed, or an index problem (nothing published) · 75 another rebuild holds the
#   lock · 70 internal error
# The last line on stdout is the monitoring line, e.g.
#   tracer-rebuild status=ok version=v000012 docs_new=37 segments=12345 embedded=512 seconds=81.2 errors=0 sources_failed=0 exit=0
#
# Settings (environment):
#   TRACER_INDEX     index directory            (default: indexes/default)
#   TRACER_SOURCES   sources file               (default: corpora/sources.toml)
#   TRACER_BIN       tracer executable          (default: .venv/bin/tracer, else `tracer` on PATH)
#   TRACER_LOG_DIR   also append output here    (default: none; systemd's journal or cron's mail
#                                                 get it anyway)
#   TRACER_WAIT      seconds to wait for a running rebuild before giving up with 75 (default: 0)
#
# Cron (03:15 every night, low priority; see scripts/systemd/crontab.example):
#   15 3 * * * cd /opt/tracer && nice -n 10 scripts/nightly-rebuild.sh >>/var/log/tracer/rebuild.log 2>&1
# systemd: scripts/systemd/tracer-rebuild.service + tracer-rebuild.timer
set -uo pipefail

if [ $# -gt 0 ]; then
  case "$1" in
    -h|--help)
      # The comment block above is the help: print it without the leading '# '.
      sed -n '2,/^set -uo pipefail/p' "$0" | sed -e '/^set -uo pipefail/d' -e 's/^# \{0,1\}//'
      exit 0 ;;
    *)
      echo "nightly-rebuild.sh: takes no arguments (settings come from the environment); see --help" >&2
      exit 2 ;;
  esac
fi

cd "$(dirname "$0")/.."

INDEX=${TRACER_INDEX:-indexes/default}
SOURCES=${TRACER_SOURCES:-corpora/sources.toml}
WAIT=${TRACER_WAIT:-0}
if [ -n "${TRACER_BIN:-}" ]; then
  TRACER=("$TRACER_BIN")
elif [ -x .venv/bin/tracer ]; then
  TRACER=(.venv/bin/tracer)
elif command -v tracer >/dev/null 2>&1; then
  TRACER=(tracer)
else
  TRACER=(python3 -m tracer)
fi

cmd=("${TRACER[@]}" --quiet --index "$INDEX" rebuild --fetch --config "$SOURCES" --wait "$WAIT")
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) nightly-rebuild: ${cmd[*]}" >&2

if [ -n "${TRACER_LOG_DIR:-}" ]; then
  mkdir -p "$TRACER_LOG_DIR"
  log="$TRACER_LOG_DIR/rebuild-$(date -u +%Y%m%d).log"
  "${cmd[@]}" 2> >(tee -a "$log" >&2) | tee -a "$log"
  rc=${PIPESTATUS[0]}
else
  "${cmd[@]}"
  rc=$?
fi
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) nightly-rebuild: exit $rc" >&2
exit "$rc"
