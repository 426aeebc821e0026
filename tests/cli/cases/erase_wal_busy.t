desc: an erasure while another process reads the vault is committed and says so, once and legibly; once the reader is gone nothing of the lead remains
# docs/cli.md (erase): "After the commit, the WAL is truncated. If it cannot
# be, because another process is reading, the command fails with a message
# saying the erasure is committed."
setup: vault
setup: user carol compliance
run: leadvault lead add --first-name Qzwal7Kanarie --email qz.wal7kanarie@example.com --notes Qzwalnote7Kanarie
save: ID
run: leadvault lead add --first-name Keep --email keep@example.com
save: K
run: printf '%s\n' Qzwal7Kanarie qz.wal7kanarie@example.com Qzwalnote7Kanarie > canaries.txt
run: sqlite3 -separator ' ' vault.lv "SELECT 'data_key', hex(data_key) FROM lead WHERE id = x'$ID' UNION ALL SELECT 'notes', hex(notes) FROM lead WHERE id = x'$ID' UNION ALL SELECT 'tag', hex(tag) FROM lead_index WHERE lead_id = x'$ID'" > blobs.txt

# A reader holds a read transaction across the erasure.
run: lv_hold_wal
run: lv_as carol erase --email qz.wal7kanarie@example.com --request REQ-W
exit: 7
stderr-has: the erasure is committed
stdout-empty
# The erasure happened, for good.
run: lv_as carol erase --email qz.wal7kanarie@example.com --request REQ-W
exit: 4
run: sqlite3 vault.lv "SELECT request FROM erasure WHERE lead_id = x'$ID'"
stdout-is: REQ-W
run: leadvault --json lead get $K --purpose qa_all --fields email | lvtool json fields.email
stdout-is: keep@example.com

# Once the reader is gone and the vault is closed, nothing of the lead.
run: lv_release_wal
run: leadvault check
stdout-has: ok: 1 lead
run: test ! -e vault.lv-wal
run: lvtool scan-bytes blobs.txt vault.lv
stdout-lacks: FOUND
run: lv_scan canaries.txt
stdout-lacks: FOUND

# The message says it once, whole, with its cause: the cause is not
# overwritten by the message that quotes it.
run: lv_hold_wal
run: { lv_as carol erase $K --request REQ-K --no-suppress > /dev/null 2> err.txt; echo "exit $?"; grep -o 'the erasure is committed' err.txt | wc -l; grep -cE 'truncated yet \([^()]+\)' err.txt || true; } | paste -sd ' '
stdout-is: exit 7 1 1
run: lv_release_wal
