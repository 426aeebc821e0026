#!/usr/bin/env bash
# The main job, end to end: build leadvault, create a vault in ./demo-vault,
# add leads, reveal one for a purpose, and show what an attacker holding the
# file would see (no plaintext) and what the audit log recorded.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
lv="$PWD/build/leadvault"

demo="$PWD/demo-vault"
rm -rf "$demo"
mkdir -m 700 "$demo"
cd "$demo"
# A demo passphrase in a 0600 file; real users type theirs at the prompt.
umask 077
head -c 24 /dev/urandom | base64 > admin.pass
export LEADVAULT_VAULT="$demo/leads.vault" LEADVAULT_USER=alice LEADVAULT_PASSPHRASE_FILE="$demo/admin.pass"

echo "== create the vault (Argon2id, 64 MiB, 3 iterations)"
"$lv" init --admin alice
echo
echo "== add three leads"
id1=$("$lv" lead add --first-name "Ananya" --last-name "Sharma" --email "Ananya.Sharma@example.in" \
      --phone "+91 98876 49965" --company "Kaveri Foods" --title "Head of Procurement" \
      --notes "Met at booth 12, wants pricing for 50 seats" --source trade_show \
      --source-detail "Bengaluru expo 2026" --stage qualified --country IN \
      --verified yes --aware yes --incentive no)
"$lv" lead add --first-name "美咲" --last-name "佐藤" --email "misaki.sato@example.org" \
      --source webinar --stage new --country JP --incentive yes >/dev/null
"$lv" lead add --first-name "Søren" --last-name "Østergaard" --phone "0044 20 7946 0958" \
      --company "Müller & Söhne AG" --source referral --stage contacted >/dev/null
"$lv" lead list
echo
echo "== reveal the first lead for a purpose (audited before it is printed)"
"$lv" lead get "$id1" --purpose sales_followup
echo
echo "== find by email, in other letter case"
"$lv" lead find --email "  ANANYA.SHARMA@EXAMPLE.IN " --purpose sales_followup --fields first_name,email
echo
echo "== what a thief of the file sees: no plaintext in the vault, WAL or SHM"
if grep -a -q -e "Ananya" -e "Kaveri" -e "98876" leads.vault* 2>/dev/null; then
  echo "PLAINTEXT FOUND"; exit 1
else
  echo "no plaintext of any lead in: $(ls leads.vault*)"
fi
echo
echo "== integrity check"
"$lv" check
echo
echo "Vault left in $demo (passphrase in admin.pass, for this demo only)."
