desc: SELFTEST (must fail): the real binary's status reaches the check (a wrong passphrase is 3, not 0)
setup: vault
run: echo wrong > wrong.pass && leadvault --passphrase-file wrong.pass lead list
