desc: one flipped byte in a sealed value (format byte, nonce, ciphertext, tag) or a wrapped data key: exit 6 naming lead and field
# Acceptance 3 (bit flips). A sealed value is: 1 format byte, 24 nonce
# bytes, the ciphertext, a 16-byte tag. Each lead gets one flip, in a
# different part and field.
setup: vault
run: leadvault lead add --first-name Qzone7Kanarie --email qz.one7kanarie@example.com --company Qzacme7Kanarie
save: L1
run: leadvault lead add --first-name Qztwo7Kanarie --phone '+442079460958' --title Qzchief7Kanarie
save: L2
run: leadvault lead add --last-name Qzthree7Kanarie --address Qzstreet7Kanarie --website https://qzsite7kanarie.example/
save: L3
run: leadvault lead add --first-name Qzfour7Kanarie --notes Qzlongnote7Kanarie-0123456789
save: L4
run: leadvault lead add --first-name Qzfive7Kanarie --email qz.five7kanarie@example.com
save: L5
run: leadvault lead add --first-name Qzsix7Kanarie --email qz.six7kanarie@example.com
save: L6
run: leadvault check
stdout-has: ok: 6 leads

run: sqlite3 vault.lv "SELECT length(first_name) FROM lead WHERE id = x'$L1'"
# 1 + 24 + 13 + 16
stdout-is: 54

run: lv_flip $L1 company 0
run: lv_flip $L2 title 7
run: lv_flip $L3 address 30
run: lv_flip $L4 notes -1
run: lv_flip $L5 data_key 40
# The guard: lv_flip changes exactly one byte.
run: sqlite3 vault.lv "SELECT hex(email) FROM lead WHERE id = x'$L6'" > before.hex
run: lv_flip $L6 email 25 && sqlite3 vault.lv "SELECT hex(email) FROM lead WHERE id = x'$L6'" > after.hex
run: cmp -l before.hex after.hex
exit: 1
# byte 25 is hex digits 51 and 52; the low bit lives in digit 52
stdout-match: ^ *52 +[0-9]+ +[0-9]+$
run: (cmp -l before.hex after.hex || true) | wc -l
stdout-is: 1
run: lv_flip $L6 email 25 && sqlite3 vault.lv "SELECT hex(email) FROM lead WHERE id = x'$L6'" | cmp - before.hex
run: leadvault lead get $L6 --purpose qa_all --fields email
stdout-has: qz.six7kanarie@example.com

run: leadvault lead get $L1 --purpose qa_all
exit: 6
stderr-has: lead $L1, field company
stdout-empty
stderr-lacks: Kanarie
run: leadvault lead get $L2 --purpose qa_all
exit: 6
stderr-has: lead $L2, field title
stdout-empty
stderr-lacks: Kanarie
run: leadvault lead get $L3 --purpose qa_all
exit: 6
stderr-has: lead $L3, field address
stdout-empty
stderr-lacks: Kanarie
run: leadvault lead get $L4 --purpose qa_all --fields notes
exit: 6
stderr-has: lead $L4, field notes
stdout-empty
stderr-lacks: Kanarie
run: leadvault --json lead get $L4 --purpose qa_all
exit: 6
stdout-has: notes
stdout-lacks: Kanarie
run: leadvault lead get $L5 --purpose qa_all
exit: 6
stderr-has: lead $L5, field data_key
stdout-empty
stderr-lacks: Kanarie
# The untampered fields of a tampered lead still open when asked alone.
run: leadvault lead get $L1 --purpose qa_all --fields first_name,email
stdout-has: first_name: Qzone7Kanarie

run: leadvault check
exit: 6
stderr-has: lead $L1, field company
stderr-has: lead $L2, field title
stderr-has: lead $L3, field address
stderr-has: lead $L4, field notes
stderr-has: lead $L5, field data_key
stderr-lacks: lead $L6
stderr-has: 6 leads checked
stderr-lacks: Kanarie
stdout-lacks: Kanarie

# Updating a lead whose data key was tampered with is refused too.
run: leadvault lead update $L5 --title 'New title'
exit: 6
stderr-has: lead $L5
