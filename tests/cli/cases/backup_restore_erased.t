desc: a backup taken before an erasure, restored after it, does not bring the erased lead back, while the backup's other leads return; a backup of another vault is refused
# Erasure acceptance 6 (what holds whether a restore replaces every lead,
# as documented, or only brings back those the vault lacks: the documented
# replacement itself is backup_restore_replace.t).
setup: vault
setup: user carol compliance
setup: user bob sales
run: head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n'
save: R
run: leadvault lead add --first-name Qzxf${R}Kanarie --last-name Qzxl${R}Kanarie --email qz.x.${R}@example.com --phone '+442079460777' --notes "Qzxn${R}Kanarie" --company "Qzxc${R}Kanarie"
save: X
run: leadvault consent grant $X email_marketing --evidence "Qzxv${R}Kanarie"
run: leadvault lead add --first-name Yara --email yara.${R}@example.com --notes 'Yara note'
save: Y
run: leadvault consent grant $Y email_marketing --evidence "yara evidence"
run: leadvault lead add --first-name Zeno --email zeno.${R}@example.com --notes 'Zeno as backed up'
save: Z
run: printf '%s\n' "Qzxf${R}Kanarie" "Qzxl${R}Kanarie" "qz.x.${R}@example.com" "+442079460777" "Qzxn${R}Kanarie" "Qzxc${R}Kanarie" "Qzxv${R}Kanarie" > canaries.txt
run: sqlite3 -separator ' ' vault.lv "SELECT 'data_key', hex(data_key) FROM lead WHERE id = x'$X' UNION ALL SELECT 'notes', hex(notes) FROM lead WHERE id = x'$X' UNION ALL SELECT 'evidence', hex(evidence) FROM consent WHERE lead_id = x'$X' UNION ALL SELECT 'tag' || kind, hex(tag) FROM lead_index WHERE lead_id = x'$X'" > blobs.txt && wc -l < blobs.txt
stdout-is: 5

# The backup: 0600, never over an existing file, admin only.
run: umask 000 && leadvault backup --out backup.lv
stdout-is: backup written to backup.lv
run: stat -c %a backup.lv
stdout-is: 600
run: cp backup.lv backup.orig && leadvault backup --out backup.lv
exit: 1
stderr-has: already exists
run: cmp backup.lv backup.orig
run: lv_as carol backup --out carol.lv
exit: 5
run: test ! -e carol.lv
# The guard: the backup holds the lead to be erased.
run: lvtool scan-bytes blobs.txt backup.lv
exit: 1
stdout-has: FOUND data_key

# After the backup: an erasure, and a lead lost from the vault file (its
# rows deleted behind leadvault's back: only a restore can bring it back).
run: lv_as carol erase --email qz.x.${R}@example.com --request REQ-X
stdout-is: erased 1 lead; added to the suppression list
run: sqlite3 vault.lv "DELETE FROM lead_index WHERE lead_id = x'$Y'; DELETE FROM consent WHERE lead_id = x'$Y'; DELETE FROM lead WHERE id = x'$Y'"
run: leadvault lead get $Y --purpose qa_all
exit: 4
run: lv_dump > before-restore.txt

# Only an admin restores.
run: lv_as carol restore backup.lv
exit: 5
run: lv_as bob restore backup.lv
exit: 5
run: lv_dump | diff before-restore.txt -

run: leadvault --json restore backup.lv > restore.json && lvtool json skipped_erased restore.json
stdout-is: 1
# The erased lead is not back: not found, not listed, not in the file.
run: leadvault lead find --email qz.x.${R}@example.com --purpose qa_all
exit: 4
stdout-empty
run: leadvault lead find --phone '+442079460777' --purpose qa_all
exit: 4
run: leadvault lead get $X --purpose qa_all
exit: 4
run: leadvault --json lead list | lvtool pluck leads id | sort | paste -sd ' '
stdout-lacks: $X
stdout-has: $Y
stdout-has: $Z
run: lvtool scan-bytes blobs.txt vault.lv
stdout-lacks: FOUND
run: lv_scan canaries.txt
stdout-lacks: FOUND
run: sqlite3 vault.lv "SELECT (SELECT count(*) FROM consent WHERE lead_id = x'$X') || ' ' || (SELECT count(*) FROM lead_index WHERE lead_id = x'$X') || ' ' || (SELECT count(*) FROM erasure WHERE lead_id = x'$X')"
stdout-is: 0 0 1
# ... and still suppressed.
run: leadvault lead add --first-name Again --email QZ.X.${R}@EXAMPLE.COM
exit: 5
stderr-has: suppression list
# The lost lead is back from the backup, with its index entries and consent
# records; the other one is there.
run: leadvault --json lead get $Y --purpose qa_all > y.json && lvtool field-is y.json fields.email yara.${R}@example.com && lvtool field-is y.json fields.notes 'Yara note'
run: leadvault --json consent show $Y | lvtool pluck history purpose,state,evidence
stdout-is: email_marketing granted yara evidence
run: leadvault lead find --email YARA.${R}@example.com --purpose qa_all
stdout-has: id: $Y
run: leadvault --json lead get $Z --purpose qa_all --fields first_name | lvtool json fields.first_name
stdout-is: Zeno
# Yara's rows were deleted by hand, outside leadvault: the state digest
# keeps saying so after the restore brought her back.
run: leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: leadvault audit verify
stdout-has: ok:
run: lv_as carol --json audit show --action vault.restore | lvtool pluck entries actor,outcome | paste -sd '|'
stdout-is: carol denied|bob denied|alice ok
# A second restore of the same backup changes nothing more.
run: lv_dump > after-restore.txt && leadvault --json restore backup.lv | lvtool json skipped_erased
stdout-is: 1
run: lv_dump | diff after-restore.txt -
run: leadvault lead get $X --purpose qa_all
exit: 4

# A backup of another vault is refused, and nothing changes.
run: printf 'other\n' > other.pass && leadvault --vault other.lv --passphrase-file other.pass init --admin alice "${LV_KDF[@]}" > /dev/null && leadvault --vault other.lv --user alice --passphrase-file other.pass lead add --first-name Stranger > /dev/null && leadvault --vault other.lv --user alice --passphrase-file other.pass backup --out other-backup.lv > /dev/null
run: leadvault restore other-backup.lv
exit: 2
stderr-has: another vault
run: lv_dump | diff after-restore.txt -
run: leadvault --json lead list | lvtool json count
stdout-is: 2
# Nor is a file that is no vault at all.
run: printf 'not a vault\n' > junk.lv && leadvault restore junk.lv
exit: 2
run: lv_dump | diff after-restore.txt -
