desc: SELFTEST (must fail): stdout-empty with output
run: echo x
stdout-empty
