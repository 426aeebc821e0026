desc: user passwd lets the user in with the new passphrase only; other users and all data are untouched
# Acceptance 5 (passwd).
setup: vault
setup: user bob sales
setup: user carol compliance
run: leadvault lead add --first-name Qzpass7Kanarie --email qz.pass7kanarie@example.com --phone '+14155550123' --notes $'two\nlines'
save: ID
run: lv_as bob lead add --last-name Qzbob7Kanarie --company Acme
save: ID2
run: cp bob.pass bob.old && printf 'bob new passphrase %s\n' "$RANDOM" > bob.new
run: lv_dump | grep -v "^'keyslot'," > data.before
run: lv_dump | grep "^'keyslot','alice'," > alice.before && lv_dump | grep "^'keyslot','carol'," > carol.before && lv_dump | grep "^'keyslot','bob'," > bob.before
run: grep -c "^'lead'," data.before
stdout-is: 2
run: sqlite3 vault.lv "SELECT kdf_memory, kdf_iterations, kdf_parallelism FROM keyslot WHERE name = 'bob'"
save: BOBKDF

run: lv_as bob user passwd --new-passphrase-file bob.new
stdout-has: passphrase changed for bob

# Old passphrase refused, new one accepted.
run: leadvault --user bob --passphrase-file bob.old lead list
exit: 3
stderr-has: wrong passphrase or unknown user
run: leadvault --user bob --passphrase-file bob.new lead get $ID --purpose qa_all --fields email
stdout-has: email: qz.pass7kanarie@example.com
run: leadvault --user bob --passphrase-file bob.new lead list
stdout-has: $ID2

# Other users are unaffected: same keyslot bytes, same passphrases work.
run: lv_dump | grep "^'keyslot','alice'," | diff alice.before -
run: lv_dump | grep "^'keyslot','carol'," | diff carol.before -
run: leadvault lead list
stdout-has: $ID
run: lv_as carol lead get $ID2 --purpose qa_all --fields last_name
stdout-has: last_name: Qzbob7Kanarie
# bob's slot did change (new salt and wrap), keeping its KDF settings and role.
run: lv_dump | grep "^'keyslot','bob'," | diff -q bob.before -
exit: 1
run: sqlite3 vault.lv "SELECT kdf_memory, kdf_iterations, kdf_parallelism FROM keyslot WHERE name = 'bob'"
stdout-is: $BOBKDF
run: leadvault --json user list | lvtool json users.1.role
stdout-is: sales

# The data is byte-identical: no lead was re-encrypted.
run: lv_dump | grep -v "^'keyslot'," | diff data.before -

# alice changes hers too; bob's new one still works, alice's old one no longer.
run: cp alice.pass alice.old && printf 'alice new passphrase\n' > alice.new
run: leadvault user passwd --new-passphrase-file alice.new
run: leadvault --passphrase-file alice.old lead list
exit: 3
run: leadvault --passphrase-file alice.new lead list
stdout-has: $ID
run: leadvault --user bob --passphrase-file bob.new lead list
run: lv_dump | grep -v "^'keyslot'," | diff data.before -
run: leadvault --passphrase-file alice.new check
stdout-has: ok: 2 leads
