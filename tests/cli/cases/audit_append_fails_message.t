desc: the message of a failed audit append says once, and intact, why it failed
# Acceptance (audit) 3, the message the user sees. audit_append builds it with
# err_set("audit log append failed (%s); ...", lv_error_last()): the source
# of %s is the very buffer vsnprintf writes into (undefined behaviour), and
# glibc prints the start of the message again and a cut-off cause
# ("... failed (audit log append failed (g: blocked); ...").
setup: vault
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: sqlite3 vault.lv "CREATE TRIGGER block_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'blocked'); END;"
run: leadvault lead get $A --purpose qa_all
exit: 1
stderr-is: leadvault lead get: audit log append failed (appending to the audit log: blocked); the operation was not carried out
run: leadvault lead list
exit: 1
stderr-is: leadvault lead list: audit log append failed (appending to the audit log: blocked); the operation was not carried out
