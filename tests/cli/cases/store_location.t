desc: the vault location picks the storage backend at run time: a path is a SQLite file, a postgresql: location is refused by name without being echoed (a URI may carry a password), and a file named postgresql:... is reachable as ./postgresql:...
setup: vault
run: printf 'pw for a\n' > a.pass
run: leadvault --vault 'postgresql://ann:s3cretpw@db.example/leads' --passphrase-file a.pass init --admin ann
exit: 2
stderr-has: names a PostgreSQL database
stderr-lacks: s3cretpw
run: leadvault --vault 'postgresql:host=/tmp dbname=leads password=s3cretpw' --user ann --passphrase-file a.pass lead list
exit: 2
stderr-has: names a PostgreSQL database
stderr-lacks: s3cretpw
run: leadvault --vault 'postgres://h/leads' --user ann --passphrase-file a.pass stats
exit: 2
stderr-has: names a PostgreSQL database
run: test ! -e postgresql: && ls
stdout-lacks: postgres
# The same text as a relative path is an ordinary file.
run: leadvault --vault './postgresql:leads' --passphrase-file a.pass init --admin ann "${LV_KDF[@]}"
stdout-has: created vault ./postgresql:leads
run: leadvault --vault './postgresql:leads' --user ann --passphrase-file a.pass stats --json
stdout-is: {"total":0}
# A path keeps working as before.
run: leadvault stats
