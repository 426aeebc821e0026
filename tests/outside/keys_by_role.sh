#!/bin/bash
# keys_by_role.sh LEADVAULT LVPEEK - issue 15, acceptance 1 and 4 (and 3
# once rekey runs): what a passphrase opens, seen by lvpeek, a program
# outside leadvault that knows only the documented format.
#   1. an auditor's passphrase, every key it unwraps tried against every
#      sealed value and index tag: nothing opens, nothing matches; a sales
#      user's passphrase (the positive control) opens every data key;
#   4. after `user role bob auditor`, bob's passphrase opens nothing;
#   a forged envelope (random keys sealed to a user's public key) is exit 6.
set -u
LV=$1
PEEK=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
fail() { echo "FAIL: $*"; exit 1; }
KDF="--kdf-memory 19 --kdf-iterations 2 --kdf-parallelism 1"
for u in alice bob ann carl; do echo "passphrase of $u" > $u.pass; done
lv() { local u=$1; shift; "$LV" --vault v.lv --user "$u" --passphrase-file "$u.pass" "$@"; }
"$LV" --vault v.lv init --admin alice --new-passphrase-file alice.pass $KDF >/dev/null || fail init
lv alice user add bob --role sales --new-passphrase-file bob.pass $KDF >/dev/null || fail add bob
lv alice user add ann --role auditor --new-passphrase-file ann.pass $KDF >/dev/null || fail add ann
lv alice user add carl --role compliance --new-passphrase-file carl.pass $KDF >/dev/null || fail add carl
lv alice purpose add qa --basis consent --fields first_name,last_name,email,phone,notes --roles admin,sales,compliance >/dev/null ||
    fail purpose
: > known
for i in 1 2 3 4 5; do
    id=$(lv bob --json lead add --first-name "Person$i" --email "p$i@example.com" \
        --phone "+4915112345$i" --notes "note $i" | sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p')
    [ -n "$id" ] || fail "lead add $i"
    echo "email:p$i@example.com" >> known
    echo "phone:+4915112345$i" >> known
    lv bob consent grant "$id" qa --evidence "web form $i" >/dev/null || fail consent
    last=$id
done
lv carl consent withdraw "$last" qa --reason "asked by phone" >/dev/null || fail withdraw
lv carl erase "$last" --request REQ-1 --ground "art 17" >/dev/null || fail erase
echo "email:gone@example.com" >> known

peek() { "$PEEK" v.lv "$@" known; }
get() { sed -n "s/^$1 //p" "$2"; }

# ---- acceptance 1: the auditor ----
peek ann ann.pass > ann.out || fail "lvpeek ann"
cat ann.out
[ "$(get envelopes ann.out)" -ge 1 ] || fail "the auditor opened no envelope: the test proves nothing"
for k in data_keys fields consent_notes tags suppressed; do
    [ "$(get $k ann.out)" = 0 ] || fail "an auditor's keys open or match $k"
done
# the positive control: a sales user's keys open every data key
peek bob bob.pass > bob.out || fail "lvpeek bob"
cat bob.out
[ "$(get data_keys bob.out)" = 4 ] || fail "sales: expected the 4 data keys to open"
[ "$(get fields bob.out)" -ge 12 ] || fail "sales: fields did not open"
[ "$(get consent_notes bob.out)" -ge 4 ] || fail "sales: consent evidence did not open"
[ "$(get tags bob.out)" -ge 8 ] || fail "sales: tags did not match"
[ "$(get suppressed bob.out)" -ge 1 ] || fail "sales: suppression hash did not match"
# inside leadvault the auditor checks MACs, reveals nothing
lv ann check --deep | grep -q "auditor holds no data key" || fail "auditor check"
lv ann lead list >/dev/null 2>&1; [ $? = 5 ] || fail "auditor lead list not denied"

# ---- acceptance 4: bob made auditor opens nothing any more ----
cp v.lv before-role.lv
lv alice user role bob auditor >/dev/null || fail "user role"
peek bob bob.pass > bob2.out || fail "lvpeek bob as auditor"
cat bob2.out
for k in data_keys fields consent_notes tags suppressed; do
    [ "$(get $k bob2.out)" = 0 ] || fail "bob made auditor still opens or matches $k"
done
lv bob lead list >/dev/null 2>&1; [ $? = 5 ] || fail "bob as auditor not denied"
lv bob audit verify | grep -q "^ok" || fail "bob as auditor cannot verify"
lv alice user role bob sales >/dev/null || fail "user role back"
lv bob lead list >/dev/null || fail "bob as sales again"
lv alice user role alice auditor >/dev/null 2>&1; [ $? = 5 ] || fail "last admin demoted"

# ---- a forged envelope is refused (exit 6), the real one restored works ----
cp v.lv forged.lv
"$PEEK" forged.lv --forge bob || fail forge
"$LV" --vault forged.lv --user bob --passphrase-file bob.pass lead list > forged.out 2>&1
rc=$?
[ $rc = 6 ] || { cat forged.out; fail "a forged envelope gave exit $rc, not 6"; }
grep -q "do not match their commitments" forged.out || fail "forged: message"

lv alice check >/dev/null || fail "check"
lv alice audit verify >/dev/null || fail "audit verify"
echo "ok"
