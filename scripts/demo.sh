#!/usr/bin/env bash
# Set up, then run the main job on the shipped example corpus: ingest the candidate originals
# (corpora/example) and the two English seed articles, build the index, and look up quotes
# taken from the seed articles.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
T=".venv/bin/tracer --index indexes/example"
SEEDS=${TRACER_SEEDS:-../shared/seeds}

$T ingest corpora/example
if [ -d "$SEEDS" ]; then
  $T ingest "$SEEDS" --kind article --lang en
else
  echo "note: $SEEDS not found; only the example corpus is indexed" >&2
fi
$T build

$T lookup "At the moment, we have SOUs as many as there were troops before the full-scale invasion" --k 3 --kind original
$T lookup "The causes of mass desertions were 'strange orders' from command, non-reformed training centers and practice, where 'you're nothing, go to the bunker'" --k 3 --lang uk,ru
$T lookup "Syrsky warned that any peace agreement with Russia that involves ceding territory would be unacceptable to Ukraine" --k 3 --kind original
$T lookup "It's a tragic situation where some soldiers are choosing to align with groups that are directly opposing their own country" --k 2 --kind original
