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
# twice: plain, then --reencrypt; after each, the last row's email must be
# found again (`lead find`, through the rebuilt index), and `check` runs at
# the end. Per run: wall time, user and system CPU and peak RSS from
# /usr/bin/time (the Argon2id unlock, about 0.03 s at the floor, included),
# the load average (1, 5, 15 min) before and after it. BENCH_DIR sets where
# the files go (default $TMPDIR or /tmp): the file system there sets the
# commit costs. On a shared machine the wall times mean little under load;
# the CPU times much less so.
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
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "$(date -u +%FT%TZ) $(nproc) CPUs; $LV"
timed() { # label, command...
    local label=$1 before
    shift
    before=$(load)
    /usr/bin/time -f "%e %U %S %M" -o "$DIR/time" "$@" > "$DIR/out"
    read -r secs user sys kib < "$DIR/time"
    printf "%-30s %8.2f s wall  %7.2f s user  %6.2f s sys  peak RSS %4d MiB  load %s -> %s\n" \
        "$label" "$secs" "$user" "$sys" $((kib / 1024)) "$before" "$(load)"
    [ -s "$DIR/out" ] && echo "    $(tr -d '\n' < "$DIR/out" | cut -c1-160)"
    return 0
}
found() { # vault, email: the lead must be found through the index
    local n
    n=$(LEADVAULT_VAULT=$1 "$LV" lead find --email "$2" --purpose sales_followup | grep -c . || true)
    [ "$n" -ge 1 ] || { echo "FAIL: $2 not found after the rekey" >&2; exit 1; }
}
for rows in "${SIZES[@]}"; do
    vault=$DIR/v$rows.lv
    python3 "$GENLEADS" --rows "$rows" --seed 7 > "$DIR/leads.csv"
    email=$(tail -n 1 "$DIR/leads.csv" | python3 -c \
        'import csv, sys; print(next(csv.reader(sys.stdin))[8])')
    LEADVAULT_VAULT=$vault "$LV" init --admin alice --kdf-memory 19 --kdf-iterations 2 > /dev/null
    LEADVAULT_VAULT=$vault "$LV" import "$DIR/leads.csv" > /dev/null 2> "$DIR/import.err" ||
        { cat "$DIR/import.err" >&2; exit 1; }
    rm -f "$DIR/leads.csv"
    echo "== $rows leads, vault $(du -m "$vault" | cut -f1) MiB"
    LEADVAULT_VAULT=$vault timed "rekey ($rows)" "$LV" --json rekey
    found "$vault" "$email"
    LEADVAULT_VAULT=$vault timed "rekey --reencrypt ($rows)" "$LV" --json rekey --reencrypt
    found "$vault" "$email"
    LEADVAULT_VAULT=$vault timed "check after ($rows)" "$LV" check
    rm -f "$vault" "$vault-wal" "$vault-shm"
done
