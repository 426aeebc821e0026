desc: a trigger, a view, an extra index or an edited CREATE statement planted with plain SQL makes every command exit 6, naming the object found; removing it makes the vault whole again
# Issue 14, acceptance 1. A trigger runs inside leadvault's own writes (here
# it would swallow every audit entry), a view or an index is not leadvault's
# either. Each kind is planted in a copy of the vault and every kind of
# command is run on it: reads, writes, audit, check, as each role.
setup: vault
setup: user aud auditor
setup: user comp compliance
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: cp vault.lv clean.lv && test ! -e vault.lv-wal

# ---- a trigger ----
run: cp clean.lv trig.lv && sqlite3 trig.lv "CREATE TRIGGER drop_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(IGNORE); END;"
run: leadvault --vault trig.lv lead list
exit: 6
stderr-has: its schema differs from the one leadvault creates (trigger drop_audit, not one of leadvault's)
stdout-empty
run: leadvault --vault trig.lv lead add --first-name Bob --email bob@example.com
exit: 6
stderr-has: (trigger drop_audit, not one of leadvault's)
stdout-empty
run: leadvault --vault trig.lv lead get $A --purpose qa_all
exit: 6
stderr-has: (trigger drop_audit, not one of leadvault's)
stdout-empty
run: lv_as aud --vault trig.lv audit verify
exit: 6
stderr-has: (trigger drop_audit, not one of leadvault's)
run: lv_as comp --vault trig.lv erase $A --request REQ-1
exit: 6
stderr-has: (trigger drop_audit, not one of leadvault's)
run: leadvault --vault trig.lv check
exit: 6
stderr-has: (trigger drop_audit, not one of leadvault's)
run: leadvault --vault trig.lv stats
exit: 6
stdout-empty
# Nothing of the attempts reached the file (the trigger would have hidden them).
run: sqlite3 trig.lv "SELECT count(*) FROM lead; DROP TRIGGER drop_audit;"
stdout-is: 1
run: leadvault --vault trig.lv check
stdout-has: ok: 1 lead

# ---- a view ----
run: cp clean.lv view.lv && sqlite3 view.lv "CREATE VIEW leads_plain AS SELECT id, owner FROM lead"
run: leadvault --vault view.lv lead list
exit: 6
stderr-has: (view leads_plain, not one of leadvault's)
stdout-empty
run: leadvault --vault view.lv lead update $A --notes changed
exit: 6
stderr-has: (view leads_plain, not one of leadvault's)
run: lv_as aud --vault view.lv audit show
exit: 6
stderr-has: (view leads_plain, not one of leadvault's)
stdout-empty
run: leadvault --vault view.lv check
exit: 6
stderr-has: (view leads_plain, not one of leadvault's)

# ---- an extra index ----
run: cp clean.lv index.lv && sqlite3 index.lv "CREATE INDEX lead_by_owner ON lead(owner)"
run: leadvault --vault index.lv lead list
exit: 6
stderr-has: (index lead_by_owner, not one of leadvault's)
run: lv_as comp --vault index.lv hold set $A --reason 'case 1'
exit: 6
stderr-has: (index lead_by_owner, not one of leadvault's)
run: leadvault --vault index.lv retention plan
exit: 6
stderr-has: (index lead_by_owner, not one of leadvault's)
stdout-empty
run: leadvault --vault index.lv check
exit: 6
stderr-has: (index lead_by_owner, not one of leadvault's)

# ---- an edited CREATE statement (writable_schema): the hold table's MAC made optional ----
run: cp clean.lv edit.lv && sqlite3 edit.lv "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = replace(sql, 'mac BLOB NOT NULL', 'mac BLOB') WHERE name = 'hold';"
run: sqlite3 edit.lv "SELECT sql LIKE '%mac BLOB)%' FROM sqlite_schema WHERE name = 'hold'"
stdout-is: 1
run: leadvault --vault edit.lv lead list
exit: 6
stderr-has: (table hold, changed)
run: lv_as comp --vault edit.lv consent grant $A qa_all --evidence "web form"
exit: 6
stderr-has: (table hold, changed)
run: leadvault --vault edit.lv check
exit: 6
stderr-has: (table hold, changed)

# ---- a renamed table and a look-alike in its place ----
run: cp clean.lv rename.lv && sqlite3 rename.lv "ALTER TABLE retention RENAME TO retention_old; CREATE TABLE retention(name TEXT PRIMARY KEY, stage TEXT NOT NULL, source TEXT NOT NULL, no_consent INTEGER NOT NULL, consent_withdrawn INTEGER NOT NULL, older_than INTEGER NOT NULL, inactive INTEGER NOT NULL, created INTEGER NOT NULL, mac BLOB NOT NULL) WITHOUT ROWID;"
run: leadvault --vault rename.lv lead list
exit: 6
stderr-has: (table retention_old, not one of leadvault's)
run: leadvault --vault rename.lv retention list
exit: 6
stderr-has: (table retention_old, not one of leadvault's)

# ---- a view in a backup restored from ----
run: leadvault backup --out backup.lv && sqlite3 backup.lv "CREATE VIEW v AS SELECT 1"
run: leadvault restore backup.lv
exit: 6
stderr-has: (view v, not one of leadvault's)

# The untouched vault still works.
run: leadvault check
stdout-has: ok: 1 lead
