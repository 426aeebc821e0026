desc: the vault file is created 0600 whatever the umask, never through a symlink, and init never overwrites
# Acceptance 7 (creation).
run: printf 'a passphrase\n' > p.pass
run: umask 000 && leadvault --vault open.lv --passphrase-file p.pass init --admin alice --kdf-memory 19 --kdf-iterations 2
run: stat -c %a open.lv
stdout-is: 600
run: umask 022 && leadvault --vault default.lv --passphrase-file p.pass init --admin alice --kdf-memory 19 --kdf-iterations 2
run: stat -c %a default.lv
stdout-is: 600
# The -wal and -shm files SQLite makes beside it are private too (a second
# connection keeps them after leadvault exits).
run: LEADVAULT_VAULT=$WORK/open.lv lv_hold_wal
run: umask 000 && leadvault --vault open.lv --user alice --passphrase-file p.pass lead add --first-name Someone
run: stat -c '%n %a' open.lv open.lv-wal open.lv-shm | paste -sd ' '
stdout-is: open.lv 600 open.lv-wal 600 open.lv-shm 600
run: lv_release_wal

# An existing file of any kind is never overwritten.
run: printf 'precious data\n' > precious.txt && cp precious.txt precious.orig
run: leadvault --vault precious.txt --passphrase-file p.pass init --admin alice --kdf-memory 19 --kdf-iterations 2
exit: 1
stderr-has: already exists; refusing to overwrite it
run: cmp precious.txt precious.orig
run: cp open.lv open.orig && leadvault --vault open.lv --passphrase-file p.pass init --admin bob --kdf-memory 19 --kdf-iterations 2
exit: 1
stderr-has: already exists
run: cmp open.lv open.orig
run: : > empty.lv && leadvault --vault empty.lv --passphrase-file p.pass init --admin alice --kdf-memory 19 --kdf-iterations 2
exit: 1
run: stat -c %s empty.lv
stdout-is: 0

# Not through a symlink: neither a dangling one nor one to an existing file.
run: ln -s target.lv dangling.lv && leadvault --vault dangling.lv --passphrase-file p.pass init --admin alice --kdf-memory 19 --kdf-iterations 2
exit: 1
run: test ! -e target.lv && test -L dangling.lv
run: ln -s precious.txt link.lv && leadvault --vault link.lv --passphrase-file p.pass init --admin alice --kdf-memory 19 --kdf-iterations 2
exit: 1
run: cmp precious.txt precious.orig
