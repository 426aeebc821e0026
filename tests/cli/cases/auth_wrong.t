desc: a wrong passphrase or an unknown user exits 3, with one message for both, and changes nothing
# Acceptance 4 (the CLI half; unit.vault_unlock_timing measures the KDF cost).
setup: vault
setup: user bob sales
run: leadvault lead add --first-name Qzkeep7Kanarie --email qz.keep7kanarie@example.com --notes 'stays as it is'
save: ID
run: leadvault lead add --first-name Second
run: printf 'not the passphrase\n' > wrong.pass
# An almost-right passphrase: alice's with its last character changed.
run: head -c -2 alice.pass > almost.pass && printf 'Z\n' >> almost.pass && ! cmp -s almost.pass alice.pass
run: lv_dump > before.dump && { grep -c "^'lead'," before.dump; grep -c "^'keyslot'," before.dump; } | paste -sd ' '
stdout-is: 2 2
run: leadvault --json lead list > before.list

run: leadvault --passphrase-file wrong.pass lead list
exit: 3
stderr-has: wrong passphrase or unknown user
stdout-empty
run: leadvault --passphrase-file almost.pass lead get $ID --purpose qa_all
exit: 3
stderr-has: wrong passphrase or unknown user
stdout-lacks: Qzkeep7Kanarie
run: leadvault --passphrase-file wrong.pass lead add --first-name Intruder
exit: 3
stdout-empty
run: leadvault --passphrase-file wrong.pass lead update $ID --notes 'overwritten'
exit: 3
run: leadvault --passphrase-file wrong.pass user add eve --role admin --new-passphrase-file wrong.pass
exit: 3
run: leadvault --passphrase-file wrong.pass user passwd --new-passphrase-file wrong.pass
exit: 3
run: leadvault --passphrase-file wrong.pass user remove bob
exit: 3
run: leadvault --passphrase-file wrong.pass --json check
exit: 3
stdout-has: "exit_code":3
# bob's passphrase is not alice's.
run: leadvault --passphrase-file bob.pass lead list
exit: 3

# Unknown users: same exit, same message as a wrong passphrase.
run: leadvault --user mallory lead list
exit: 3
stderr-has: wrong passphrase or unknown user
stderr-lacks: mallory
run: leadvault --user mallory --passphrase-file bob.pass lead add --first-name Intruder
exit: 3
run: leadvault --user Alice lead list
exit: 3
run: leadvault --user mallory user add eve --role admin --new-passphrase-file wrong.pass
exit: 3

# Nothing changed: leads, sealed columns, index and keyslots byte-identical.
run: lv_dump | diff before.dump -
run: leadvault --json lead list | diff before.list -
run: lv_as bob lead list
stdout-lacks: eve
run: sqlite3 vault.lv "SELECT count(*) FROM keyslot"
stdout-is: 2
run: leadvault lead get $ID --purpose qa_all --fields notes
stdout-has: notes: stays as it is
# Each of the 13 failed attempts is audited as a failure.
run: sqlite3 vault.lv "SELECT count(*) FROM audit WHERE action = 'vault.unlock' AND outcome <> 'ok'"
stdout-is: 13
