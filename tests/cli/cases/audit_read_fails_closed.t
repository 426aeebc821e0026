desc: with the audit entry unable to commit, lead list, audit show and export, stats and retention plan print nothing on stdout and exit non-zero; with room again they print
# Issue 14, acceptance 6. lv_no_room (tests/cli/README.md) leaves the
# write-ahead log no room to grow: every commit, the reading's own audit
# entry included, fails with EFBIG (exit 8). These commands used to hand
# each row to the output while they read, and failed only afterwards.
setup: vault
setup: user comp compliance
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: lv_as comp retention add old_1h --older-than 1h

# The guard: each prints with the log working.
run: leadvault lead list
stdout-has: $A
run: leadvault stats
stdout-has: new
run: lv_as comp retention plan --as-of 2099-01-01T00:00:00Z
stdout-has: $A
run: lv_as comp audit show
stdout-has: lead.add
run: lv_as comp audit export
stdout-has: lead.add
run: sqlite3 vault.lv "SELECT count(*) FROM audit" > audit.before

run: lv_hold_wal
run: lv_no_room leadvault lead list
exit: 8
stdout-empty
stderr-has: storage full while committing
run: lv_no_room leadvault --json lead list
exit: 8
stdout-lacks: $A
run: lv_no_room leadvault stats
exit: 8
stdout-empty
run: lv_no_room lv_as comp retention plan --as-of 2099-01-01T00:00:00Z
exit: 8
stdout-empty
run: lv_no_room lv_as comp audit show
exit: 8
stdout-empty
run: lv_no_room lv_as comp audit export
exit: 8
stdout-empty
run: lv_no_room lv_as comp retention run --request REQ-1
exit: 8
stdout-lacks: $A
# Nothing was recorded or erased.
run: sqlite3 vault.lv "SELECT count(*) FROM audit" | diff audit.before -
run: lv_release_wal

# With room again they print, and audit show lists the log as it was
# when it started (not its own entry).
run: leadvault lead list
stdout-has: $A
run: lv_as comp audit show | tail -n 1
stdout-has: lead.list
run: leadvault audit verify
stdout-has: ok:
