desc: lead get leaves an audit row (action lead.get, the purpose, the fields) and the audit table holds no PII
# Acceptance: audit basics, seen with sqlite3.
setup: vault
setup: user bob sales
setup: user aud auditor
run: printf '%s\n' 'Qzaudit7Kanarie' 'Qzaudlast7Kanarie' 'qz.audit7kanarie@example.com' 'Qz.Audit7Kanarie@Example.com' '+4930123456789' 'Qzaudnotes7Kanarie' 'Qzaudco7Kanarie' 'Qzupdated7Kanarie' > canaries.txt
run: leadvault lead add --first-name Qzaudit7Kanarie --last-name Qzaudlast7Kanarie --email Qz.Audit7Kanarie@Example.com --phone '+49 30 123456789' --notes Qzaudnotes7Kanarie --company Qzaudco7Kanarie
save: ID
run: sqlite3 vault.lv "SELECT count(*) FROM audit WHERE action = 'lead.get'"
stdout-is: 0

run: lv_as bob lead get $ID --purpose sales_followup --fields first_name,email
stdout-has: Qzaudit7Kanarie
run: sqlite3 vault.lv "SELECT actor, role, action, purpose, fields, outcome, lower(hex(lead_ids)) FROM audit WHERE action = 'lead.get'"
stdout-is: bob|sales|lead.get|sales_followup|first_name,email|ok|$ID
run: leadvault lead get $ID --purpose qa_all
run: sqlite3 vault.lv "SELECT actor, purpose, fields FROM audit WHERE action = 'lead.get' ORDER BY seq"
stdout-has: bob|sales_followup|first_name,email
stdout-has: alice|qa_all|first_name,last_name,email,phone,company,title,website,address,notes
# The lead is linked to its audit rows.
run: sqlite3 vault.lv "SELECT count(*) FROM audit_lead WHERE lead_id = x'$ID'"
stdout-is: 3

# A denied reveal is audited too (an auditor may not reveal).
run: lv_as aud lead get $ID --purpose qa_all
exit: 5
stdout-lacks: Qzaudit7Kanarie
run: sqlite3 vault.lv "SELECT actor, action, purpose, outcome FROM audit WHERE actor = 'aud'"
stdout-has: aud|lead.get|qa_all|denied

# Other operations, then: nothing of any value in the audit tables.
run: leadvault lead update $ID --company Qzupdated7Kanarie
run: leadvault lead find --email qz.audit7kanarie@example.com --purpose qa_all
run: leadvault lead find --phone '+4930123456789' --purpose qa_all
run: leadvault lead find --email 'Qzaudlast7Kanarie@example.com' --purpose qa_all
exit: 4
run: leadvault check
run: sqlite3 vault.lv ".dump audit" > audit.sql && sqlite3 vault.lv ".dump audit_lead" >> audit.sql && sqlite3 vault.lv ".dump audit_checkpoint" >> audit.sql && grep -c 'INSERT INTO audit' audit.sql
stdout-match: ^[0-9]{2,}$
run: sqlite3 -header vault.lv "SELECT * FROM audit" > audit.txt && lvtool scan canaries.txt audit.sql audit.txt
stdout-has: scanned audit.sql
stdout-lacks: FOUND
# The guard: the same scan finds the value once it is in a row.
run: sqlite3 vault.lv "SELECT * FROM audit" > tainted.txt && echo 'x|Qzaudnotes7Kanarie|y' >> tainted.txt && lvtool scan canaries.txt tainted.txt
exit: 1
