#!/usr/bin/env bash
# run.sh TARGET SEEDS SECONDS ARTIFACTS - one fuzz target as a ctest test:
# every checked-in seed once (a regression check: each fixed finding keeps
# its input there), then SECONDS of fuzzing from a scratch copy of the
# seeds. A crash, leak, sanitizer report or timeout fails the test and its
# input is kept in ARTIFACTS (crash-*, leak-*, timeout-*).
set -euo pipefail
target=$1 seeds=$2 seconds=$3 artifacts=$4
mkdir -p "$artifacts"
scratch=$(mktemp -d "${TMPDIR:-/tmp}/lvfuzz-corpus.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
name=$(basename "$target")
common=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$artifacts/$name-")
"$target" "${common[@]}" -runs=0 "$seeds"
log="$artifacts/$name.log"
status=0
"$target" "${common[@]}" -max_total_time="$seconds" -print_final_stats=1 "$scratch" "$seeds" \
  >"$log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
  tail -n 60 "$log"
  echo "$name: failed (exit $status); full log in $log, input in $artifacts"
  exit 1
fi
grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$log"
