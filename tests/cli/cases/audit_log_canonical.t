desc: an exported log with one hex letter upper-cased no longer verifies (any one changed byte fails)
# Acceptance (audit) 5, "changing ONE byte of it fails". The export writes
# ids and hashes as lower-case hex (docs/format.md), but the verifier decodes
# hex without regard to case and rebuilds the signed text from the decoded
# bytes, so a file with an upper-cased a-f letter in the vault id, a lead id,
# a prev_hash or a hash (or in a checkpoint's vault id line) still verifies:
# a changed file is reported as intact. 100 such one-byte changes, spread.
setup: vault
setup: user aud auditor
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: leadvault lead get $A --purpose qa_all --fields email
run: leadvault audit pubkey --out pub.txt
run: leadvault audit checkpoint --out cp.txt > /dev/null
run: lv_as aud audit export --out log.jsonl && leadvault audit verify --log log.jsonl --pubkey pub.txt --checkpoint cp.txt
stdout-has: ok: 5 entries
run: lvtool audit-mutants log.jsonl mut 100 hexcase
stdout-is: 100
# The guard: each mutant differs from the export in exactly one byte, a
# lower-case letter made upper-case (cmp -l prints octal: 141 -> 101).
run: for f in mut/*; do cmp -l log.jsonl "$f" || true; done | awk '{ print ($3 - $2 == -40) ? "case" : "other" }' | sort | uniq -c | awk '{ print $2, $1 }'
stdout-is: case 100
run: n=0; bad=0; for f in mut/*; do leadvault audit verify --log "$f" --pubkey pub.txt --checkpoint cp.txt > /dev/null 2>&1; rc=$?; n=$((n + 1)); [ $rc = 6 ] || { bad=$((bad + 1)); [ $bad -le 10 ] && echo "byte ${f#mut/}: exit $rc"; }; done; echo "$n checked, $bad not refused"
stdout-is: 100 checked, 0 not refused
