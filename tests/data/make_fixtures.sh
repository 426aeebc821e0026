#!/bin/bash
# make_fixtures.sh FORMAT BINARY OUT - write a vault fixture of a known
# content with the leadvault BINARY, and beside it OUT.expected.jsonl, the
# export of every lead's every field as that binary writes it.
#
#   FORMAT 1: BINARY is leadvault built from a release of vault format 1
#             (main before issue 15, e.g. f601c35 or cbcbd9c);
#             tests/data/vault-format1-team.lv was made so.
#   FORMAT 2: BINARY is this leadvault; tests/data/vault-format2.lv was
#             made so, for the next format step to upgrade.
#
# Content: admin alice, sales bob (own leads only), auditor ann, compliance
# carl (passphrase "NAME fixture passphrase", KDF at the floor); purposes
# qa_every (legitimate interest, every field) and qa_consent (consent,
# email); 12 leads with non-ASCII values, owned by alice and bob; consent
# granted on four, one of them withdrawn; a legal hold; one lead erased
# (its email on the suppression list); the retention rule old_2y; the
# setting dpo_contact.
set -eu
format=$1
LV=$(readlink -f "$2")
out=$(readlink -f "$3")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
KDF="--kdf-memory 19 --kdf-iterations 2 --kdf-parallelism 1"
for u in alice bob ann carl; do echo "$u fixture passphrase" > $u.pass; done
lv() { local u=$1; shift; "$LV" --vault v.lv --user "$u" --passphrase-file "$u.pass" "$@"; }
"$LV" --vault v.lv init --admin alice --new-passphrase-file alice.pass $KDF >/dev/null
lv alice user add bob --role sales --scope own --new-passphrase-file bob.pass $KDF >/dev/null
lv alice user add ann --role auditor --new-passphrase-file ann.pass $KDF >/dev/null
lv alice user add carl --role compliance --new-passphrase-file carl.pass $KDF >/dev/null
lv alice purpose add qa_every --basis legitimate_interest \
    --fields first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2 \
    --roles admin,sales,compliance >/dev/null
lv alice purpose add qa_consent --basis consent --fields email --roles admin,sales,compliance >/dev/null
names=("Zoë" "Ångström" "Łukasz" "Søren" "José" "Mëkkå" "Çelik" "Ðorđe" "Ülkü" "Renée" "Nuño" "Žofia")
ids=()
for i in $(seq 0 11); do
    owner=alice; [ $((i % 3)) = 0 ] && owner=bob
    id=$(lv $owner --json lead add --first-name "${names[$i]}" --last-name "Test-$i" \
        --email "person$i@example.com" --phone "+49 151 2000 10$i" --company "Firma $i GmbH" \
        --title "Einkäufer $i" --website "https://example.com/$i" --address "Straße $i, Berlin" \
        --notes "notes, \"quoted\" $i" --email2 "alt$i@example.org" --source trade_show |
        sed -n 's/.*"id":"\([0-9a-f]*\)".*/\1/p')
    ids+=("$id")
done
for i in 1 4 7 10; do
    lv carl consent grant "${ids[$i]}" qa_consent --evidence "double opt-in form $i" >/dev/null
done
lv carl consent withdraw "${ids[4]}" qa_consent --reason "asked by phone" >/dev/null
lv carl hold set "${ids[2]}" --reason "case 12" >/dev/null
lv carl erase "${ids[11]}" --request REQ-11 --ground "art 17(1)(b)" >/dev/null
lv alice retention add old_2y --older-than 730d >/dev/null
lv alice setting set dpo_contact "dpo@example.org" >/dev/null
lv alice export --purpose qa_every --format jsonl --out export.jsonl >/dev/null
rm -f "$out" "$out.expected.jsonl"
cp v.lv "$out"
cp export.jsonl "$out.expected.jsonl"
echo "wrote $out (format $format) and $out.expected.jsonl"
