desc: restore merges: it brings back leads the vault lacks and never erased, and never rolls back what the vault holds (later changes, consent withdrawals, leads added after the backup)
# include/leadvault.h (lv_restore) and docs/cli.md: restore copies from the
# backup only the leads the current vault lacks and has not erased, with
# their index entries and consent records; leads the vault holds keep their
# newer state. A restore must never undo a consent withdrawal.
setup: vault
setup: user carol compliance
run: leadvault lead add --first-name Yara --email yara@example.com --notes 'Yara as backed up'
save: Y
run: leadvault consent grant $Y email_marketing --evidence 'yara evidence'
run: leadvault lead add --first-name Xena --email xena@example.com
save: X
run: leadvault lead add --first-name Lost --email lost@example.com
save: L
run: leadvault backup --out backup.lv

run: leadvault lead add --first-name Nora --email nora@example.com
save: N
run: leadvault lead update $Y --notes 'Yara changed later'
run: leadvault consent withdraw $Y email_marketing --reason 'later withdrawal'
run: lv_as carol erase $X --request REQ-X
# A lead lost from the file (rows deleted by hand) is what a restore is for.
run: sqlite3 vault.lv "DELETE FROM lead_index WHERE lead_id = x'$L'; DELETE FROM lead WHERE id = x'$L'"

run: leadvault --json restore backup.lv
stdout-is: {"restored":1,"skipped_erased":1}
# The lost lead is back, findable; the erased one is not.
run: leadvault --json lead find --email lost@example.com --purpose qa_all | lvtool json leads.0.id
stdout-is: $L
run: leadvault lead find --email xena@example.com --purpose qa_all
exit: 4
# The lead added after the backup stays.
run: leadvault --json lead get $N --purpose qa_all --fields email | lvtool json fields.email
stdout-is: nora@example.com
# Yara keeps her newer state: the later notes, and the withdrawal.
run: leadvault --json lead get $Y --purpose qa_all --fields notes | lvtool json fields.notes
stdout-is: Yara changed later
run: leadvault lead get $Y --purpose email_marketing
exit: 5
# The rows were deleted by hand, outside leadvault: the state digest keeps
# saying so after the restore (a restore brings the lead back, it does not
# make an edit of the file look like one leadvault made).
run: leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: leadvault audit verify
exit: 0
