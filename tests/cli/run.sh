#!/usr/bin/env bash
# run.sh - run one CLI test case file (tests/cli/cases/*.t; format in
# tests/cli/README.md).
#
# usage: run.sh LEADVAULT_BINARY SQLITE3_BINARY CASE_FILE
#
# Each case runs in a fresh temporary directory that is removed afterwards
# (set LV_TEST_KEEP=1 to keep it). Exit status 0 when every expectation
# held, 1 when one failed, 2 when the case file or the invocation is bad.
set -u

# Without a controlling terminal, a command that would ask for a
# passphrase fails at once instead of waiting for someone to type.
if [ -z "${_LV_DETACHED:-}" ] && command -v setsid >/dev/null; then
    _LV_DETACHED=1 exec setsid -w bash "$0" "$@"
fi

if [ $# -ne 3 ]; then
    echo "usage: run.sh LEADVAULT_BINARY SQLITE3_BINARY CASE_FILE" >&2
    exit 2
fi
# Everything of the runner itself is prefixed _lv_ / lv_ so that it cannot
# collide with the names a case saves.
_lv_bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
_lv_sqlite=$2
_lv_case=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
_lv_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib
[ -x "$_lv_bin" ] || { echo "run.sh: $1 is not executable" >&2; exit 2; }
# An absolute path: the sqlite3 function below must not call itself.
_lv_sqlite=$(command -v "$_lv_sqlite") || { echo "run.sh: no sqlite3 at $2" >&2; exit 2; }
[ -r "$_lv_case" ] || { echo "run.sh: cannot read $3" >&2; exit 2; }
_lv_python=${PYTHON3:-python3}
command -v "$_lv_python" >/dev/null || { echo "run.sh: python3 not found" >&2; exit 2; }

_lv_work=$(mktemp -d "${TMPDIR:-/tmp}/leadvault-cli.XXXXXX") || exit 2
_lv_cleanup() {
    lv_release_wal 2>/dev/null
    _lv_server_stop
    if [ "${LV_TEST_KEEP:-0}" = 1 ]; then
        echo "(kept $_lv_work)"
    else
        rm -rf "$_lv_work"
    fi
}
trap _lv_cleanup EXIT
cd "$_lv_work" || exit 2
export WORK=$_lv_work
umask 022
# Nothing from the caller's environment may pick a vault, user or
# passphrase for the case.
unset LEADVAULT_VAULT LEADVAULT_USER LEADVAULT_PASSPHRASE_FILE LEADVAULT_SERVER LEADVAULT_CA_FILE
export LC_ALL=C.UTF-8

# ---- server modes (LV_TEST_SERVER=1 or tls) ------------------------------------
# The case runs through 'leadvault serve': once 'setup: vault' has made the
# vault, the server starts on it and LEADVAULT_SERVER points every later
# leadvault command at it. LV_TEST_SERVER=1: on a Unix socket in the case's
# folder. LV_TEST_SERVER=tls: on loopback TLS (127.0.0.1, a port the
# kernel picks), with a certificate from a CA made for the case
# (certtool); LEADVAULT_CA_FILE makes the clients trust that CA only.
# Cases that cannot apply through a server, or use what is not offered
# remotely yet, are listed with the reason in server-skip.txt and skipped
# (77).
_lv_server_pid=
case "${LV_TEST_SERVER:-0}" in
0 | 1) ;;
tls) command -v certtool >/dev/null || {
    echo "skipped: LV_TEST_SERVER=tls needs certtool (Debian package gnutls-bin)"
    exit 77
} ;;
*) echo "run.sh: LV_TEST_SERVER is 1 (Unix socket), tls or unset" >&2; exit 2 ;;
esac
if [ "${LV_TEST_SERVER:-0}" != 0 ]; then
    _lv_skip_reason=$(awk -v c="$(basename "$_lv_case" .t)" '$1 == c { $1 = ""; print; exit }' \
        "$_lv_lib/../server-skip.txt")
    if [ -n "$_lv_skip_reason" ]; then
        echo "skipped through a server:$_lv_skip_reason"
        trap - EXIT
        rm -rf "$_lv_work"
        exit 77
    fi
fi
# A throw-away CA and a server certificate for 127.0.0.1 (ECDSA P-256) in
# $WORK/.tls; the CA's key is deleted once it has signed, the rest with
# the case. Valid from 2000 on, without an end: a case may move the
# client's clock anywhere with faketime, and the client checks the
# certificate's dates at the time it is shown.
_lv_tls_certs() {
    local d=$_lv_work/.tls
    local dates='activation_date = "2000-01-01 00:00:00"\nexpiration_days = -1\n'
    mkdir -m 0700 "$d" && (
        cd "$d" &&
            printf "cn = \"leadvault test CA\"\nca\ncert_signing_key\n$dates" > ca.tmpl &&
            printf "cn = \"127.0.0.1\"\nip_address = \"127.0.0.1\"\ntls_www_server\nsigning_key\n$dates" \
                > server.tmpl &&
            certtool --generate-privkey --key-type ecdsa --outfile ca.key &&
            certtool --generate-self-signed --load-privkey ca.key --template ca.tmpl --outfile ca.pem &&
            certtool --generate-privkey --key-type ecdsa --outfile server.key &&
            certtool --generate-certificate --load-privkey server.key --load-ca-certificate ca.pem \
                --load-ca-privkey ca.key --template server.tmpl --outfile server.pem &&
            rm -f ca.key && chmod 0755 . && chmod 0644 ca.pem
    ) > "$d/certtool.log" 2>&1 || { cat "$d/certtool.log" >&2; return 1; }
}
# A case that moves the clock with faketime moves the server's too: the
# server runs under libfaketime with its clock read from a file
# (FAKETIME_TIMESTAMP_FILE, read at every call), which the faketime
# function below sets to the offset of the case's time before it runs the
# client under faketime, and the leadvault function sets back to the real
# time before a command without it. Monotonic time (session lifetimes,
# timeouts) is left real.
_lv_server_faketime=
if [ "${LV_TEST_SERVER:-0}" != 0 ] && grep -q "^run:.*faketime '" "$_lv_case"; then
    for _lv_f in /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1; do
        [ -r "$_lv_f" ] && _lv_server_faketime=$_lv_f && break
    done
    [ -n "$_lv_server_faketime" ] || {
        echo "run.sh: the case uses faketime; libfaketimeMT.so.1 not found (Debian libfaketime)" >&2
        exit 2
    }
fi
_lv_server_clock() { # OFFSET (+N / -N seconds) of the server's clock
    [ -n "$_lv_server_faketime" ] || return 0
    printf '%s\n' "$1" > "$_lv_work/.server.faketime.new" &&
        mv -f "$_lv_work/.server.faketime.new" "$_lv_work/.server.faketime"
}
if [ -n "$_lv_server_faketime" ]; then
    faketime() {
        local when=$1 target now
        target=$(date -d "$when" +%s) && now=$(date +%s) || return 2
        _lv_server_clock "$(printf '%+d' $((target - now)))" || return 2
        command faketime "$@"
    }
fi
_lv_server_start() {
    [ "${LV_TEST_SERVER:-0}" != 0 ] || return 0
    [ -z "$_lv_server_pid" ] || return 0
    local -a where=(--socket "$_lv_work/.server.sock") preload=()
    if [ -n "$_lv_server_faketime" ]; then
        _lv_server_clock +0 || return 1
        preload=(env LD_PRELOAD="$_lv_server_faketime"
            FAKETIME_TIMESTAMP_FILE="$_lv_work/.server.faketime" FAKETIME_NO_CACHE=1
            DONT_FAKE_MONOTONIC=1
            ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
    fi
    if [ "$LV_TEST_SERVER" = tls ]; then
        _lv_tls_certs || return 1
        where=(--listen 127.0.0.1:0 --tls-cert "$_lv_work/.tls/server.pem"
            --tls-key "$_lv_work/.tls/server.key")
    fi
    LEADVAULT_SERVER= "${preload[@]}" "$_lv_bin" --vault "$LEADVAULT_VAULT" serve "${where[@]}" \
        > "$_lv_work/.server.out" 2> "$_lv_work/.server.log" &
    _lv_server_pid=$!
    for _ in $(seq 1 200); do
        grep -q '^listening on' "$_lv_work/.server.out" 2>/dev/null && break
        sleep 0.05
    done
    grep -q '^listening on' "$_lv_work/.server.out" || { cat "$_lv_work/.server.log" >&2; return 1; }
    if [ "$LV_TEST_SERVER" = tls ]; then
        # The address as the server printed it, with the port it was given.
        local url
        url=$(sed -n 's|^listening on \(https://127\.0\.0\.1:[0-9][0-9]*\)$|\1|p' \
            "$_lv_work/.server.out")
        [ -n "$url" ] || { cat "$_lv_work/.server.out" >&2; return 1; }
        export LEADVAULT_SERVER=$url LEADVAULT_CA_FILE=$_lv_work/.tls/ca.pem
    else
        export LEADVAULT_SERVER=unix:$_lv_work/.server.sock
    fi
}
_lv_server_rc=0
_lv_server_stop() {
    [ -n "$_lv_server_pid" ] || return 0
    kill -TERM "$_lv_server_pid" 2>/dev/null
    wait "$_lv_server_pid" 2>/dev/null
    _lv_server_rc=$?
    _lv_server_pid=
    return "$_lv_server_rc"
}

# ---- helpers usable in run: lines (documented in README.md) ----------------

leadvault() {
    _lv_server_clock +0 || return 2 # a command without faketime: the real time
    "$_lv_bin" "$@"
}
sqlite3() { "$_lv_sqlite" "$@"; }
lvtool() { "$_lv_python" "$_lv_lib/lvtool.py" "$@"; }
chromium_check() { "$_lv_python" "$_lv_lib/../../html/chromium_check.py" "$@"; }

# The floor: every vault and user of the suite pays the cheapest KDF.
LV_KDF=(--kdf-memory 19 --kdf-iterations 2)

# lv_user NAME ROLE [OPTIONS...]: add a user as the current (admin) user,
# with the passphrase in NAME.pass, at the KDF floor unless OPTIONS give
# --kdf-memory or --kdf-iterations.
lv_user() {
    local name=$1 role=$2
    shift 2
    local -a kdf=()
    [[ " $* " == *" --kdf-memory "* ]] || kdf+=(--kdf-memory 19)
    [[ " $* " == *" --kdf-iterations "* ]] || kdf+=(--kdf-iterations 2)
    printf '%s passphrase %s\n' "$name" "$RANDOM$RANDOM" > "$_lv_work/$name.pass"
    leadvault user add "$name" --role "$role" --new-passphrase-file "$_lv_work/$name.pass" \
        "${kdf[@]}" "$@"
}

# lv_as NAME COMMAND...: run leadvault as user NAME (passphrase NAME.pass).
lv_as() {
    local name=$1
    shift
    leadvault --user "$name" --passphrase-file "$_lv_work/$name.pass" "$@"
}

# lv_unprivileged ARGS...: leadvault ARGS as a user that permission bits
# bind. Root ignores them, so a case run as root runs it as uid and gid
# 65534 (setpriv), from a copy of the binary in the case's folder (which
# that user can reach); any other user runs it as itself.
lv_unprivileged() {
    if [ "$(id -u)" != 0 ]; then
        "$_lv_bin" "$@"
        return
    fi
    if [ ! -x "$_lv_work/.leadvault-unprivileged" ]; then
        cp "$_lv_bin" "$_lv_work/.leadvault-unprivileged" && chmod 0711 "$_lv_work" &&
            chmod 0755 "$_lv_work/.leadvault-unprivileged" || return 1
    fi
    setpriv --reuid=65534 --regid=65534 --clear-groups "$_lv_work/.leadvault-unprivileged" "$@"
}

# lv_unprivileged_copy DIR: a new folder DIR with a copy of the vault
# (vault.lv) and of the passphrase file (its own name), both mode 0600,
# owned by the user lv_unprivileged runs as.
lv_unprivileged_copy() {
    local dir=$1
    mkdir "$dir" && chmod 0711 "$_lv_work" && chmod 0755 "$dir" &&
        cp "$LEADVAULT_VAULT" "$dir/vault.lv" &&
        cp "$LEADVAULT_PASSPHRASE_FILE" "$dir/$(basename "$LEADVAULT_PASSPHRASE_FILE")" &&
        chmod 0600 "$dir"/* || return 1
    if [ "$(id -u)" = 0 ]; then
        chown -R 65534:65534 "$dir" || return 1
    fi
}

# lv_dump [VAULT]: every row of every table but the audit log (which
# records even failed attempts) and meta.digest (the state digest, sealed
# anew with every audit entry: any change of the rows it covers shows in
# the rows themselves), blobs in hex, one line per row starting with the
# table name quoted ('lead',X'01A2...',...), sorted: byte-for-byte
# evidence of "nothing changed".
lv_dump() {
    local vault=${1:-$LEADVAULT_VAULT} table
    local tables
    tables=$(sqlite3 -batch "$vault" "SELECT name FROM sqlite_schema WHERE type = 'table'
        AND name NOT LIKE 'audit%' AND name NOT LIKE 'sqlite_%' ORDER BY name") || return 1
    [ -n "$tables" ] || { echo "lv_dump: no tables in $vault" >&2; return 1; }
    for table in $tables; do
        local where=""
        [ "$table" = meta ] && where=" WHERE key <> 'digest'"
        sqlite3 -batch -cmd '.mode quote' "$vault" "SELECT '$table', * FROM \"$table\"$where" ||
            return 1
    done | LC_ALL=C sort
}

# lv_count: number of leads, as lead list --json reports it.
lv_count() {
    leadvault --json lead list | lvtool json count
}

# lv_flip ID FIELD OFFSET: flip the low bit of one byte of a sealed column
# (OFFSET counts from 0; a negative OFFSET counts from the end).
lv_flip() {
    local id=$1 field=$2 offset=$3 hex
    hex=$(sqlite3 -batch "$LEADVAULT_VAULT" "SELECT hex($field) FROM lead WHERE id = x'$id'")
    [ -n "$hex" ] || { echo "lv_flip: lead $id has no $field" >&2; return 1; }
    local n=$((${#hex} / 2))
    [ "$offset" -lt 0 ] && offset=$((n + offset))
    if [ "$offset" -lt 0 ] || [ "$offset" -ge "$n" ]; then
        echo "lv_flip: offset outside the $n bytes of $field" >&2
        return 1
    fi
    local byte=$((16#${hex:$((2 * offset)):2} ^ 1))
    local flipped
    flipped=${hex:0:$((2 * offset))}$(printf '%02X' "$byte")${hex:$((2 * offset + 2))}
    sqlite3 -batch "$LEADVAULT_VAULT" "UPDATE lead SET $field = x'$flipped' WHERE id = x'$id'"
}

# lv_scan CANARIES: scan the raw bytes of the vault file and of its -wal and
# -shm when they exist (each file scanned is named on stdout) for every
# line of CANARIES in many encodings; exit 1 on any hit.
lv_scan() {
    local files=("$LEADVAULT_VAULT") side
    for side in "$LEADVAULT_VAULT-wal" "$LEADVAULT_VAULT-shm" "$LEADVAULT_VAULT-journal"; do
        [ -e "$side" ] && files+=("$side")
    done
    lvtool scan "$1" "${files[@]}"
}

# lv_hold_wal / lv_release_wal: keep a second connection with an open read
# transaction on the vault, so that SQLite keeps its -wal and -shm files
# (and every frame written to them) after leadvault exits.
lv_hold_wal() {
    [ -e "$_lv_work/.hold.pid" ] && return 0
    rm -f "$_lv_work/.hold.fifo"
    mkfifo "$_lv_work/.hold.fifo" || return 1
    "$_lv_sqlite" -batch "$LEADVAULT_VAULT" < "$_lv_work/.hold.fifo" \
        > "$_lv_work/.hold.out" 2>&1 &
    echo $! > "$_lv_work/.hold.sqlite.pid"
    rm -f "$_lv_work/.hold.ready"
    { printf 'BEGIN;\nSELECT count(*) FROM lead;\n.system touch %s\n' \
        "$_lv_work/.hold.ready"; exec sleep 600; } > "$_lv_work/.hold.fifo" &
    echo $! > "$_lv_work/.hold.pid"
    # Wait until the reader is inside its read transaction.
    for _ in $(seq 1 200); do
        [ -e "$_lv_work/.hold.ready" ] && return 0
        sleep 0.05
    done
    echo "lv_hold_wal: the reader did not start" >&2
    return 1
}
lv_release_wal() {
    local pid
    if [ -e "$_lv_work/.hold.pid" ]; then
        pid=$(cat "$_lv_work/.hold.pid")
        kill "$pid" 2>/dev/null
        rm -f "$_lv_work/.hold.pid"
    fi
    if [ -e "$_lv_work/.hold.sqlite.pid" ]; then
        pid=$(cat "$_lv_work/.hold.sqlite.pid")
        # The reader ends on end of input; wait for it to close the vault.
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill "$pid" 2>/dev/null
        rm -f "$_lv_work/.hold.sqlite.pid"
    fi
    return 0
}

# lv_no_room COMMAND...: run COMMAND (leadvault, lv_as, ...) with the
# vault's -wal held open (lv_hold_wal first) and no room for it to grow: a
# file size limit at its current size, SIGXFSZ ignored. Every commit then
# fails with EFBIG (exit 8) while everything committed before stays
# readable: the way the suite makes an audit entry fail to commit, now
# that a planted trigger is refused at open (exit 6). Needs pipefail (each
# run: line has it) for COMMAND's exit status.
lv_no_room() {
    [ -e "$_lv_work/.hold.pid" ] || { echo "lv_no_room: lv_hold_wal first" >&2; return 2; }
    local wal=$LEADVAULT_VAULT-wal
    # Both streams leave through pipes, which the limit does not bind
    # (files written by the command itself, as --out, it does).
    {
        (
            trap '' XFSZ
            ulimit -f $(($(stat -c %s "$wal") / 1024)) && "$@"
        ) 2>&1 1>&3 3>&- | cat >&2
    } 3>&1 | cat
}

# ---- the case ------------------------------------------------------------------

_lv_failed=0
_lv_lineno=0
_lv_have_run=0
_lv_exit_checked=0
_lv_rc=0
_lv_cmd=
_lv_run_line=0
_lv_runs=0
_lv_checks=0
declare -a _lv_saved=()

_lv_show() { # show a captured stream, cut to a readable size
    local file=$1 size
    size=$(wc -c < "$file")
    if [ "$size" -gt 2000 ]; then
        head -c 2000 "$file"
        printf '\n... (%s bytes in all)\n' "$size"
    else
        cat "$file"
    fi
}

_lv_fail() {
    _lv_failed=1
    {
        printf '%s:%d: FAIL: %s\n' "$(basename "$_lv_case")" "$_lv_lineno" "$1"
        if [ "$_lv_have_run" = 1 ]; then
            printf '  command (line %d): %s\n' "$_lv_run_line" "$_lv_cmd"
            printf '  exit status: %d\n' "$_lv_rc"
            printf -- '  --- stdout ---\n'
            _lv_show "$_lv_work/.stdout"
            printf -- '  --- stderr ---\n'
            _lv_show "$_lv_work/.stderr"
            printf -- '  --------------\n'
        fi
    } >&2
}

_lv_bad_case() {
    printf '%s:%d: bad case file: %s\n' "$(basename "$_lv_case")" "$_lv_lineno" "$1" >&2
    exit 2
}

# Replace $NAME and ${NAME} of saved names, and $WORK, in text.
_lv_expand() {
    local text=$1 name value
    # Longest names first, so that $ID does not eat the start of $ID2.
    for name in $(printf '%s\n' "${_lv_saved[@]}" WORK | awk '{ print length, $0 }' |
        sort -rn | cut -d' ' -f2); do
        value=${!name}
        text=${text//"\${$name}"/"$value"}
        text=${text//"\$$name"/"$value"}
    done
    printf '%s' "$text"
}

_lv_require_run() {
    [ "$_lv_have_run" = 1 ] || _lv_bad_case "'$1' before any run:"
}

# A run whose exit status was never stated must have exited 0.
_lv_settle() {
    if [ "$_lv_have_run" = 1 ] && [ "$_lv_exit_checked" = 0 ]; then
        _lv_checks=$((_lv_checks + 1))
        if [ "$_lv_rc" != 0 ]; then
            local saved=$_lv_lineno
            _lv_lineno=$_lv_run_line
            _lv_fail "exit status $_lv_rc, expected 0 (no exit: line)"
            _lv_lineno=$saved
        fi
    fi
}

_lv_run() {
    _lv_settle
    # After a failure the rest of the case would only fail in its wake.
    if [ "$_lv_failed" = 1 ]; then
        echo "$(basename "$_lv_case"): stopped at line $_lv_lineno after the failure above" >&2
        exit 1
    fi
    _lv_cmd=$1
    _lv_run_line=$_lv_lineno
    _lv_have_run=1
    _lv_exit_checked=0
    _lv_runs=$((_lv_runs + 1))
    (
        set -o pipefail
        eval "$1"
    ) > "$_lv_work/.stdout" 2> "$_lv_work/.stderr" < /dev/null
    _lv_rc=$?
}

_lv_setup() {
    local what=$1
    case "$what" in
    vault)
        export LEADVAULT_VAULT=$_lv_work/vault.lv
        export LEADVAULT_USER=alice
        export LEADVAULT_PASSPHRASE_FILE=$_lv_work/alice.pass
        printf 'alice passphrase \xe2\x9c\x93 %s\n' "$RANDOM$RANDOM" > "$_lv_work/alice.pass"
        # qa_all: a purpose that may reveal every field, for the roles that
        # may reveal at all, so that cases can ask for any field.
        if ! { leadvault init --admin alice "${LV_KDF[@]}" &&
            leadvault purpose add qa_all --basis legitimate_interest \
                --fields first_name,last_name,email,phone,company,title,website,address,notes \
                --roles admin,sales,compliance; } > "$_lv_work/.setup.out" 2>&1; then
            cat "$_lv_work/.setup.out" >&2
            _lv_fail "setup: vault: leadvault init or purpose add failed"
            exit 1
        fi
        _lv_server_start || { _lv_fail "setup: vault: leadvault serve did not start"; exit 1; }
        ;;
    user\ *)
        local -a words
        read -r -a words <<< "$what"
        [ ${#words[@]} -ge 3 ] || _lv_bad_case "expected 'setup: user NAME ROLE [OPTIONS]'"
        if ! lv_user "${words[@]:1}" > "$_lv_work/.setup.out" 2>&1; then
            cat "$_lv_work/.setup.out" >&2
            _lv_fail "setup: $what failed"
            exit 1
        fi
        ;;
    *) _lv_bad_case "unknown setup '$what'" ;;
    esac
}

_lv_check_text() { # stream kind text
    local stream=$1 kind=$2 text file
    text=$(_lv_expand "$3")
    file=$_lv_work/.$stream
    _lv_checks=$((_lv_checks + 1))
    case "$kind" in
    has)
        [ -n "$text" ] || _lv_bad_case "empty $stream-has"
        grep -qF -- "$text" "$file" || _lv_fail "$stream lacks: $text"
        ;;
    lacks)
        [ -n "$text" ] || _lv_bad_case "empty $stream-lacks"
        ! grep -qF -- "$text" "$file" || _lv_fail "$stream has what it must not: $text"
        ;;
    is)
        local actual
        actual=$(cat "$file"; printf x)
        actual=${actual%x}
        actual=${actual%$'\n'}
        [ "$actual" = "$text" ] || _lv_fail "$stream is not exactly: $text"
        ;;
    match)
        grep -qE -- "$text" "$file" || _lv_fail "$stream has no line matching: $text"
        ;;
    empty)
        [ ! -s "$file" ] || _lv_fail "$stream is not empty"
        ;;
    esac
}

_lv_lines=()
mapfile -t _lv_lines < "$_lv_case"
for _lv_line in "${_lv_lines[@]}"; do
    _lv_lineno=$((_lv_lineno + 1))
    _lv_line=${_lv_line%$'\r'}
    case "$_lv_line" in
    '' | '#'*) continue ;;
    esac
    _lv_key=${_lv_line%%:*}
    _lv_value=${_lv_line#*:}
    if [ "$_lv_key" = "$_lv_line" ]; then # no colon: only the flags
        case "$_lv_line" in
        stdout-empty | stderr-empty) _lv_value= ;;
        *) _lv_bad_case "expected 'key: value'" ;;
        esac
    fi
    _lv_value=${_lv_value#"${_lv_value%%[![:blank:]]*}"}
    case "$_lv_key" in
    desc) ;;
    setup) _lv_setup "$_lv_value" ;;
    run)
        [ -n "$_lv_value" ] || _lv_bad_case "empty run:"
        _lv_run "$_lv_value"
        ;;
    exit)
        _lv_require_run exit
        [[ "$_lv_value" =~ ^[0-9]+$ ]] || _lv_bad_case "exit: expects a number"
        _lv_exit_checked=1
        _lv_checks=$((_lv_checks + 1))
        [ "$_lv_rc" = "$_lv_value" ] || _lv_fail "exit status $_lv_rc, expected $_lv_value"
        ;;
    stdout-has | stdout-lacks | stdout-is | stdout-match | stderr-has | stderr-lacks | \
        stderr-is | stderr-match)
        _lv_require_run "$_lv_key"
        _lv_check_text "${_lv_key%%-*}" "${_lv_key#*-}" "$_lv_value"
        ;;
    stdout-empty | stderr-empty)
        _lv_require_run "$_lv_key"
        _lv_check_text "${_lv_key%%-*}" empty ""
        ;;
    save)
        _lv_require_run save
        [[ "$_lv_value" =~ ^[A-Z][A-Z0-9_]*$ ]] || _lv_bad_case "save: expects NAME ([A-Z][A-Z0-9_]*)"
        _lv_out=$(cat "$_lv_work/.stdout")
        printf -v "$_lv_value" '%s' "$_lv_out"
        export "${_lv_value?}"
        _lv_saved+=("$_lv_value")
        ;;
    *) _lv_bad_case "unknown key '$_lv_key'" ;;
    esac
done
_lv_lineno=$((_lv_lineno + 1))
_lv_settle

[ "$_lv_runs" -gt 0 ] || _lv_bad_case "no run: line"
# The server must stop cleanly on SIGTERM (exit 0): a crash or a sanitizer
# report in it fails the case, whatever the client saw.
if [ -n "$_lv_server_pid" ] && ! _lv_server_stop; then
    _lv_failed=1
    {
        echo "$(basename "$_lv_case"): leadvault serve exited $_lv_server_rc after SIGTERM"
        tail -n 30 "$_lv_work/.server.log"
    } >&2
fi
if [ "$_lv_failed" = 0 ]; then
    echo "ok: $(basename "$_lv_case"): $_lv_runs commands, $_lv_checks checks"
    exit 0
fi
exit 1
