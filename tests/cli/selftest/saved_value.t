desc: SELFTEST (must fail): a saved value is expanded, and compared
run: echo one
save: VALUE
run: echo two
stdout-is: $VALUE
