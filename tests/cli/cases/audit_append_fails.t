desc: when the audit entry cannot be committed, nothing is revealed and nothing is committed (reveals, writes, erasure, import, users)
# Acceptance (audit) 3. lv_no_room leaves the write-ahead log no room to
# grow, so every commit, the audit entry's included, fails (exit 8; a
# planted trigger, as this case used before, is now refused at open). Reads
# must print no plaintext (canaries checked on both streams, and in any file
# written), writes must leave every table byte for byte as it was (lv_dump:
# all tables but the audit log, blobs in hex), and the audit tables must not
# change either.
setup: vault
setup: user comp compliance
# qa_all leaves out email2 and phone2; qa_every reveals all eleven fields.
run: leadvault purpose add qa_every --basis legitimate_interest --fields first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2 --roles admin,sales,compliance
run: printf '%s\n' 'Qzfirst3Kanarie' 'Qzlast3Kanarie' 'qz.mail3kanarie@example.com' '+4930555333' 'Qzco3Kanarie' 'Qztitle3Kanarie' 'qzweb3kanarie.example' 'Qzaddr3Kanarie' 'Qznotes3Kanarie' 'qz.second3kanarie@example.org' '+4930555444' 'Qznewnote3Kanarie' > canaries.txt
run: leadvault lead add --first-name Qzfirst3Kanarie --last-name Qzlast3Kanarie --email qz.mail3kanarie@example.com --phone '+4930555333' --company Qzco3Kanarie --title Qztitle3Kanarie --website https://qzweb3kanarie.example/ --address Qzaddr3Kanarie --notes Qznotes3Kanarie --email2 qz.second3kanarie@example.org --phone2 '+4930555444'
save: A
# The guard: with the log working, the reveal shows the canaries.
run: leadvault lead get $A --purpose qa_every > shown.txt && lvtool scan canaries.txt shown.txt
exit: 1
stdout-has: FOUND 'Qzfirst3Kanarie'
stdout-has: FOUND 'qz.second3kanarie@example.org'
stdout-has: FOUND '+4930555444'

run: sqlite3 vault.lv "SELECT count(*) FROM lead"
stdout-is: 1
run: lv_dump > before.txt && sqlite3 vault.lv "SELECT count(*), max(seq) FROM audit; SELECT count(*) FROM audit_lead; SELECT count(*) FROM audit_checkpoint" > audit.before && wc -l < before.txt
stdout-match: ^[0-9]+$
run: lv_hold_wal

# ---- reveals: no plaintext, non-zero exit ---------------------------------------------
run: lv_no_room leadvault lead get $A --purpose qa_every
exit: 8
stdout-empty
stderr-has: storage full while committing
stderr-lacks: Kanarie
run: lv_no_room leadvault lead get $A --purpose qa_every > out.txt 2> err.txt; echo "exit $?"; lvtool scan canaries.txt out.txt err.txt
stdout-has: exit 8
stdout-lacks: FOUND
run: lv_no_room leadvault --json lead get $A --purpose qa_every > out.txt 2> err.txt; echo "exit $?"; lvtool scan canaries.txt out.txt err.txt
stdout-has: exit 8
stdout-lacks: FOUND
run: lv_no_room leadvault lead find --email qz.mail3kanarie@example.com --purpose qa_every > out.txt 2> err.txt; echo "exit $?"; lvtool scan canaries.txt out.txt err.txt
stdout-has: exit 8
stdout-lacks: FOUND
run: lv_no_room leadvault lead find --phone '+4930555444' --purpose qa_every > out.txt 2> err.txt; echo "exit $?"; lvtool scan canaries.txt out.txt err.txt
stdout-has: exit 8
stdout-lacks: FOUND
run: lv_no_room lv_as comp subject export $A --request REQ-1 --out subject.json > out.txt 2> err.txt; echo "exit $?"; touch subject.json; lvtool scan canaries.txt out.txt err.txt subject.json
stdout-has: exit 8
stdout-lacks: FOUND
run: lv_no_room lv_as comp consent show $A
exit: 8
stdout-empty
run: lv_no_room leadvault export --purpose qa_every --out export.csv > out.txt 2> err.txt; echo "exit $?"; touch export.csv; lvtool scan canaries.txt out.txt err.txt export.csv
stdout-has: exit 8
stdout-lacks: FOUND

# ---- writes: nothing committed ----------------------------------------------------------
run: lv_no_room leadvault lead add --first-name Qzother3Kanarie --email qz.other3kanarie@example.com
exit: 8
stdout-empty
run: sqlite3 vault.lv "SELECT count(*) FROM lead"
stdout-is: 1
run: lv_dump | diff before.txt -
run: lv_no_room leadvault lead update $A --notes Qznewnote3Kanarie --email2 '' --phone '+4930555999' --stage lost
exit: 8
# Every sealed column, the data key and the metadata of the lead unchanged.
run: lv_dump | diff before.txt -
run: lv_no_room leadvault consent grant $A email_marketing --evidence 'web form'
exit: 8
run: lv_no_room leadvault hold set $A --reason 'case 1'
exit: 8
run: lv_no_room leadvault erase $A --request REQ-2
exit: 8
run: printf 'first_name,email\nQzimp3Kanarie,qz.imp3kanarie@example.com\n' > in.csv && lv_no_room leadvault import in.csv
exit: 8
run: lv_no_room leadvault user add eve --role sales --new-passphrase-file comp.pass "${LV_KDF[@]}"
exit: 8
run: lv_no_room leadvault purpose add qz_blocked --basis consent --fields email --roles sales
exit: 8
run: lv_no_room leadvault backup --out backup.lv
exit: 8
run: test ! -s backup.lv
run: lv_dump | diff before.txt -
# The audit tables did not change either (no entry, no link, no checkpoint).
run: sqlite3 vault.lv "SELECT count(*), max(seq) FROM audit; SELECT count(*) FROM audit_lead; SELECT count(*) FROM audit_checkpoint" | diff audit.before -

# ---- room again: all is as before, and works -------------------------------------------
run: lv_release_wal
run: leadvault audit verify
stdout-has: ok:
run: leadvault lead get $A --purpose qa_every --fields notes,email2,phone
stdout-has: notes: Qznotes3Kanarie
stdout-has: email2: qz.second3kanarie@example.org
stdout-has: phone: +4930555333
run: leadvault check
stdout-has: ok: 1 leads
