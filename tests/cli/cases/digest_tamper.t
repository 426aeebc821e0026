desc: the state digest: for every table it covers, a deleted row, a copied row and a row rolled back to its copy in an older snapshot of the same vault each make check exit 6; so does an emptied or older sealed value; a lead rolled back with its consent records to before a withdrawal is refused at reveal too
# docs/format.md, "State digest", and SECURITY.md. Every tampering below
# starts from pristine.lv (the vault after all the changes) and, for the
# rollbacks, takes rows from old.lv, a snapshot of the same vault taken
# before those changes: each row of old.lv was written by leadvault and
# passes its own MAC.
setup: vault
setup: user bob sales
setup: user carol compliance
setup: user dave sales
run: leadvault lead add --first-name Ann --email ann@example.com --notes 'notes before'
save: A
run: leadvault lead add --first-name Ben --email ben@example.com
save: B
run: leadvault lead add --first-name Eve --email eve@example.com
save: E
run: leadvault consent grant $A email_marketing --evidence 'web form'
run: leadvault setting set controller 'Acme Ltd'
run: leadvault purpose add qz_survey --basis consent --fields email --roles sales
run: lv_as carol hold set $B --reason 'case 1'
run: lv_as carol retention add old_1h --older-than 1h
run: lv_as carol retention add keep_2h --older-than 2h
run: lv_as carol erase --email ben.old@example.com --request REQ-0 > /dev/null; true
run: leadvault lead add --first-name Zed --email zed@example.com
save: Z
run: lv_as carol erase $Z --request REQ-1
# Snapshot A.
run: leadvault backup --out old.lv

# Every covered table changes after the snapshot.
run: leadvault lead update $A --notes 'notes after'
run: lv_as carol hold clear $B
run: leadvault lead update $B --email ben.new@example.com
run: lv_as carol hold set $B --reason 'case 2'
run: leadvault consent withdraw $A email_marketing --reason 'asked by phone'
run: leadvault setting set controller 'Acme Group plc'
run: leadvault purpose retire qz_survey
run: leadvault user remove dave
run: lv_as carol retention remove old_1h
run: lv_as carol erase $E --request REQ-2
run: leadvault backup --out pristine.lv
run: leadvault audit pubkey --out pub.txt
run: leadvault audit checkpoint --out later.cp > /dev/null
run: printf '#!/bin/sh\nrm -f vault.lv-wal vault.lv-shm && cp pristine.lv vault.lv && exec "%s" -batch vault.lv "ATTACH '"'"'old.lv'"'"' AS old; $1"\n' "$_lv_sqlite" > tamper && chmod +x tamper
# The control: the copy is sound, and both snapshots differ in every table.
run: ./tamper "SELECT 1" && leadvault check
stdout-has: ok: 2 leads
run: for t in meta keyslot lead lead_index purpose consent erasure hold suppression retention audit_lead; do ./tamper "SELECT '$t', (SELECT count(*) FROM (SELECT * FROM main.$t EXCEPT SELECT * FROM old.$t)) + (SELECT count(*) FROM (SELECT * FROM old.$t EXCEPT SELECT * FROM main.$t)) > 0"; done | paste -sd ' '
stdout-is: meta|1 keyslot|1 lead|1 lead_index|1 purpose|1 consent|1 erasure|1 hold|1 suppression|1 retention|1 audit_lead|1

# ---- meta (settings) ----
run: ./tamper "DELETE FROM meta WHERE key = 'setting.controller'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO meta SELECT 'setting.representative', value FROM meta WHERE key = 'setting.controller'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "UPDATE meta SET value = (SELECT value FROM old.meta WHERE key = 'setting.controller') WHERE key = 'setting.controller'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
# ... which no MAC sees: the old setting reads as valid.
run: leadvault --json setting list | lvtool json settings.controller
stdout-is: Acme Ltd

# ---- keyslot ----
run: ./tamper "DELETE FROM keyslot WHERE name = 'bob'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO keyslot SELECT 'mallory', role, kdf_memory, kdf_iterations, kdf_parallelism, salt, wrapped, mac, created FROM keyslot WHERE name = 'bob'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
# The removed user put back: dave unlocks again, and check says so.
run: ./tamper "INSERT INTO keyslot SELECT * FROM old.keyslot WHERE name = 'dave'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest

# ---- lead ----
run: ./tamper "DELETE FROM lead WHERE id = x'$B'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "CREATE TEMP TABLE copy AS SELECT * FROM lead WHERE id = x'$A'; UPDATE copy SET id = randomblob(16); INSERT INTO lead SELECT * FROM copy" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "DELETE FROM lead WHERE id = x'$B'; INSERT INTO lead SELECT * FROM old.lead WHERE id = x'$B'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
# Sealed columns: a field emptied, or an older sealed value put back.
run: ./tamper "UPDATE lead SET notes = NULL WHERE id = x'$A'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "UPDATE lead SET notes = (SELECT notes FROM old.lead WHERE id = x'$A') WHERE id = x'$A'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
# ... which opens: the older value is a sealed value the vault wrote.
run: leadvault --json lead get $A --purpose qa_all --fields notes | lvtool json fields.notes
stdout-is: notes before

# ---- lead_index ----
run: ./tamper "DELETE FROM lead_index WHERE lead_id = x'$A'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO lead_index SELECT kind, tag, x'$B' FROM lead_index WHERE lead_id = x'$A'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO lead_index SELECT * FROM old.lead_index WHERE lead_id = x'$B'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest

# ---- purpose ----
run: ./tamper "DELETE FROM purpose WHERE name = 'qz_survey'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO purpose SELECT 'qz_copy', basis, fields, roles, created, retired, mac FROM purpose WHERE name = 'qz_survey'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "DELETE FROM purpose WHERE name = 'qz_survey'; INSERT INTO purpose SELECT * FROM old.purpose WHERE name = 'qz_survey'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest

# ---- consent ----
run: ./tamper "DELETE FROM consent WHERE seq = (SELECT min(seq) FROM consent)" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO consent(id, lead_id, purpose, granted, time, expires, actor, notice_version, evidence, reason, prev, mac) SELECT randomblob(16), lead_id, purpose, granted, time, expires, actor, notice_version, evidence, reason, prev, mac FROM consent WHERE seq = (SELECT min(seq) FROM consent)" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "DELETE FROM consent WHERE lead_id = x'$A'; INSERT INTO consent SELECT * FROM old.consent WHERE lead_id = x'$A'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest

# ---- erasure (tombstones) ----
run: ./tamper "DELETE FROM erasure WHERE lead_id = x'$E'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO erasure SELECT x'$A', time, request, ground, actor, audit_seq FROM erasure WHERE lead_id = x'$E'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "DELETE FROM erasure; INSERT INTO erasure SELECT * FROM old.erasure" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest

# ---- hold ----
run: ./tamper "DELETE FROM hold WHERE lead_id = x'$B'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO hold SELECT x'$A', reason, actor, time, mac FROM hold WHERE lead_id = x'$B'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "DELETE FROM hold WHERE lead_id = x'$B'; INSERT INTO hold SELECT * FROM old.hold WHERE lead_id = x'$B'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest

# ---- suppression ----
run: ./tamper "DELETE FROM suppression WHERE hash = (SELECT max(hash) FROM suppression)" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO suppression SELECT kind, randomblob(32), time FROM suppression LIMIT 1" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "DELETE FROM suppression; INSERT INTO suppression SELECT * FROM old.suppression" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest

# ---- retention ----
run: ./tamper "DELETE FROM retention WHERE name = 'keep_2h'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO retention SELECT 'copied', stage, source, no_consent, consent_withdrawn, older_than, inactive, created, mac FROM retention WHERE name = 'keep_2h'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
# The rule removed after the snapshot, put back.
run: ./tamper "INSERT INTO retention SELECT * FROM old.retention WHERE name = 'old_1h'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest

# ---- audit_lead ----
run: ./tamper "DELETE FROM audit_lead WHERE lead_id = x'$A' AND seq = (SELECT max(seq) FROM audit_lead WHERE lead_id = x'$A')" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO audit_lead SELECT x'$B', seq FROM audit_lead WHERE lead_id = x'$A'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "DELETE FROM audit_lead WHERE lead_id = x'$A'; INSERT INTO audit_lead SELECT * FROM old.audit_lead WHERE lead_id = x'$A'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest

# ---- meta.digest itself ----
run: ./tamper "DELETE FROM meta WHERE key = 'digest'" && leadvault check
exit: 6
stderr-has: the vault's state digest is missing
run: leadvault lead list
exit: 6
stderr-has: the vault's state digest is missing
run: ./tamper "UPDATE meta SET value = (SELECT value FROM old.meta WHERE key = 'digest') WHERE key = 'digest'" && leadvault check
exit: 6
stderr-has: the vault's state digest is older than audit entry
run: ./tamper "UPDATE meta SET value = substr(value, 1, 50) || x'00' || substr(value, 52) WHERE key = 'digest'" && leadvault check
exit: 6
stderr-has: the vault's state digest does not open
# Failed unlocks write audit entries without keys after the head that
# meta.digest names: allowed. An entry that claims a role is not.
run: ./tamper "SELECT 1" && printf 'wrong\n' > wrong.pass && leadvault --passphrase-file wrong.pass lead list
exit: 3
run: leadvault --user nobody lead list
exit: 3
run: leadvault check
stdout-has: ok: 2 leads
run: ./tamper "INSERT INTO audit SELECT seq + 1, time, actor, role, os_user, action, subject, fields, purpose, outcome, code, request, lead_ids, prev_hash, hash FROM audit WHERE seq = (SELECT max(seq) FROM audit)" && leadvault check
exit: 6
stderr-has: the vault's state digest is older than audit entry
