desc: a report over a tampered audit log (an entry's purpose edited with plain SQL) refuses to render: exit 6, no output file in any format, the refusal audited; a tampered setting or consent record is exit 6 too
# Issue 19, acceptance 4.
setup: vault
setup: user cora compliance
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: leadvault lead get $A --purpose qa_all --fields email
run: leadvault setting set dpo_contact dpo@example.org
run: lv_as cora report access --format json --out before.json >/dev/null && lvtool json audit.verified before.json
stdout-is: true
run: sqlite3 vault.lv "UPDATE audit SET purpose = 'sales_followup' WHERE action = 'lead.get'"
run: lv_as cora report access --out after.html
exit: 6
stderr-has: audit log fails verification at entry 5
run: test ! -e after.html
run: lv_as cora report access --format csv --out after.csv
exit: 6
run: lv_as cora report processing --format json --out after.json
exit: 6
run: test ! -e after.csv && test ! -e after.json
# The refusal itself is in the log (read straight from the table).
run: sqlite3 vault.lv "SELECT action || ' ' || outcome FROM audit WHERE action LIKE 'report.%' ORDER BY seq" | paste -sd ' '
stdout-is: report.access ok report.access error report.access error report.processing error

# A setting edited in the file is an integrity failure, not a value shown.
run: leadvault init --admin alice --vault vault2.lv "${LV_KDF[@]}" --passphrase-file alice.pass
run: leadvault --vault vault2.lv setting set controller 'Example GmbH'
run: sqlite3 vault2.lv "UPDATE meta SET value = CAST(substr(value, 1, 32) || 'Evil GmbH' AS BLOB) WHERE key = 'setting.controller'"
run: leadvault --vault vault2.lv setting list
exit: 6
stderr-has: setting controller was altered
stdout-lacks: Evil
run: leadvault --vault vault2.lv check
exit: 6
stderr-has: setting controller was altered

# Records a report reads are MAC-checked too: a consent withdrawal turned
# into a grant with plain SQL gives no consent report, and no file.
run: leadvault init --admin alice --vault vault3.lv "${LV_KDF[@]}" --passphrase-file alice.pass
run: leadvault --vault vault3.lv user add cora --role compliance --new-passphrase-file cora.pass "${LV_KDF[@]}"
run: leadvault --vault vault3.lv lead add --first-name Bo --email bo@example.com
save: B
run: leadvault --vault vault3.lv consent grant $B email_marketing --evidence 'web form'
run: leadvault --vault vault3.lv consent withdraw $B email_marketing
run: lv_as cora --vault vault3.lv report consent --format json --out consent-before.json >/dev/null && lvtool json sections.0.rows.1.1 consent-before.json
stdout-is: 0
run: sqlite3 vault3.lv "UPDATE consent SET granted = 1 WHERE granted = 0"
run: lv_as cora --vault vault3.lv report consent --format json --out consent-after.json
exit: 6
stderr-has: consent record of lead $B was altered
run: test ! -e consent-after.json
