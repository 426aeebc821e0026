desc: SELFTEST (must fail): stdout-is is exact, not a prefix
run: echo abc
stdout-is: ab
