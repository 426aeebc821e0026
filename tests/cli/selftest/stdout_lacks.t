desc: SELFTEST (must fail): stdout-lacks of text that is there
run: printf 'a Qzsecret7Kanarie b\n'
stdout-lacks: Qzsecret7Kanarie
