desc: plain-SQL edits of the audit tables (every column, a deletion, a swap, a checkpoint signature, a wrong key, a truncation) make audit verify exit 6 naming the first bad entry
# Acceptance (audit) 1. Every tampering works on a fresh copy of orig.lv, so
# that one cannot hide another, and is verified twice: locked, with the
# public key file (--pubkey, no passphrase), and unlocked as alice (which
# then appends its own audit.verify entry, so it runs second).
setup: vault
setup: user aud auditor
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: leadvault lead get $A --purpose qa_all --fields first_name,email
run: leadvault lead add --first-name Bob --phone '+4930123456'
save: B
run: leadvault lead list
run: leadvault audit pubkey --out pub.txt
# The checkpoint of the whole log, kept outside the vault.
run: leadvault audit checkpoint --out cp.txt
run: sed -n 2p cp.txt
stdout-is: 7
run: sqlite3 vault.lv "SELECT seq, action, hex(lead_ids) = '' FROM audit" | paste -sd ' '
stdout-is: 1|vault.create|1 2|purpose.add|1 3|user.add|1 4|lead.add|0 5|lead.get|0 6|lead.add|0 7|lead.list|1
run: sqlite3 vault.lv "SELECT id, size FROM audit_checkpoint" | paste -sd ' '
stdout-is: 1|1 2|2 3|3 4|4 5|5 6|6 7|7
run: test ! -e vault.lv-wal && cp vault.lv orig.lv

# The untouched log verifies both ways.
run: cp orig.lv c.lv && leadvault --vault c.lv audit verify --pubkey pub.txt
stdout-is: ok: 7 entries, 7 checkpoint signatures verified
run: leadvault --vault c.lv audit verify --checkpoint cp.txt
stdout-is: ok: 7 entries, 7 checkpoint signatures verified; the log extends the given checkpoint

# ---- every column of entry 5 (lead.get: lead id, fields, purpose) ----------
# lvtool audit-tamper-sql gives text and blobs another first byte, code + 1,
# seq + 1000000. Each line: was the row changed, then exit status and the
# entry named by "FAILED at entry N", locked and unlocked.
run: lvtool audit-tamper-sql audit 5 seq time actor role os_user action subject fields purpose outcome code request lead_ids prev_hash hash > edits.tsv && while IFS=$'\t' read -r col sql; do cp orig.lv t.lv && sqlite3 t.lv "$sql" || exit 1; before=$(sqlite3 orig.lv "SELECT quote($col) FROM audit WHERE seq = 5"); after=$(sqlite3 t.lv "SELECT quote($col) FROM audit WHERE seq = 5"); [ "$before" != "$after" ] && changed=changed || changed=UNCHANGED; leadvault --vault t.lv audit verify --pubkey pub.txt > /dev/null 2> locked.err; l=$?; leadvault --vault t.lv audit verify > /dev/null 2> unlocked.err; u=$?; echo "$col: $changed, locked $l entry $(sed -n 's/.*FAILED at entry \([0-9]*\):.*/\1/p' locked.err), unlocked $u entry $(sed -n 's/.*FAILED at entry \([0-9]*\):.*/\1/p' unlocked.err)"; done < edits.tsv
stdout-match: ^seq: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^time: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^actor: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^role: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^os_user: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^action: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^subject: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^fields: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^purpose: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^outcome: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^code: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^request: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^lead_ids: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^prev_hash: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-match: ^hash: changed, locked 6 entry 5, unlocked 6 entry 5$
stdout-lacks: UNCHANGED

# The first and the newest entry are covered too (an edit of the newest
# one cannot hide behind "no successor links to it").
run: { lvtool audit-tamper-sql audit 1 actor hash | sed 's/^/1 /'; lvtool audit-tamper-sql audit 7 actor hash | sed 's/^/7 /'; } > edits.tsv && while IFS=$'\t' read -r what sql; do cp orig.lv t.lv && sqlite3 t.lv "$sql" || exit 1; leadvault --vault t.lv audit verify --pubkey pub.txt > /dev/null 2> locked.err; l=$?; leadvault --vault t.lv audit verify > /dev/null 2> unlocked.err; u=$?; echo "$what: locked $l entry $(sed -n 's/.*FAILED at entry \([0-9]*\):.*/\1/p' locked.err), unlocked $u entry $(sed -n 's/.*FAILED at entry \([0-9]*\):.*/\1/p' unlocked.err)"; done < edits.tsv | paste -sd ' '
stdout-is: 1 actor: locked 6 entry 1, unlocked 6 entry 1 1 hash: locked 6 entry 1, unlocked 6 entry 1 7 actor: locked 6 entry 7, unlocked 6 entry 7 7 hash: locked 6 entry 7, unlocked 6 entry 7

# ---- a middle entry deleted ----------------------------------------------------
run: cp orig.lv t.lv && sqlite3 t.lv "DELETE FROM audit WHERE seq = 4" && sqlite3 t.lv "SELECT count(*) FROM audit"
stdout-is: 6
run: leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
stdout-empty
stderr-has: FAILED at entry 4: entry missing (deleted)
run: leadvault --vault t.lv audit verify
exit: 6
stderr-has: FAILED at entry 4: entry missing (deleted)

# ---- two entries' contents swapped (3 and 6; seq stays) ------------------------
run: cp orig.lv t.lv && sqlite3 t.lv "$(lvtool audit-swap-sql 3 6)" && sqlite3 t.lv "SELECT seq, action FROM audit WHERE seq IN (3, 6)" | paste -sd ' '
stdout-is: 3|lead.add 6|user.add
run: leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 3:
run: leadvault --vault t.lv audit verify
exit: 6
stderr-has: FAILED at entry 3:
# Only the payload swapped, each hash left where it was.
run: cp orig.lv t.lv && sqlite3 t.lv "CREATE TEMP TABLE s AS SELECT * FROM audit WHERE seq IN (3, 6); UPDATE audit SET (action, subject, lead_ids, fields, purpose) = (SELECT action, subject, lead_ids, fields, purpose FROM s WHERE s.seq = CASE audit.seq WHEN 3 THEN 6 ELSE 3 END) WHERE seq IN (3, 6)"
run: leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 3: entry content does not match its hash
run: leadvault --vault t.lv audit verify
exit: 6
stderr-has: FAILED at entry 3: entry content does not match its hash

# ---- a checkpoint signature changed (the checkpoint of size 4) -----------------
# Named by the entry the checkpoint signs.
run: lvtool audit-tamper-sql audit_checkpoint 4 signature head time > edits.tsv && while IFS=$'\t' read -r col sql; do cp orig.lv t.lv && sqlite3 t.lv "$sql" || exit 1; leadvault --vault t.lv audit verify --pubkey pub.txt > /dev/null 2> locked.err; l=$?; leadvault --vault t.lv audit verify > /dev/null 2> unlocked.err; u=$?; echo "$col: locked $l entry $(sed -n 's/.*FAILED at entry \([0-9]*\):.*/\1/p' locked.err), unlocked $u entry $(sed -n 's/.*FAILED at entry \([0-9]*\):.*/\1/p' unlocked.err)"; done < edits.tsv | paste -sd ' '
stdout-is: signature: locked 6 entry 4, unlocked 6 entry 4 head: locked 6 entry 4, unlocked 6 entry 4 time: locked 6 entry 4, unlocked 6 entry 4
run: cp orig.lv t.lv && sqlite3 t.lv "$(lvtool audit-tamper-sql audit_checkpoint 4 signature | cut -f2)" && leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 4: signature of the checkpoint at size 4 does not verify

# ---- a different public key --------------------------------------------------
# (a) another vault's key file; (b) this vault's key file with the key line
# replaced by another valid Ed25519 key. A key given with --pubkey always
# opens the vault locked; an unlocked vault given a wrong key text is
# covered by tests/unit/audit.c.
run: leadvault --vault other.lv init --admin alice "${LV_KDF[@]}" && leadvault --vault other.lv audit pubkey --out other.pub
run: { sed -n 1p pub.txt; sed -n 2p other.pub; } > mixed.pub && cmp <(sed -n 1p mixed.pub) <(sed -n 1p pub.txt) && ! cmp -s mixed.pub pub.txt && ! cmp -s <(sed -n 2p mixed.pub) <(sed -n 2p pub.txt)
run: cp orig.lv t.lv && leadvault --vault t.lv audit verify --pubkey other.pub
exit: 6
stdout-empty
stderr-has: FAILED at entry 1: the public key belongs to another vault
run: leadvault --vault t.lv audit verify --pubkey mixed.pub
exit: 6
stdout-empty
stderr-has: FAILED at entry 1: signature of the checkpoint at size 1 does not verify
# The other vault's own key verifies the other vault: the key files are good.
run: leadvault --vault other.lv audit verify --pubkey other.pub
stdout-has: ok: 1 entries

# ---- the newest entries deleted, with their checkpoints ---------------------------
# Entries 6 and 7 and the checkpoints of sizes 6 and 7 removed: what is left
# is a consistent, signed log of 5 entries. Only a checkpoint kept outside
# the vault (cp.txt, saved above) can tell; without one this truncation is
# NOT detected, as docs/format.md says (expected, not a bug).
run: cp orig.lv t.lv && sqlite3 t.lv "DELETE FROM audit WHERE seq > 5; DELETE FROM audit_lead WHERE seq > 5; DELETE FROM audit_checkpoint WHERE size > 5" && cp t.lv t2.lv && cp t.lv t3.lv
run: leadvault --vault t.lv audit verify --pubkey pub.txt --checkpoint cp.txt
exit: 6
stdout-empty
stderr-has: FAILED at entry 6: log truncated or rolled back: the outside checkpoint covers 7 entries, the log has 5
run: leadvault --vault t.lv audit verify --pubkey pub.txt
stdout-is: ok: 5 entries, 5 checkpoint signatures verified
run: leadvault --vault t2.lv audit verify --checkpoint cp.txt
exit: 6
stderr-has: FAILED at entry 6: log truncated or rolled back
run: leadvault --vault t3.lv audit verify
stdout-is: ok: 5 entries, 5 checkpoint signatures verified
# Rolled back, then written on: the unlocked verify above and a lead list
# each append an entry and sign a new head over the truncated log, so the
# vault's own checkpoints all verify; the outside checkpoint still catches
# it (at its own size, 7: it holds no hash of entry 6 to compare).
run: leadvault --vault t3.lv lead list > /dev/null && leadvault --vault t3.lv audit verify --pubkey pub.txt
stdout-is: ok: 7 entries, 7 checkpoint signatures verified
run: leadvault --vault t3.lv audit verify --pubkey pub.txt --checkpoint cp.txt
exit: 6
stderr-has: FAILED at entry 7: the log does not extend the outside checkpoint
# The newest entries deleted but their checkpoints kept: caught without help.
run: cp orig.lv t.lv && sqlite3 t.lv "DELETE FROM audit WHERE seq > 5" && leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 6: log truncated: a checkpoint covers 7 entries, the log has 5
