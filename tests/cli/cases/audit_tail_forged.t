desc: a checkpoint is signed only over a chain that verifies from the last signed checkpoint: an edited or forged tail entry makes the next command exit 6 and no new checkpoint is signed; the unsigned entries of failed unlocks are signed as before
# Issue 14: a tail forged by a file writer must not get signed by the next
# honest command. Each case runs on a copy of the same vault.
setup: vault
setup: user aud auditor
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: leadvault audit pubkey > pub.txt
run: cp vault.lv clean.lv && test ! -e vault.lv-wal
run: sqlite3 clean.lv "SELECT count(*) FROM audit_checkpoint"
save: CPS

# ---- the signed head entry edited (its hash left as it was) ----
run: cp clean.lv edit.lv && sqlite3 edit.lv "UPDATE audit SET action = 'lead.list' WHERE seq = (SELECT max(seq) FROM audit)"
run: leadvault --vault edit.lv lead add --first-name Bob --email bob@example.com
exit: 6
stderr-has: does not verify (edited, inserted or removed); no checkpoint signed
run: sqlite3 edit.lv "SELECT count(*) FROM audit_checkpoint"
stdout-is: $CPS
# Every later command is refused the same way, the auditor's checkpoint too.
run: lv_as aud --vault edit.lv audit checkpoint
exit: 6
stdout-empty
run: sqlite3 edit.lv "SELECT count(*) FROM audit_checkpoint"
stdout-is: $CPS

# ---- an entry appended with the right link but a made-up hash ----
run: cp clean.lv forged.lv && sqlite3 forged.lv "INSERT INTO audit SELECT seq + 1, time, actor, role, os_user, 'lead.erase', subject, fields, purpose, outcome, code, request, lead_ids, hash, randomblob(32) FROM audit ORDER BY seq DESC LIMIT 1"
run: leadvault --vault forged.lv stats
exit: 6
stderr-has: audit entry
stderr-has: no checkpoint signed
run: sqlite3 forged.lv "SELECT count(*) FROM audit_checkpoint"
stdout-is: $CPS
run: leadvault --vault forged.lv audit verify --pubkey pub.txt
exit: 6

# ---- a tail entry removed from under its checkpoint ----
run: cp clean.lv cut.lv && sqlite3 cut.lv "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)"
run: leadvault --vault cut.lv lead list
exit: 6
stderr-has: no checkpoint signed
run: sqlite3 cut.lv "SELECT count(*) FROM audit_checkpoint"
stdout-is: $CPS

# ---- the latest checkpoint's signature edited ----
run: cp clean.lv sig.lv && sqlite3 sig.lv "UPDATE audit_checkpoint SET signature = randomblob(64) WHERE id = (SELECT max(id) FROM audit_checkpoint)"
run: leadvault --vault sig.lv lead list
exit: 6
stderr-has: the latest audit checkpoint
stderr-has: does not verify; no checkpoint signed

# ---- failed unlocks leave unsigned entries: signed by the next command, as before ----
run: printf 'wrong\n' > wrong.pass && leadvault --passphrase-file wrong.pass lead list
exit: 3
run: leadvault lead list
stdout-has: $A
run: sqlite3 vault.lv "SELECT (SELECT max(size) FROM audit_checkpoint) = (SELECT max(seq) FROM audit)"
stdout-is: 1
run: leadvault audit verify --pubkey pub.txt
stdout-has: ok:
