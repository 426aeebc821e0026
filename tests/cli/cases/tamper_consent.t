desc: a purpose row or a consent record edited with sqlite3, or the newest consent record deleted, makes the reveal exit 6 (integrity failure), never a silent allow or a plain denial
setup: vault
setup: user bob sales
run: leadvault lead add --first-name Ann --last-name Lee --email ann@example.com --phone '+49 30 1234567' --notes 'Qz7 private note'
save: ID
run: leadvault lead add --first-name Ben --email ben@example.com
save: BEN
# email_marketing granted; phone_outreach granted, then withdrawn (the
# newest record).
run: leadvault consent grant $ID email_marketing --evidence 'newsletter form' --notice-version v2
run: leadvault consent grant $ID phone_outreach --evidence 'call-back form'
run: leadvault consent withdraw $ID phone_outreach --reason 'asked not to be called'
run: leadvault consent grant $BEN email_marketing --evidence 'other form'
run: lv_as bob --json lead get $ID --purpose email_marketing | lvtool keys fields
stdout-is: first_name,last_name,email
run: lv_as bob lead get $ID --purpose phone_outreach
exit: 5
stderr-has: no active consent
# Each tampering below starts from this copy.
run: leadvault backup --out pristine.lv
run: printf '#!/bin/sh\nrm -f vault.lv-wal vault.lv-shm && cp pristine.lv vault.lv && exec "%s" -batch vault.lv "$1"\n' "$_lv_sqlite" > tamper && chmod +x tamper
run: ./tamper "SELECT name, basis, fields, roles, retired FROM purpose WHERE name IN ('email_marketing', 'phone_outreach') ORDER BY name" | paste -sd ' '
stdout-is: email_marketing|1|519|6|0 phone_outreach|1|1051|6|0
# The control: the copy itself is sound.
run: lv_as bob --json lead get $ID --purpose email_marketing | lvtool keys fields
stdout-is: first_name,last_name,email

# ---- purpose rows ----
# The auditor role added to a purpose.
run: ./tamper "UPDATE purpose SET roles = roles | 16 WHERE name = 'email_marketing'"
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: integrity failure: purpose email_marketing was altered
stdout-empty
run: lv_as bob lead find --email ann@example.com --purpose email_marketing
exit: 6
stdout-empty
# Sales taken out of a purpose (a would-be denial is an integrity failure).
run: ./tamper "UPDATE purpose SET roles = 2 WHERE name = 'email_marketing'"
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: purpose email_marketing was altered
# notes added to a purpose's fields.
run: ./tamper "UPDATE purpose SET fields = fields | 256 WHERE name = 'email_marketing'"
run: lv_as bob lead get $ID --purpose email_marketing --fields notes
exit: 6
stderr-has: integrity failure: purpose email_marketing was altered
stdout-lacks: Qz7
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stdout-empty
# The basis moved from consent to legitimate interest, which would skip the
# withdrawn consent.
run: ./tamper "UPDATE purpose SET basis = 2 WHERE name = 'phone_outreach'"
run: lv_as bob lead get $ID --purpose phone_outreach
exit: 6
stderr-has: integrity failure: purpose phone_outreach was altered
stdout-empty
# A purpose marked retired.
run: ./tamper "UPDATE purpose SET retired = 1 WHERE name = 'email_marketing'"
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: purpose email_marketing was altered
# check reports an altered purpose too.
run: leadvault check
exit: 6
stderr-has: purpose email_marketing

# ---- consent records ----
# The withdrawal turned into a grant.
run: ./tamper "UPDATE consent SET granted = 1 WHERE seq = (SELECT max(seq) FROM consent WHERE lead_id = x'$ID')"
run: lv_as bob lead get $ID --purpose phone_outreach
exit: 6
stderr-has: integrity failure: a consent record of lead $ID (purpose phone_outreach) was altered
stdout-empty
run: lv_as bob lead find --phone '+49 30 1234567' --purpose phone_outreach
exit: 6
stdout-empty
# The whole chain is verified, so a reveal for another consent purpose of
# the same lead fails as well.
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stdout-empty
run: leadvault consent show $ID
exit: 6
run: leadvault check
exit: 6
stderr-has: $ID
# The grant given an expiry in the past (a would-be denial).
run: ./tamper "UPDATE consent SET expires = 1 WHERE lead_id = x'$ID' AND purpose = 'email_marketing'"
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: (purpose email_marketing) was altered
# A grant moved to another purpose.
run: ./tamper "UPDATE consent SET purpose = 'direct_mail' WHERE lead_id = x'$ID' AND purpose = 'email_marketing'"
run: lv_as bob lead get $ID --purpose direct_mail
exit: 6
stderr-has: integrity failure
stdout-empty
# Another actor, or the evidence removed.
run: ./tamper "UPDATE consent SET actor = 'bob' WHERE lead_id = x'$ID' AND purpose = 'email_marketing'"
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: integrity failure
stdout-empty
run: ./tamper "UPDATE consent SET evidence = NULL WHERE lead_id = x'$ID' AND purpose = 'email_marketing'"
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: integrity failure
stdout-empty
# Another lead's grant copied onto this lead (new id, same bytes).
run: ./tamper "INSERT INTO consent(id, lead_id, purpose, granted, time, expires, actor, notice_version, evidence, reason, prev, mac) SELECT randomblob(16), x'$ID', purpose, granted, time + 1000000, expires, actor, notice_version, evidence, reason, prev, mac FROM consent WHERE lead_id = x'$BEN'"
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: integrity failure
stdout-empty

# ---- deleted records ----
# The newest record (the withdrawal) deleted: the older grant must not
# come back to life.
run: ./tamper "DELETE FROM consent WHERE seq = (SELECT max(seq) FROM consent WHERE lead_id = x'$ID')"
run: sqlite3 vault.lv "SELECT count(*) FROM consent WHERE lead_id = x'$ID'"
stdout-is: 2
run: lv_as bob lead get $ID --purpose phone_outreach
exit: 6
stderr-has: integrity failure: the consent history of lead $ID is incomplete or reordered
stdout-empty
run: lv_as bob lead find --phone '+49 30 1234567' --purpose phone_outreach
exit: 6
stdout-empty
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: is incomplete or reordered
run: leadvault consent show $ID
exit: 6
# Every record of the lead deleted.
run: ./tamper "DELETE FROM consent WHERE lead_id = x'$ID'"
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: is incomplete or reordered
# A middle record deleted.
run: ./tamper "DELETE FROM consent WHERE seq = (SELECT min(seq) FROM consent WHERE lead_id = x'$ID' AND purpose = 'phone_outreach')"
run: lv_as bob lead get $ID --purpose email_marketing
exit: 6
stderr-has: integrity failure

# The other lead is untouched by all of this, and the pristine copy reveals.
run: ./tamper "DELETE FROM consent WHERE seq = (SELECT max(seq) FROM consent WHERE lead_id = x'$ID')"
run: lv_as bob --json lead get $BEN --purpose email_marketing | lvtool keys fields
stdout-is: first_name,email
run: ./tamper "SELECT count(*) FROM consent"
stdout-is: 4
run: lv_as bob --json lead get $ID --purpose email_marketing | lvtool keys fields
stdout-is: first_name,last_name,email
