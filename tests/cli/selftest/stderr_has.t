desc: SELFTEST (must fail): stderr-has looks at stderr, not stdout
run: echo 'field email'
stderr-has: field email
