desc: erase on a full disk (a file size limit) exits 8 in both of its stages: when the erasure's own writes do not fit, nothing is erased, no receipt is left, and the same command succeeds later; when they fit but folding the write-ahead log into the vault file does not, the erasure is committed and says so, and the next command without the limit leaves nothing of the lead behind
# ulimit -f (KiB) stands in for a full disk (see fault_full_add.t). An
# erasure writes about 50 KiB of write-ahead log (the lead's pages wiped,
# index, suppression list, tombstone, audit), then checkpoints it into the
# vault file, here about 300 KiB after 200 imported rows. 36 KiB (the -shm
# file needs 32) stops the first stage; 100 KiB lets it commit and stops
# the checkpoint, which rewrites pages beyond 100 KiB of the vault file.
setup: vault
run: lvtool data genleads.py && python3 genleads.py --rows 200 --seed 5 > leads.csv && leadvault import leads.csv > /dev/null
run: leadvault lead add --first-name Ann --email ann@example.com --phone "+1 415 555 0101" --notes "first of two"
save: ANN
run: leadvault lead add --first-name Qzfull7Kanarie --email qz.full7kanarie@example.com --notes Qzfullnote7Kanarie
save: QZ
run: lv_count
stdout-is: 202

# Stage one does not fit: nothing erased, no receipt.
run: lv_dump > before.dump
run: ( trap '' XFSZ; ulimit -f 36; leadvault erase --email ann@example.com --request REQ-1 --receipt r1.json )
exit: 8
stderr-has: leadvault erase: storage full while
stderr-has: (File too large); the changes were rolled back
stderr-lacks: committed
stdout-empty
run: test ! -e r1.json
run: lv_dump > after.dump && cmp before.dump after.dump
run: lv_count
stdout-is: 202
run: leadvault suppress check --email ann@example.com
stdout-is: not suppressed
run: leadvault --json lead get $ANN --purpose qa_all --fields notes | lvtool json fields.notes
stdout-is: first of two
run: leadvault check
stdout-has: ok: 202 leads
run: leadvault audit verify
stdout-has: ok:
# The same command, with room.
run: leadvault erase --email ann@example.com --request REQ-1 --receipt r1.json
stdout-has: erased 1 lead
run: leadvault receipt verify r1.json
run: lv_count
stdout-is: 201

# Stage two does not fit: the erasure is committed, and the command says so.
run: sqlite3 -separator ' ' vault.lv "SELECT 'data_key', hex(data_key) FROM lead WHERE id = x'$QZ' UNION ALL SELECT 'notes', hex(notes) FROM lead WHERE id = x'$QZ' UNION ALL SELECT 'tag', hex(tag) FROM lead_index WHERE lead_id = x'$QZ'" > blobs.txt
run: ( trap '' XFSZ; ulimit -f 100; leadvault erase $QZ --request REQ-2 --receipt r2.json )
exit: 8
stderr-has: the erasure is committed
stderr-has: (File too large)
stdout-empty
run: leadvault receipt verify r2.json
run: leadvault erase $QZ --request REQ-2
exit: 4
run: sqlite3 vault.lv "SELECT request FROM erasure WHERE lead_id = x'$QZ'"
stdout-is: REQ-2
# With room again, the next command folds the log in: nothing of the lead
# remains in the vault file, and no log is left.
run: leadvault check
stdout-has: ok: 200 leads
run: test ! -e vault.lv-wal
run: lvtool scan-bytes blobs.txt vault.lv
stdout-lacks: FOUND
run: leadvault audit verify
stdout-has: ok:
