#!/usr/bin/env bash
# bench_import.sh - import throughput of leadvault against sqlite3 and
# sqlcipher on the same file, where the import's time goes, its memory at
# 1M rows, find latency and export throughput at 100k and 1M leads.
# Not a test: cmake --build build --target bench_import, or by hand:
#
#   bench/bench_import.sh build/leadvault build/bench/bench_import_stages [--quick]
#
# Environment: BENCH_DIR (where the temporary files go; default $TMPDIR or
# /tmp: the file system there sets the commit costs), BENCH_REPEAT (timed
# repetitions, best taken; default 3), BENCH_BIG_ROWS (rows of the large
# run; default 1000000). --quick: 20k rows, 1 repetition, 100k large run.
#
# Everything is timed on the same generated file (tests/data/genleads.py,
# seed 7, datablist layout, 100k rows):
#   sqlite3    .import into a plain table, journal_mode=WAL, synchronous=FULL
#   sqlcipher  the same into a keyed database (PRAGMA key); the time of the
#              key derivation alone (the key and a read of the still empty
#              database) is subtracted
#   leadvault  import into a new vault at the KDF floor; the time of
#              `leadvault stats` on the same vault while still empty (the
#              unlock and a trivial read) is subtracted, so the Argon2id
#              unlock is not counted
# lead find is timed on the 1M-lead vault where it was made, and again on
# a copy in /dev/shm (tmpfs) when there is room: there the audit commit's
# fdatasync costs nothing, which leaves the library's own time per find.
# The load average is printed before each timed part: the machine may be
# shared with other work, and the figures mean little under load.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: bench_import.sh LEADVAULT BENCH_IMPORT_STAGES [--quick]" >&2
    exit 2
fi
LV=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
STAGES=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
for binary in "$LV" "$STAGES"; do
    [ -x "$binary" ] || { echo "bench_import.sh: $binary is not executable" >&2; exit 1; }
done
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
GENLEADS=$HERE/../tests/data/genleads.py
ROWS=100000
REPEAT=${BENCH_REPEAT:-3}
BIG_ROWS=${BENCH_BIG_ROWS:-1000000}
if [ "${3:-}" = --quick ]; then
    ROWS=20000 REPEAT=1 BIG_ROWS=100000
fi

# ---- tools ----------------------------------------------------------------
if ! command -v sqlcipher > /dev/null; then
    echo "installing sqlcipher (apt-get install -y sqlcipher) ..."
    apt-get install -y sqlcipher > /dev/null 2>&1 ||
        { apt-get update > /dev/null && apt-get install -y sqlcipher > /dev/null; }
fi
for tool in sqlite3 sqlcipher python3; do
    command -v $tool > /dev/null || { echo "bench_import.sh: $tool not found" >&2; exit 1; }
done
TIME=/usr/bin/time
[ -x $TIME ] || TIME=

WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/bench-import.XXXXXX")
SHM=
trap 'rm -rf "$WORK" ${SHM:+"$SHM"}' EXIT
cd "$WORK"

now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { python3 -c "print('%.3f' % ($2 - $1))"; }
best() { printf '%s\n' "$@" | sort -g | head -1; }
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
rate() { python3 -c "print('%.0f' % ($1 / $2))"; }
load() { echo "  (load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs)"; }

echo "== machine"
echo "  $(uname -srm); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "  work directory $WORK on $(df -T "$WORK" | awk 'NR==2 { print $2 " (" $1 ")" }')"
echo "  sqlite3 $(sqlite3 --version | cut -d' ' -f1); sqlcipher $(echo 'select sqlite_version();' | sqlcipher 2>/dev/null) (SQLite), $(echo 'PRAGMA cipher_version;' | sqlcipher 2>/dev/null)"
echo "  leadvault $("$LV" version 2>/dev/null | head -1)"

echo "== data"
python3 "$GENLEADS" --rows $ROWS --seed 7 --style datablist > leads.csv
echo "  $ROWS rows, $(du -m leads.csv | cut -f1) MiB (genleads.py --seed 7 --style datablist)"

# ---- the three imports ----------------------------------------------------
sqlite_import() { # TOOL DB [KEY]
    {
        [ -n "${3:-}" ] && echo "PRAGMA key = '$3';"
        echo "PRAGMA journal_mode = WAL;"
        echo "PRAGMA synchronous = FULL;"
        echo ".mode csv"
        echo ".import leads.csv leads"
    } | "$1" "$2" > /dev/null
}
count_rows() { # TOOL DB [KEY]
    { [ -n "${3:-}" ] && echo "PRAGMA key = '$3';"; echo "SELECT count(*) FROM leads;"; } |
        "$1" "$2" | tail -1
}
KEY='bench passphrase, not a secret'
printf 'bench passphrase, not a secret\n' > pass
export LEADVAULT_USER=bench LEADVAULT_PASSPHRASE_FILE=$WORK/pass

echo "== import of the same $ROWS rows, best of $REPEAT"
load
t_sqlite=() t_cipher=() t_lv=() t_lv_raw=() t_stats=() t_kdf=()
for i in $(seq 1 "$REPEAT"); do
    rm -f plain.db* keyed.db*
    s=$(now); sqlite_import sqlite3 plain.db; e=$(now)
    t_sqlite+=("$(elapsed "$s" "$e")")
    [ "$(count_rows sqlite3 plain.db)" = "$ROWS" ] || { echo "sqlite3: wrong row count" >&2; exit 1; }

    # The key derivation alone: a keyed database with one empty table, read
    # once (counting the imported rows would also decrypt every page).
    { echo "PRAGMA key = '$KEY';"; echo "CREATE TABLE warm(x);"; } | sqlcipher keyed.db > /dev/null
    s2=$(now)
    { echo "PRAGMA key = '$KEY';"; echo "SELECT count(*) FROM sqlite_master;"; } |
        sqlcipher keyed.db > /dev/null
    e2=$(now)
    s=$(now); sqlite_import sqlcipher keyed.db "$KEY"; e=$(now)
    count_rows sqlcipher keyed.db "$KEY" > keyed.count
    [ "$(cat keyed.count)" = "$ROWS" ] || { echo "sqlcipher: wrong row count" >&2; exit 1; }
    kdf=$(elapsed "$s2" "$e2")
    t_kdf+=("$kdf")
    t_cipher+=("$(python3 -c "print('%.3f' % ($(elapsed "$s" "$e") - $kdf))")")

    rm -f vault.lv*
    "$LV" --vault vault.lv init --admin bench --kdf-memory 19 --kdf-iterations 2 > /dev/null
    # The unlock alone: stats on the still empty vault (after the import,
    # stats would also count 100k leads and be subtracted too).
    s2=$(now); "$LV" --vault vault.lv stats > /dev/null; e2=$(now)
    s=$(now); "$LV" --vault vault.lv --json import leads.csv > import.json; e=$(now)
    imported=$(python3 -c "import json; print(json.load(open('import.json'))['imported'])")
    [ "$imported" = "$ROWS" ] || { echo "leadvault: $imported rows imported" >&2; exit 1; }
    raw=$(elapsed "$s" "$e") stats=$(elapsed "$s2" "$e2")
    t_lv_raw+=("$raw") t_stats+=("$stats")
    t_lv+=("$(python3 -c "print('%.3f' % ($raw - $stats))")")
    echo "  round $i: sqlite3 ${t_sqlite[-1]} s, sqlcipher ${t_cipher[-1]} s (+ key ${kdf} s)," \
         "leadvault ${t_lv[-1]} s (${raw} s - stats ${stats} s)"
    load
done
b_sqlite=$(best "${t_sqlite[@]}") b_cipher=$(best "${t_cipher[@]}") b_lv=$(best "${t_lv[@]}")
echo "  sqlite3    .import      $b_sqlite s  $(rate $ROWS "$b_sqlite") rows/s"
echo "  sqlcipher  .import      $b_cipher s  $(rate $ROWS "$b_cipher") rows/s"
echo "  leadvault  import       $b_lv s  $(rate $ROWS "$b_lv") rows/s"
echo "  ratio leadvault/sqlite3 (time):   $(ratio "$b_lv" "$b_sqlite")x"
echo "  ratio leadvault/sqlcipher (time): $(ratio "$b_lv" "$b_cipher")x"
echo "  file sizes: sqlite3 $(du -k plain.db | cut -f1) KiB, sqlcipher $(du -k keyed.db | cut -f1) KiB," \
     "leadvault $(du -k vault.lv | cut -f1) KiB (+ WAL $(du -k vault.lv-wal 2>/dev/null | cut -f1 || echo 0) KiB)"
mv vault.lv vault100k.lv
[ -e vault.lv-wal ] && mv vault.lv-wal vault100k.lv-wal
[ -e vault.lv-shm ] && mv vault.lv-shm vault100k.lv-shm

echo "== where the import's time goes"
load
"$STAGES" stages leads.csv --repeat "$REPEAT" --dir "$WORK"

echo "== $BIG_ROWS rows: peak memory and time of the CLI import"
python3 "$GENLEADS" --rows "$BIG_ROWS" --seed 7 --style datablist > big.csv
echo "  $(du -m big.csv | cut -f1) MiB of CSV"
"$LV" --vault big.lv init --admin bench --kdf-memory 19 --kdf-iterations 2 > /dev/null
load
if [ -n "$TIME" ]; then
    $TIME -v "$LV" --vault big.lv --json import big.csv > big.json 2> big.time
    grep -E 'Maximum resident|Elapsed \(wall|Percent of CPU' big.time | sed 's/^\s*/  /'
else
    s=$(now); "$LV" --vault big.lv --json import big.csv > big.json; e=$(now)
    echo "  elapsed $(elapsed "$s" "$e") s (no /usr/bin/time: peak RSS not measured)"
fi
python3 -c "
import json; s = json.load(open('big.json'))
print('  %d rows: %d imported in %.1f s (%.0f rows/s, as the CLI reports it)'
      % (s['rows'], s['imported'], s['seconds'], s['rows'] / s['seconds']))"
echo "  vault $(du -m big.lv | cut -f1) MiB"

echo "== lead find latency at $BIG_ROWS leads"
load
"$STAGES" find big.lv bench pass big.csv --samples 1000
# The same vault on a RAM file system, where the audit commit's fdatasync
# costs nothing: what the library's own work per find takes.
if [ -d /dev/shm ] && [ -w /dev/shm ] &&
   [ "$(df -k --output=avail /dev/shm | tail -1)" -gt $(( $(du -k big.lv | cut -f1) * 2 )) ]; then
    SHM=$(mktemp -d /dev/shm/bench-find.XXXXXX)
    cp big.lv "$SHM/"
    echo "  the same vault on tmpfs ($(df -T "$SHM" | awk 'NR==2 { print $2 }')), where a flush costs nothing:"
    "$STAGES" find "$SHM/big.lv" bench pass big.csv --samples 1000
    rm -rf "$SHM"
    SHM=
else
    echo "  (no room on /dev/shm for the same on tmpfs)"
fi

echo "== export throughput"
load
"$STAGES" export vault100k.lv bench pass --repeat "$REPEAT"
load
"$STAGES" export big.lv bench pass --repeat 1
