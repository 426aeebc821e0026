#!/bin/bash
# rekey_removes.sh LEADVAULT LVPEEK - issue 15, acceptance 3, and the
# suppression list across key generations.
#   After `user remove xavier` + `rekey`: xavier's passphrase fails on the
#   new file (exit 3), and every key xavier could take from an old copy
#   (lvpeek --save-keys: envelope keys, KEK, X25519 secret and every data
#   key they open) opens no data key of the new file; after `rekey
#   --reencrypt` those keys open no sealed value and match no tag either.
#   A suppression entry made before a rekey is still found after it (old
#   suppression keys are kept for lookups), one made after it too.
set -u
LV=$1
PEEK=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work" || exit 2
fail() { echo "FAIL: $*"; exit 1; }
KDF="--kdf-memory 19 --kdf-iterations 2 --kdf-parallelism 1"
for u in alice bob xavier; do echo "passphrase of $u" > $u.pass; done
lv() { local u=$1; shift; "$LV" --vault v.lv --user "$u" --passphrase-file "$u.pass" "$@"; }
get() { sed -n "s/^$1 //p" "$2"; }
"$LV" --vault v.lv init --admin alice --new-passphrase-file alice.pass $KDF >/dev/null || fail init
lv alice user add bob --role sales --new-passphrase-file bob.pass $KDF >/dev/null || fail bob
lv alice user add xavier --role sales --new-passphrase-file xavier.pass $KDF >/dev/null || fail x
lv alice purpose add qa --basis legitimate_interest --fields first_name,email,phone,notes \
    --roles admin,sales >/dev/null || fail purpose
lv alice purpose add qc --basis consent --fields email --roles admin,sales >/dev/null || fail qc
: > known
ids=""
for i in 1 2 3 4 5 6; do
    id=$(lv bob --json lead add --first-name "Person$i" --email "p$i@example.com" \
        --phone "+4915112345$i" --notes "note $i" | sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p')
    [ -n "$id" ] || fail "lead add $i"
    echo "email:p$i@example.com" >> known
    lv bob consent grant "$id" qc --evidence "web form $i" >/dev/null || fail consent
    ids="$ids $id"
done
first=$(echo $ids | cut -d' ' -f1)
sixth=$(echo $ids | cut -d' ' -f6)
lv alice erase "$sixth" --request REQ-1 --ground "art 17" --receipt r1.json >/dev/null ||
    fail erase
lv alice audit pubkey > first.pub || fail pubkey
lv alice export --purpose qa --out before.csv >/dev/null || fail export

# xavier copies the file and everything his passphrase opens in it
cp v.lv old.lv
"$PEEK" old.lv xavier xavier.pass known --save-keys x.keys > x-old.out || fail "lvpeek old"
[ "$(get data_keys x-old.out)" = 5 ] || fail "xavier's keys did not open the old copy"

lv alice user remove xavier >/dev/null || fail remove
lv alice --json rekey > rekey.json || fail rekey
grep -q '"leads": *5' rekey.json || { cat rekey.json; fail "rekey counts"; }
lv xavier lead list >/dev/null 2>&1; [ $? = 3 ] || fail "xavier's passphrase still opens"
"$PEEK" v.lv --keys x.keys known > x-new.out || fail "lvpeek new"
cat x-new.out
[ "$(get data_keys x-new.out)" = 0 ] || fail "xavier's old keys open a data key after rekey"
[ "$(get tags x-new.out)" = 0 ] || fail "xavier's old keys match index tags after rekey"
# Without --reencrypt the fields stay under the same data keys, which
# xavier may have copied: that is what --reencrypt is for.
[ "$(get fields x-new.out)" -gt 0 ] || fail "expected the old data keys to open fields (no --reencrypt)"
# the positive control: bob's keys open every data key of the new file
"$PEEK" v.lv bob bob.pass known > bob.out || fail "lvpeek bob"
[ "$(get data_keys bob.out)" = 5 ] || fail "bob's keys do not open the rekeyed file"
lv alice export --purpose qa --out after.csv >/dev/null || fail export2
cmp before.csv after.csv || fail "export differs after rekey"
lv alice check >/dev/null || fail check
lv alice audit verify >/dev/null || fail "audit verify"

# the suppression list across generations
lv alice suppress check --email p6@example.com | grep -q "suppressed\|erased" ||
    fail "the entry made before the rekey is not found"
lv bob lead add --first-name Back --email p6@example.com >/dev/null 2>&1
[ $? = 5 ] || fail "a suppressed person came back after the rekey"
lv alice erase "$first" --request REQ-2 --ground "art 17" >/dev/null || fail erase2
lv alice suppress check --email p1@example.com | grep -q "suppressed\|erased" ||
    fail "the entry made after the rekey is not found"

lv alice --json rekey --reencrypt > rekey2.json || fail "rekey --reencrypt"
grep -q '"reencrypted": *4' rekey2.json || { cat rekey2.json; fail "reencrypt counts"; }
grep -q '"consents": *4' rekey2.json || { cat rekey2.json; fail "consent re-seal counts"; }
"$PEEK" v.lv --keys x.keys known > x-re.out || fail "lvpeek after reencrypt"
cat x-re.out
for k in data_keys fields consent_notes tags; do
    [ "$(get $k x-re.out)" = 0 ] || fail "xavier's old keys open or match $k after --reencrypt"
done
"$PEEK" v.lv bob bob.pass known > bob2.out || fail "lvpeek bob 2"
[ "$(get fields bob2.out)" -ge 12 ] || fail "bob's keys open no field after --reencrypt"
[ "$(get consent_notes bob2.out)" -ge 4 ] || fail "bob's keys open no consent evidence"
lv alice export --purpose qa --out after2.csv >/dev/null || fail export3
grep -v "^\"$first\"," before.csv > before-minus.csv
cmp before-minus.csv after2.csv || fail "export differs after rekey --reencrypt"
lv alice consent show "$(echo $ids | cut -d' ' -f2)" | grep -q "web form 2" || fail "consent evidence"
lv alice suppress check --email p6@example.com | grep -q "suppressed\|erased" ||
    fail "the entry of two generations ago is not found"
lv alice check >/dev/null || fail check2
lv alice audit verify >/dev/null || fail "audit verify 2"
# the audit log certifies each new signing key: the first key verifies it all
lv alice audit verify --pubkey first.pub | grep -q "^ok" || fail "audit verify --pubkey (first key)"
lv alice audit checkpoint > cp.txt || fail checkpoint
lv alice audit verify --pubkey first.pub --checkpoint cp.txt | grep -q "extends" ||
    fail "audit verify with a checkpoint signed by the third key"
# a receipt signed before the rekeys verifies with the vault's keys and the first key
lv alice receipt verify r1.json >/dev/null || fail "receipt verify after rekey"
lv alice receipt verify r1.json --pubkey first.pub >/dev/null || fail "receipt verify --pubkey"
lv bob lead find --email p2@example.com --purpose qa | grep -q "Person2" || fail "find after rekeys"
echo ok
