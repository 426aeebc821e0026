#!/usr/bin/env bash
# bench_digest.sh - what the state digest costs an import, and how long
# `check` takes on a large vault (issue 14, acceptance 7). Not a test.
#
#   bench/bench_digest.sh BEFORE AFTER [--quick]
#
# BEFORE and AFTER are leadvault binaries, or git revisions of this
# repository that are built here (git archive + cmake, RelWithDebInfo) in
# the work directory: the baseline is 606b113, the last commit before the
# digest; AFTER is usually build/leadvault of the branch under test.
#
#   bench/bench_digest.sh 606b113 build/leadvault
#
# Imports of SMALL_ROWS (100k) and BIG_ROWS (1M) rows (tests/data/
# genleads.py --seed 7) into a new vault at the KDF floor, BEFORE and AFTER
# alternated, best of REPEAT (3) each: rows/s of each and their ratio, with
# the user and system CPU of the best runs. Then `check` and `check
# --deep` on AFTER's last BIG_ROWS vault, timed once each. The load
# average is printed before each part: on a shared machine the wall times
# mean little, the CPU times a little more.
#
# Environment: BENCH_DIR (work directory; default $TMPDIR or /tmp: its
# file system sets the commit costs), BENCH_REPEAT (3), BENCH_SMALL_ROWS
# (100000), BENCH_BIG_ROWS (1000000), BENCH_KEEP=1 keeps the work
# directory. --quick: 20k and 100k rows, 1 repetition.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: bench_digest.sh BEFORE AFTER [--quick]  (a binary or a git revision each)" >&2
    exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
GENLEADS=$REPO/tests/data/genleads.py
REPEAT=${BENCH_REPEAT:-3}
SMALL_ROWS=${BENCH_SMALL_ROWS:-100000}
BIG_ROWS=${BENCH_BIG_ROWS:-1000000}
if [ "${3:-}" = --quick ]; then
    REPEAT=1 SMALL_ROWS=20000 BIG_ROWS=100000
fi

WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/bench-digest.XXXXXX")
if [ "${BENCH_KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$WORK"' EXIT
fi

load() { echo "  (load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) CPUs)"; }

# A binary as given, or a revision built from this repository.
binary_of() { # ARG NAME
    if [ -x "$1" ] && [ -f "$1" ]; then
        echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
        return
    fi
    local rev src=$WORK/src-$2
    rev=$(git -C "$REPO" rev-parse --verify --quiet "$1^{commit}") ||
        { echo "bench_digest.sh: $1 is neither an executable nor a git revision" >&2; exit 1; }
    echo "building $2 = ${rev:0:12} in $src ..." >&2
    mkdir -p "$src"
    git -C "$REPO" archive "$rev" | tar -x -C "$src"
    { cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > "$src/cmake.log" 2>&1 &&
        cmake --build "$src/build" -j"$(nproc)" --target leadvault_cli > "$src/build.log" 2>&1; } ||
        { echo "bench_digest.sh: building $1 failed, see $src/build.log" >&2; exit 1; }
    echo "$src/build/leadvault"
}
BEFORE=$(binary_of "$1" before)
AFTER=$(binary_of "$2" after)

cd "$WORK"
printf 'bench passphrase, not a secret\n' > pass
chmod 600 pass
export LEADVAULT_USER=bench LEADVAULT_PASSPHRASE_FILE=$WORK/pass

echo "== machine"
echo "  $(uname -srm); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "  work directory $WORK on $(df -T "$WORK" | awk 'NR==2 { print $2 " (" $1 ")" }')"
echo "  before: $BEFORE ($("$BEFORE" version 2>/dev/null | head -1))"
echo "  after:  $AFTER ($("$AFTER" version 2>/dev/null | head -1))"

# One import into a new vault; prints "wall user sys" (seconds).
import_once() { # BINARY VAULT CSV
    rm -f "$2" "$2"-wal "$2"-shm
    "$1" --vault "$2" init --admin bench --kdf-memory 19 --kdf-iterations 2 > /dev/null
    local t0 t1
    t0=$EPOCHREALTIME
    /usr/bin/time -o times.txt -f '%U %S' "$1" --vault "$2" import "$3" > /dev/null 2> import.err ||
        { echo "bench_digest.sh: import failed:" >&2; cat import.err >&2; exit 1; }
    t1=$EPOCHREALTIME
    echo "$(python3 -c "print('%.3f' % ($t1 - $t0))") $(tail -1 times.txt)"
}

# The best (lowest wall) of lines "wall user sys".
best() { sort -g | head -1; }

compare() { # ROWS
    local rows=$1 csv=leads-$1.csv b=() a=() line
    python3 "$GENLEADS" --rows "$rows" --seed 7 --style datablist > "$csv"
    echo "== import of $rows rows, before and after alternated, best of $REPEAT"
    load
    for i in $(seq 1 "$REPEAT"); do
        line=$(import_once "$BEFORE" before.lv "$csv"); b+=("$line")
        echo "  run $i before: $line (wall user sys, s)"
        line=$(import_once "$AFTER" after.lv "$csv"); a+=("$line")
        echo "  run $i after:  $line"
    done
    load
    local bb ab
    bb=$(printf '%s\n' "${b[@]}" | best)
    ab=$(printf '%s\n' "${a[@]}" | best)
    python3 - "$rows" "$bb" "$ab" << 'EOF'
import sys
rows = int(sys.argv[1])
bw, bu, bs = map(float, sys.argv[2].split())
aw, au, as_ = map(float, sys.argv[3].split())
print("  before: %8.0f rows/s  (%.2f s wall, %.2f s user, %.2f s sys)" % (rows / bw, bw, bu, bs))
print("  after:  %8.0f rows/s  (%.2f s wall, %.2f s user, %.2f s sys)" % (rows / aw, aw, au, as_))
print("  throughput after/before: %.3f (cost of the digest: %+.1f %%)" % (bw / aw, (aw / bw - 1) * 100))
print("  CPU (user+sys) after/before: %.3f (%+.1f %%)" % ((au + as_) / (bu + bs), ((au + as_) / (bu + bs) - 1) * 100))
EOF
}

compare "$SMALL_ROWS"
compare "$BIG_ROWS"

echo "== check on the after vault of $BIG_ROWS leads ($(du -m after.lv | cut -f1) MiB)"
for mode in "" --deep; do
    load
    t0=$EPOCHREALTIME
    # shellcheck disable=SC2086 # $mode is empty or one word
    /usr/bin/time -o times.txt -f '%U %S' "$AFTER" --vault after.lv check $mode > check.out 2> check.err ||
        { echo "bench_digest.sh: check $mode failed:" >&2; cat check.err >&2; exit 1; }
    t1=$EPOCHREALTIME
    read -r user sys < <(tail -1 times.txt)
    printf '  check %-6s %.2f s wall, %s s user, %s s sys: %s\n' "$mode" "$(python3 -c "print($t1 - $t0)")" \
        "$user" "$sys" "$(cat check.out)"
done
load
