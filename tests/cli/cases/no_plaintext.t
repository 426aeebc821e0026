desc: after add, update and close, no plaintext of a lead is in the vault file, its -wal or its -shm
# Acceptance 2. A second connection holds a read transaction (lv_hold_wal),
# so SQLite keeps the -wal and -shm files, with every frame leadvault wrote,
# after each leadvault process exits; they are scanned before the vault is
# checkpointed, and the vault file alone again after.
setup: vault

# Distinctive values, one per field; canaries.txt also lists the forms that
# the vault computes from them: the trimmed, lower-cased (index) email, the
# normalized phone, and the admin's passphrase.
run: printf '%s\n' 'Qzfirst7Kanarie' 'Qzlast7Kanarie' 'Qz.Mail7Kanarie@Example.com' 'qz.mail7kanarie@example.com' '+4915123456789' '15123456789' 'Qzcompany7Kanarie' 'Qztitle7Kanarie' 'qzweb7kanarie.example' 'Qzaddress7Kanarie' 'Qznotes7Kanarie' 'Qznew7KanarieNotes' 'Qz.New7Kanarie@Example.org' 'qz.new7kanarie@example.org' 'Qzupdated7Company' 'Qzclosing7Note' 'Qzथ्री7कनारी' 'Qz佐藤7カナリア' > canaries.txt && head -c -1 alice.pass >> canaries.txt && echo >> canaries.txt
run: wc -l < canaries.txt
stdout-is: 19

# The scanner must find what is there: a plain file holding two canaries.
run: printf 'xx Qzfirst7Kanarie yy QZ.MAIL7KANARIE@EXAMPLE.COM' > plain.txt && lvtool scan canaries.txt plain.txt
exit: 1
stdout-has: FOUND 'Qzfirst7Kanarie'
stdout-has: FOUND 'qz.mail7kanarie@example.com'

run: lv_hold_wal

run: leadvault lead add --first-name Qzfirst7Kanarie --last-name Qzlast7Kanarie --email '  Qz.Mail7Kanarie@Example.com ' --phone '0151 2345 6789' --country DE --company Qzcompany7Kanarie --title Qztitle7Kanarie --website https://qzweb7kanarie.example/ --address Qzaddress7Kanarie --notes $'Qznotes7Kanarie\nline two'
save: ID
run: leadvault lead add --first-name 'Qzथ्री7कनारी' --last-name 'Qz佐藤7カナリア' --notes Qzclosing7Note
save: ID2
# The normalized phone is what the canary list expects.
run: leadvault --json lead get $ID --purpose qa_all --fields phone | lvtool json fields.phone
stdout-is: +4915123456789

run: leadvault lead update $ID --notes Qznew7KanarieNotes --email Qz.New7Kanarie@Example.org --company Qzupdated7Company --stage contacted
# "Close" the lead: its final stage.
run: leadvault lead update $ID --stage lost --last-contact 2026-01-31
run: leadvault lead update $ID2 --stage converted
run: leadvault lead find --email qz.new7kanarie@example.org --purpose qa_all --fields email
stdout-has: Qz.New7Kanarie@Example.org
run: leadvault check

# The write-ahead log is really there, holding this session's frames.
run: test -s vault.lv-wal && test -e vault.lv-shm && stat -c %s vault.lv-wal
stdout-match: ^[0-9]{5,}$
run: lv_scan canaries.txt
stdout-has: scanned vault.lv (
stdout-has: scanned vault.lv-wal (
stdout-has: scanned vault.lv-shm (
stdout-lacks: FOUND
# The guard: plain metadata (source_detail is not sealed, by design) written
# in this session is found in the -wal file, so the scan above saw the frames.
run: leadvault lead update $ID2 --source-detail Qzplainmeta7Marker && printf 'Qzplainmeta7Marker\n' > marker.txt
run: lvtool scan marker.txt vault.lv-wal
exit: 1
stdout-has: FOUND 'Qzplainmeta7Marker'

# Close everything: the WAL is checkpointed into the vault file.
run: lv_release_wal
run: leadvault lead list
run: test ! -e vault.lv-wal
run: lv_scan canaries.txt
stdout-has: scanned vault.lv (
stdout-lacks: FOUND
# Nor in the text sqlite3 itself makes of it (strings, not blobs).
run: sqlite3 vault.lv .dump > dump.sql && lvtool scan canaries.txt dump.sql
stdout-lacks: FOUND
