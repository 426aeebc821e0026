desc: a vault of format 1 made by the release before the exact schema check (tests/data/vault-format1.lv) opens, checks, verifies and works: its schema is exactly the one this leadvault creates
# The fixture was made with leadvault built from main at f601c35: admin
# alice (passphrase below, KDF floor), the consent purpose qa_consent, one
# lead with a consent grant and a legal hold, the retention rule old_2y.
# A format step that changes the schema must keep this case passing (by
# accepting the old statements or upgrading them).
run: lvtool data vault-format1.lv && chmod 600 vault-format1.lv && printf 'format-1 fixture passphrase\n' > alice.pass
run: sqlite3 vault-format1.lv "PRAGMA user_version"
stdout-is: 1
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass check
stdout-has: ok: 1 leads
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass audit verify
stdout-has: ok:
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass --json lead list | lvtool json leads.0.id
save: A
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass lead get $A --purpose qa_consent
stdout-has: ann@example.com
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass hold list
stdout-has: $A
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass lead update $A --notes changed
exit: 5
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass hold clear $A
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass lead update $A --notes changed
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass retention list
stdout-has: old_2y
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass audit verify
stdout-has: ok:
