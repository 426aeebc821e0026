desc: SELFTEST (must fail): an unknown key is a bad case file
run: true
stdout-contains: x
