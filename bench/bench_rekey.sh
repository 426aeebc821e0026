#!/usr/bin/env bash
# bench_rekey.sh - time and peak memory of `leadvault rekey` and `rekey
# --reencrypt` on vaults of 100k and 1M leads (issue 15, acceptance 7).
# Not a test; by hand:
#
#   bench/bench_rekey.sh build/leadvault [ROWS ...]     (default: 100000 1000000)
#
# Each vault is a new one at the KDF floor, filled by `leadvault import` of
# a file made by tests/data/genleads.py (seed 7, datablist layout: every
# lead has an email and a phone, so two index tags each), then rekeyed
# twice: plain, then --reencrypt. Times are wall clock from /usr/bin/time
# (the Argon2id unlock, about 0.03 s at the floor, included), peak RSS its
# "Maximum resident set size". BENCH_DIR sets where the files go (default
# $TMPDIR or /tmp): the file system there sets the commit costs. The load
# average is printed before each run: on a shared machine the figures mean
# little under load.
set -euo pipefail
LV=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GENLEADS=$HERE/../tests/data/genleads.py
[ -f /work/shared/tools/genleads.py ] && GENLEADS=/work/shared/tools/genleads.py
DIR=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/bench-rekey.XXXXXX")
trap 'rm -rf "$DIR"' EXIT
echo "bench rekey passphrase" > "$DIR/alice.pass"
export LEADVAULT_USER=alice LEADVAULT_PASSPHRASE_FILE=$DIR/alice.pass
timed() { # label, command...
    local label=$1
    shift
    echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" > "$DIR/out"
    read -r secs kib < "$DIR/time"
    printf "%-34s %8.2f s  peak RSS %6d MiB   %s\n" "$label" "$secs" $((kib / 1024)) \
        "$(tr -d '\n' < "$DIR/out" | cut -c1-120)"
}
for rows in "${SIZES[@]}"; do
    vault=$DIR/v$rows.lv
    python3 "$GENLEADS" --rows "$rows" --seed 7 > "$DIR/leads.csv"
    LEADVAULT_VAULT=$vault "$LV" init --admin alice --kdf-memory 19 --kdf-iterations 2 > /dev/null
    LEADVAULT_VAULT=$vault "$LV" import "$DIR/leads.csv" > /dev/null
    rm -f "$DIR/leads.csv"
    echo "== $rows leads, vault $(du -m "$vault" | cut -f1) MiB"
    LEADVAULT_VAULT=$vault timed "rekey ($rows leads)" "$LV" --json rekey
    LEADVAULT_VAULT=$vault timed "rekey --reencrypt ($rows leads)" "$LV" --json rekey --reencrypt
    LEADVAULT_VAULT=$vault timed "check after ($rows leads)" "$LV" check
    rm -f "$vault" "$vault-wal" "$vault-shm"
done
