desc: KDF settings below the floor (19 MiB, 2 iterations) are refused at init and user add, with exit 2
# Acceptance 6 (floor).
run: printf 'a passphrase\n' > p.pass

run: leadvault --vault v1.lv --passphrase-file p.pass init --admin alice --kdf-memory 18 --kdf-iterations 2
exit: 2
stderr-has: KDF memory below the floor of 19 MiB
stdout-empty
run: test ! -e v1.lv && test ! -e v1.lv-wal && test ! -e v1.lv-journal
run: leadvault --vault v1.lv --passphrase-file p.pass init --admin alice --kdf-memory 19 --kdf-iterations 1
exit: 2
stderr-has: KDF iterations below the floor of 2
run: leadvault --vault v1.lv --passphrase-file p.pass init --admin alice --kdf-memory 0 --kdf-iterations 2
exit: 2
stderr-has: below the floor
run: leadvault --vault v1.lv --passphrase-file p.pass init --admin alice --kdf-memory 19 --kdf-iterations 0
exit: 2
stderr-has: below the floor
run: leadvault --vault v1.lv --passphrase-file p.pass init --admin alice --kdf-memory -5
exit: 2
run: ls
stdout-lacks: v1.lv

# The floor itself is accepted.
run: leadvault --vault v1.lv --passphrase-file p.pass init --admin alice --kdf-memory 19 --kdf-iterations 2
stdout-has: created vault
run: sqlite3 v1.lv "SELECT name, kdf_memory, kdf_iterations FROM keyslot"
stdout-is: alice|19456|2

setup: vault
run: printf 'bob passphrase\n' > bob.pass
run: lv_dump > before.dump
run: leadvault user add bob --role sales --new-passphrase-file bob.pass --kdf-memory 18 --kdf-iterations 2
exit: 2
stderr-has: KDF memory below the floor of 19 MiB
run: leadvault user add bob --role sales --new-passphrase-file bob.pass --kdf-memory 64 --kdf-iterations 1
exit: 2
stderr-has: KDF iterations below the floor of 2
run: leadvault user add bob --role sales --new-passphrase-file bob.pass --kdf-memory 0
exit: 2
run: leadvault user add bob --role sales --new-passphrase-file bob.pass --kdf-memory 19 --kdf-iterations 0
exit: 2
run: leadvault user list
stdout-lacks: bob
run: lv_dump | diff before.dump -
run: leadvault --user bob --passphrase-file bob.pass lead list
exit: 3

# user passwd may not lower a slot below the floor either.
run: cp alice.pass alice.old && printf 'alice weak\n' > alice.weak
run: leadvault user passwd --new-passphrase-file alice.weak --kdf-memory 8 --kdf-iterations 2
exit: 2
stderr-has: below the floor
run: leadvault user passwd --new-passphrase-file alice.weak --kdf-memory 19 --kdf-iterations 1
exit: 2
run: lv_dump | diff before.dump -
run: leadvault --passphrase-file alice.old lead list
