desc: erasing a lead with a 64 KiB note (overflow pages) that was rewritten three times leaves none of its ciphertexts, old or last, in the vault, -wal or -shm
setup: vault
run: lvtool gen-text 65000 > note.txt
run: lvtool idle-start vault.lv idle.pid 240
run: leadvault lead add --first-name Qzbig7Kanarie --email qz.big7kanarie@example.com --notes "$(cat note.txt)"
save: ID
run: leadvault lead add --first-name Keep --notes "$(cat note.txt)"
save: K
# Each version of the note, recorded before it is replaced.
run: for i in 1 2 3; do sqlite3 -separator ' ' vault.lv "SELECT 'notes.v$i', hex(notes) FROM lead WHERE id = x'$ID'" >> blobs.txt && leadvault lead update $ID --notes "Qzv${i}Kanarie $(cat note.txt)" > /dev/null || exit 1; done
run: sqlite3 -separator ' ' vault.lv "SELECT 'notes.v4', hex(notes) FROM lead WHERE id = x'$ID' UNION ALL SELECT 'data_key', hex(data_key) FROM lead WHERE id = x'$ID' UNION ALL SELECT 'first_name', hex(first_name) FROM lead WHERE id = x'$ID'" >> blobs.txt
run: wc -l < blobs.txt
stdout-is: 6
# The guard: the last version is there, spread over overflow pages.
run: lvtool scan-bytes blobs.txt vault.lv vault.lv-wal
exit: 1
stdout-has: FOUND notes.v4
run: printf '%s\n' Qzbig7Kanarie qz.big7kanarie@example.com Qzv1Kanarie Qzv3Kanarie > canaries.txt

run: leadvault erase $ID --request REQ-BIG
stdout-is: erased 1 lead; added to the suppression list
run: lvtool scan-bytes blobs.txt vault.lv vault.lv-wal vault.lv-shm
stdout-has: scanned vault.lv-wal
stdout-lacks: FOUND
run: lv_scan canaries.txt
stdout-lacks: FOUND
run: lvtool idle-stop idle.pid
run: leadvault --json lead get $K --purpose qa_all --fields notes | lvtool json fields.notes | cmp - note.txt
run: lvtool scan-bytes blobs.txt vault.lv
stdout-lacks: FOUND
