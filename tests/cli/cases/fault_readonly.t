desc: a vault file its user may not write (mode 0400), or a vault in a folder its user may not write: every command, even one that only reads, exits 9 saying what is read-only, and the file stays byte for byte the same, with no -wal or -shm left beside it; given write access again, the same commands work
# Every command writes an audit entry, so none can run on a read-only
# vault. Root ignores permission bits: the commands run through
# lv_unprivileged (uid 65534 when the case runs as root), on copies that
# lv_unprivileged_copy gives to that user.
setup: vault
run: leadvault lead add --first-name Ann --email ann@example.com
save: ANN

# The file is read-only.
run: lv_unprivileged_copy ro && chmod 0400 ro/vault.lv && sha256sum ro/vault.lv > ro.sum
run: lv_unprivileged --vault ro/vault.lv --passphrase-file ro/alice.pass lead add --first-name Bob --email bob@example.com
exit: 9
stderr-is: leadvault lead add: the vault file ro/vault.lv is read-only (Permission denied); leadvault writes to it on every command, to audit it
stdout-empty
run: lv_unprivileged --vault ro/vault.lv --passphrase-file ro/alice.pass lead list
exit: 9
stderr-has: is read-only
run: lv_unprivileged --vault ro/vault.lv --passphrase-file ro/alice.pass --json lead get $ANN --purpose qa_all
exit: 9
stdout-has: "exit_code":9
run: lv_unprivileged --vault ro/vault.lv --passphrase-file ro/alice.pass check
exit: 9
run: sha256sum -c ro.sum
run: ls -A ro | paste -sd ' '
stdout-is: alice.pass vault.lv

# The folder is read-only: the file could be written, but SQLite cannot
# create its -wal and -shm files beside it.
run: lv_unprivileged_copy rodir && chmod 0555 rodir && sha256sum rodir/vault.lv > rodir.sum
run: lv_unprivileged --vault rodir/vault.lv --passphrase-file rodir/alice.pass lead add --first-name Bob --email bob@example.com
exit: 9
stderr-has: leadvault lead add: cannot write the -wal and -shm files SQLite keeps next to rodir/vault.lv: its folder, or those files, are read-only
stdout-empty
run: lv_unprivileged --vault rodir/vault.lv --passphrase-file rodir/alice.pass lead list
exit: 9
run: sha256sum -c rodir.sum
run: ls -A rodir | paste -sd ' '
stdout-is: alice.pass vault.lv

# Write access again: the same commands work on both copies.
run: chmod 0600 ro/vault.lv && chmod 0755 rodir
run: lv_unprivileged --vault ro/vault.lv --passphrase-file ro/alice.pass lead add --first-name Bob --email bob@example.com > /dev/null
run: lv_unprivileged --vault ro/vault.lv --passphrase-file ro/alice.pass check
stdout-has: ok: 2 leads
run: lv_unprivileged --vault rodir/vault.lv --passphrase-file rodir/alice.pass lead add --first-name Bob --email bob@example.com > /dev/null
run: lv_unprivileged --vault rodir/vault.lv --passphrase-file rodir/alice.pass audit verify
stdout-has: ok:
