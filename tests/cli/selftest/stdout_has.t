desc: SELFTEST (must fail): stdout-has of text that is not there
run: echo hello
stdout-has: world
