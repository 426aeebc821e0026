desc: a lead rolled back together with its consent records to a copy from before a withdrawal passes every row MAC and its consent chain, yet check exits 6 (state digest) and every reveal for that purpose is refused (exit 6), since the audit log's newest consent entry for the lead is the withdrawal
# SECURITY.md ("Rollback of a lead and its consent") and docs/format.md.
setup: vault
setup: user bob sales
run: leadvault lead add --first-name Ann --last-name Lee --email ann@example.com --phone '+49 30 1234567'
save: A
run: leadvault lead add --first-name Ben --email ben@example.com
save: B
run: leadvault consent grant $A email_marketing --evidence 'web form'
run: leadvault consent grant $B email_marketing --evidence 'web form'
run: lv_as bob --json lead get $A --purpose email_marketing --fields email | lvtool json fields.email
stdout-is: ann@example.com
run: leadvault backup --out old.lv
run: lv_as bob consent withdraw $A email_marketing --reason 'no more mail'
# Reveals after the withdrawal are denied (exit 5): the control.
run: lv_as bob lead get $A --purpose email_marketing
exit: 5
stderr-has: no active consent
# The lead row and its consent records put back from the older snapshot.
run: sqlite3 vault.lv "ATTACH 'old.lv' AS old; DELETE FROM lead WHERE id = x'$A'; INSERT INTO lead SELECT * FROM old.lead WHERE id = x'$A'; DELETE FROM consent WHERE lead_id = x'$A'; INSERT INTO consent SELECT * FROM old.consent WHERE lead_id = x'$A'"
# Every row is one the vault wrote, and the chain is whole: consent show
# reads the grant as the latest state.
run: leadvault --json consent show $A | lvtool pluck history purpose,state
stdout-is: email_marketing granted
# The reveal is refused, by id, by email, by search and in an export.
run: lv_as bob lead get $A --purpose email_marketing
exit: 6
stderr-has: integrity failure: the consent records of lead $A (purpose email_marketing) are older than the audit log, which records a later withdrawal
stdout-empty
run: lv_as bob lead find --email ann@example.com --purpose email_marketing
exit: 6
stdout-empty
run: lv_as bob lead search Ann --purpose email_marketing
exit: 6
stdout-lacks: ann@example.com
run: leadvault export --purpose email_marketing --out out.csv
exit: 6
run: test ! -s out.csv
# Another lead whose consent stands still reveals.
run: lv_as bob --json lead get $B --purpose email_marketing --fields email | lvtool json fields.email
stdout-is: ben@example.com
# check finds it through the state digest.
run: leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
# The records of the lead deleted (a lead without a consent history) is
# the chain's business: refused as incomplete.
run: sqlite3 vault.lv "DELETE FROM consent WHERE lead_id = x'$A'"
run: lv_as bob lead get $A --purpose email_marketing
exit: 6
