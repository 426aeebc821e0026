desc: SELFTEST (must fail): a run without exit: that does not exit 0
run: false
run: true
