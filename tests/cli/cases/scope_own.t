desc: a sales user limited to their own leads (user add --scope own) cannot reveal, find, search, list --show, update or export a lead owned by someone else: denied or left out, and audited; lead assign moves a lead to them (issue 18, acceptance 6)
setup: vault
setup: user bob sales --scope own
setup: user carl sales
setup: user carol compliance
run: leadvault --json user list | lvtool pluck users name,role,scope | paste -sd ';'
stdout-is: alice admin all;bob sales own;carl sales all;carol compliance all
run: leadvault user add dora --role compliance --scope own --new-passphrase-file alice.pass "${LV_KDF[@]}"
exit: 2
stderr-has: only for the sales role
run: leadvault user add dora --role sales --scope mine --new-passphrase-file alice.pass "${LV_KDF[@]}"
exit: 2

run: leadvault lead add --first-name Olga --last-name Own --company 'Own Corp' --email olga@example.com --owner bob
save: MINE
run: leadvault lead add --first-name Theo --last-name Other --company 'Other Corp' --email theo@example.com --owner carl
save: THEIRS

# Reveal: own lead yes, the other no (exit 5, named, audited as denied).
run: lv_as bob lead get $MINE --purpose sales_followup
stdout-has: first_name: Olga
run: lv_as bob lead get $THEIRS --purpose sales_followup
exit: 5
stderr-is: leadvault lead get: denied: user bob may only read the leads they own (lead $THEIRS)
stdout-empty
run: lv_as carol --json audit show --lead $THEIRS --action lead.get | lvtool pluck entries actor,outcome
stdout-is: bob denied
# Find by email: denied when every match is someone else's; audited.
run: lv_as bob lead find --email theo@example.com --purpose sales_followup
exit: 5
stderr-has: denied: user bob may only read the leads they own
stdout-empty
run: lv_as carol --json audit show --user bob --action lead.find.email | lvtool pluck entries outcome
stdout-is: denied
run: lv_as bob lead find --email olga@example.com --purpose sales_followup
stdout-has: id: $MINE
# Search: other users' leads are not searched; the entry lists no lead.
run: lv_as bob lead search theo --purpose sales_followup
exit: 4
stdout-empty
run: lv_as bob --json lead search corp --purpose sales_followup | lvtool pluck leads id
stdout-is: $MINE
run: lv_as carol --json audit show --user bob --action lead.search | lvtool pluck entries lead_ids,outcome | paste -sd ';'
stdout-match: ^ ok;$MINE ok$
# List with fields: only the own lead; plain metadata lists both.
run: lv_as bob --json lead list --purpose sales_followup --show first_name | lvtool pluck leads id
stdout-is: $MINE
run: lv_as bob --json lead list --purpose sales_followup --show first_name --owner carl | lvtool json count
stdout-is: 0
run: lv_as bob --json lead list | lvtool json count
stdout-is: 2
# Export: only the own lead, and the audit entry names only it.
run: lv_as bob export --purpose sales_followup --out bob.csv
run: cut -d, -f2 bob.csv | paste -sd ' '
stdout-is: "first_name" "Olga"
run: lv_as carol --json audit show --user bob --action lead.export | lvtool pluck entries lead_ids
stdout-is: $MINE
# Update of someone else's lead: denied, and nothing changes.
run: lv_as bob lead update $THEIRS --company 'Taken Over'
exit: 5
run: lv_as carl --json lead get $THEIRS --purpose sales_followup | lvtool json fields.company
stdout-is: Other Corp
# Consent of someone else's lead: neither recorded (by id or by email) nor
# shown; denied and audited, and the lead's consent is as it was.
run: lv_as bob consent grant $THEIRS email_marketing --evidence 'web form'
exit: 5
stderr-has: denied: user bob may only read the leads they own (lead $THEIRS)
run: lv_as bob consent withdraw --email theo@example.com email_marketing
exit: 5
run: printf 'email,purpose,action,time,evidence\ntheo@example.com,email_marketing,grant,2026-01-01,form\n' > c.csv && lv_as bob consent import c.csv
stdout-has: 0 granted, 0 withdrawn, 1 rejected
stderr-has: line 2: rejected: denied: user bob may only read the leads they own
run: lv_as bob consent show $THEIRS
exit: 5
stdout-empty
run: lv_as carol --json consent show $THEIRS | lvtool json history.length
stdout-is: 0
run: lv_as carol --json audit show --user bob --action 'consent.*' --lead $THEIRS | lvtool pluck entries action,outcome | paste -sd ';'
stdout-is: consent.grant denied;consent.withdraw denied;consent.grant denied;consent.show denied
run: lv_as bob consent grant $MINE email_marketing --evidence 'web form'
# An unscoped sales user still reads everything.
run: lv_as carl --json lead search corp --purpose sales_followup | lvtool json leads.length
stdout-is: 2

# lead assign (admin): the lead moves to bob, audited; USER must exist.
run: lv_as carl lead assign $THEIRS bob
exit: 5
run: leadvault lead assign $THEIRS nobody
exit: 4
stderr-has: no user 'nobody'
run: leadvault lead assign $THEIRS bob
stdout-is: assigned $THEIRS to bob
run: lv_as bob lead get $THEIRS --purpose sales_followup
stdout-has: owner: bob
run: lv_as carol --json audit show --action lead.assign | lvtool pluck entries actor,subject,lead_ids,outcome | paste -sd ';'
stdout-is: carl bob $THEIRS denied;alice nobody $THEIRS error;alice bob $THEIRS ok
# The owner is under the lead's MAC: editing it in the file is exit 6.
run: sqlite3 vault.lv "UPDATE lead SET owner = 'bob' WHERE id = x'$MINE'" && sqlite3 vault.lv "UPDATE lead SET owner = 'carl' WHERE id = x'$MINE'"
run: lv_as bob lead get $MINE --purpose sales_followup
exit: 6

# The scope is in the keyslot's role value, under its MAC: clearing it in
# the file does not widen bob's rights, it locks him out (exit 6).
run: sqlite3 vault.lv "SELECT role FROM keyslot WHERE name = 'bob'"
stdout-is: 66
run: sqlite3 vault.lv "UPDATE keyslot SET role = 2 WHERE name = 'bob'"
run: lv_as bob lead list
exit: 6
stderr-has: keyslot of user 'bob' failed its integrity check
run: sqlite3 vault.lv "UPDATE keyslot SET role = 66 WHERE name = 'bob'"
run: lv_as bob --json lead list | lvtool json count
stdout-is: 2
# A user's passphrase change keeps the scope.
run: printf 'new bob pass\n' > bob2.pass && lv_as bob user passwd --new-passphrase-file bob2.pass
run: sqlite3 vault.lv "SELECT role FROM keyslot WHERE name = 'bob'"
stdout-is: 66
