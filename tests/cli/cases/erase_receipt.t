desc: the erasure receipt (0600) verifies with the audit public key and unlocked; a change of any one byte of it fails with exit 6
# Erasure acceptance 3.
setup: vault
setup: user carol compliance
setup: user bob sales
run: leadvault lead add --first-name Rita --last-name Receipt --email rita@example.com --phone '+442079460123' --notes 'a note'
save: ID
run: leadvault consent grant $ID email_marketing --evidence 'web form 7'
run: leadvault lead add --first-name Keep --email keep@example.com
save: K

run: umask 000 && lv_as carol erase --email rita@example.com --request REQ-77 --ground 'GDPR Art. 17(1)(b)' --receipt receipt.json
stdout-is: erased 1 lead; added to the suppression list; receipt written
run: stat -c %a receipt.json
stdout-is: 600
# Handing it out is recorded: an erase.receipt entry after the erasure's,
# naming the entry the receipt is signed over and the request (no lead).
run: lvtool json audit_seq receipt.json
save: SEQ
run: lv_as carol --json audit show --action lead.erase | lvtool pluck entries seq,request
stdout-is: $SEQ REQ-77
run: lv_as carol --json audit show --action erase.receipt | lvtool pluck entries actor,subject,request,lead_ids,outcome
stdout-is: carol $SEQ REQ-77  ok
# An erasure without --receipt records none.
run: leadvault lead add --first-name Nora --email nora@example.com
save: N
run: lv_as carol erase $N --request REQ-78
run: lv_as carol --json audit show --action erase.receipt | lvtool pluck entries request
stdout-is: REQ-77

# What it says.
run: lvtool json type receipt.json
stdout-is: leadvault-erasure-receipt
run: for k in kind request actor erased.length erased.0.lead_id erased.0.ground erased.0.consent_records erased.0.suppressed skipped_held.length; do lvtool json "$k" receipt.json; echo; done | paste -sd '|'
stdout-is: erasure|REQ-77|carol|1|$ID|GDPR Art. 17(1)(b)|1|true|0
run: lvtool json erased.0.fields receipt.json
stdout-is: ["first_name", "last_name", "email", "phone", "notes"]
run: leadvault --json audit pubkey | lvtool json fingerprint
save: FP
run: lvtool json key_fingerprint receipt.json
stdout-is: $FP
run: sqlite3 vault.lv "SELECT lower(hex(value)) FROM meta WHERE key = 'vault_id'"
save: VID
run: lvtool json vault_id receipt.json
stdout-is: $VID

# It verifies: with the public key file (no passphrase needed), and with
# the unlocked vault's own key, for any role.
run: leadvault audit pubkey --out pub.txt
run: LEADVAULT_USER=nobody LEADVAULT_PASSPHRASE_FILE=/nonexistent leadvault receipt verify receipt.json --pubkey pub.txt
stdout-is: ok: the receipt's signature verifies
run: leadvault receipt verify receipt.json
stdout-is: ok: the receipt's signature verifies
run: lv_as bob --json receipt verify receipt.json
stdout-is: {"ok":true}

# One changed byte, at every position, two ways (low bit; ASCII case bit):
# each copy must fail with exit 6. A copy that is not changed passes the
# same loop (the guard).
run: wc -c < receipt.json
save: SIZE
run: mkdir same && cp receipt.json same/000000 && for f in same/*; do leadvault receipt verify "$f" --pubkey pub.txt > /dev/null 2>&1; rc=$?; [ "$rc" = 6 ] || echo "$f: exit $rc"; done
stdout-is: same/000000: exit 0
run: lvtool flip-each receipt.json flip1 0x01
stdout-is: $SIZE
run: n=0; for f in flip1/*; do n=$((n + 1)); leadvault receipt verify "$f" --pubkey pub.txt > /dev/null 2>&1; rc=$?; [ "$rc" = 6 ] || echo "$f: exit $rc"; done; echo "$n checked"
stdout-is: $SIZE checked
run: lvtool flip-each receipt.json flip20 0x20
stdout-is: $SIZE
run: n=0; for f in flip20/*; do n=$((n + 1)); leadvault receipt verify "$f" --pubkey pub.txt > /dev/null 2>&1; rc=$?; [ "$rc" = 6 ] || echo "$f: exit $rc"; done; echo "$n checked"
stdout-is: $SIZE checked
# The same through the unlocked vault's key, at a few positions (each run
# pays a key derivation): first byte, a lead id digit, the signature, the
# final newline.
run: for i in 000000 000100 000300 $(printf '%06d' $((SIZE - 5))) $(printf '%06d' $((SIZE - 1))); do leadvault receipt verify flip1/$i > /dev/null 2>&1; rc=$?; [ "$rc" = 6 ] || echo "$i: exit $rc"; done
stdout-empty
run: leadvault receipt verify flip1/000300
exit: 6
stdout-empty
stderr-has: receipt

# Re-formatted (same JSON, other bytes): not the signed form.
run: python3 -m json.tool receipt.json > pretty.json && leadvault receipt verify pretty.json --pubkey pub.txt
exit: 6

# Another vault's key does not verify it, nor this key another vault's receipt.
run: printf 'other\n' > other.pass && leadvault --vault other.lv --passphrase-file other.pass init --admin olga "${LV_KDF[@]}" > /dev/null
run: leadvault --vault other.lv --user olga --passphrase-file other.pass audit pubkey --out other-pub.txt
run: leadvault receipt verify receipt.json --pubkey other-pub.txt
exit: 6
run: leadvault --vault other.lv --user olga --passphrase-file other.pass lead add --first-name Oscar > oscar.id && leadvault --vault other.lv --user olga --passphrase-file other.pass erase "$(cat oscar.id)" --request O-1 --receipt other-receipt.json
run: leadvault --vault other.lv --user olga --passphrase-file other.pass receipt verify other-receipt.json
stdout-has: ok
run: leadvault receipt verify other-receipt.json --pubkey pub.txt
exit: 6
run: leadvault receipt verify other-receipt.json
exit: 6

# The other lead is untouched.
run: leadvault --json lead get $K --purpose qa_all --fields email | lvtool json fields.email
stdout-is: keep@example.com
