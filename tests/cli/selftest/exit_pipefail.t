desc: SELFTEST (must fail): a failure early in a pipeline is not hidden by the last command
run: false | cat
