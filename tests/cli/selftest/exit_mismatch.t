desc: SELFTEST (must fail): the exit status differs from exit:
run: true
exit: 1
