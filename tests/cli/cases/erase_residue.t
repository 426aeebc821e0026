desc: erase --email leaves no canary, sealed value, data key, consent evidence or index tag in the vault file, its -wal or its -shm; other leads stay whole
# Erasure acceptance 1. A second, idle SQLite connection (lvtool idle-start)
# is open from before the lead is added until after it is erased: SQLite
# then keeps the -wal and -shm files beside the vault after each leadvault
# process exits, so the frames that held the lead are still there to be
# scanned, unless the erasure really removed them.
setup: vault
setup: user carol compliance
run: leadvault purpose add qa_every --basis legitimate_interest --fields first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2 --roles admin,sales,compliance

# Random canaries, new on every run: R (hex) for text, D (digits) for phones.
run: head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n'
stdout-match: ^[0-9a-f]{12}$
save: R
run: printf '%04d%04d' $((RANDOM % 10000)) $((RANDOM % 10000))
save: D

run: lvtool idle-start vault.lv idle.pid 240
run: leadvault lead add --first-name Qzf${R}Kanarie --last-name Qzl${R}Kanarie --email Qz.E${R}@Example.com --email2 Qz.S${R}@Example.org --phone "0151 ${D:0:4} ${D:4:4}" --phone2 "+1 212 555 ${D:0:4}" --country DE --company "Qzc${R}Kanarie GmbH" --title Qzt${R}Kanarie --website https://qzw${R}kanarie.example/path --address $'Qza'${R}$'Kanarie Stra\u00dfe 1\n10115 Berlin' --notes $'Qzn'${R}$'Kanarie line one\n\u0928\u094b\u091f Qzd'${R}$'\u0915\u0928\u093e\u0930\u0940' --stage qualified
save: ID
run: leadvault consent grant $ID email_marketing --evidence "Qzv${R}Kanarie signed form 42" --notice-version 2027-01
run: leadvault consent withdraw $ID email_marketing --reason "Qzr${R}Kanarie no longer interested"
run: leadvault consent grant $ID phone_outreach --evidence "Qzp${R}Kanarie call recording"

# Two other leads, one of them imported in the same batch as a third.
run: leadvault lead add --first-name Keep${R}One --email keep.one.${R}@example.net --phone '+442079460111' --notes $'Keep one\nsecond line' --company KeepCo
save: K1
run: printf 'First Name,Last Name,Email,Email 2,Phone,Notes\nKeep%sTwo,Second,keep.two.%s@example.net,k2.alt.%s@example.net,+33142685300,Note of two\nKeep%sThree,Third,keep.three.%s@example.net,,,\n' $R $R $R $R $R > keep.csv && leadvault --json import keep.csv | lvtool json imported
stdout-is: 2
run: leadvault --json lead find --email keep.two.$R@example.net --purpose qa_every | lvtool json leads.0.id
save: K2
run: leadvault consent grant $K2 email_marketing --evidence "Keep${R}Evidence"

# The canaries: every value as given and in the forms the vault derives
# from them (normalized phones; the scanner also tries case, NFC/NFD,
# UTF-16, hex and base64 forms of each line).
run: printf '%s\n' "Qzf${R}Kanarie" "Qzl${R}Kanarie" "Qz.E${R}@Example.com" "Qz.S${R}@Example.org" "+49151${D}" "0151${D}" "0151 ${D:0:4} ${D:4:4}" "+1212555${D:0:4}" "Qzc${R}Kanarie GmbH" "Qzt${R}Kanarie" "qzw${R}kanarie.example" "Qza${R}Kanarie Straße 1" "Qzn${R}Kanarie line one" "Qzd${R}कनारी" "Qzv${R}Kanarie signed form 42" "Qzr${R}Kanarie no longer interested" "Qzp${R}Kanarie call recording" > canaries.txt && wc -l < canaries.txt
stdout-is: 17
# The lead really holds these values, in the forms listed.
run: leadvault --json lead get $ID --purpose qa_every > got.json && lvtool json fields.length got.json
stdout-is: 11
run: lvtool field-is got.json fields.phone "+49151${D}" && lvtool field-is got.json fields.phone2 "+1212555${D:0:4}" && lvtool field-is got.json fields.email2 "Qz.S${R}@Example.org"
run: lvtool field-is got.json fields.notes $'Qzn'${R}$'Kanarie line one\n\u0928\u094b\u091f Qzd'${R}$'\u0915\u0928\u093e\u0930\u0940'

# Record, with plain SQL, every stored byte string of the lead: each BLOB
# column of its row (sealed fields, wrapped data key, and whatever MACs the
# schema has) but its id, each BLOB of its consent records but their ids,
# and its blind-index tags. (A chain's all-zero start value is no trace of
# anyone: it is left out.)
run: sqlite3 vault.lv "SELECT group_concat(printf('SELECT ''lead.%s'', hex(%s) FROM lead WHERE id = x''$ID'' AND %s IS NOT NULL', name, name, name), ' UNION ALL ') FROM pragma_table_info('lead') WHERE type = 'BLOB' AND name <> 'id'" > lead.sql && sqlite3 -separator ' ' vault.lv "$(cat lead.sql)" > blobs.txt
run: sqlite3 vault.lv "SELECT group_concat(printf('SELECT ''consent.%s.'' || seq, hex(%s) FROM consent WHERE lead_id = x''$ID'' AND %s IS NOT NULL AND %s <> zeroblob(length(%s))', name, name, name, name, name), ' UNION ALL ') FROM pragma_table_info('consent') WHERE type = 'BLOB' AND name NOT IN ('id', 'lead_id')" > consent.sql && sqlite3 -separator ' ' vault.lv "$(cat consent.sql)" >> blobs.txt
run: sqlite3 -separator ' ' vault.lv "SELECT 'index.' || kind || '.' || rowid, hex(tag) FROM (SELECT kind, tag, row_number() OVER () AS rowid FROM lead_index WHERE lead_id = x'$ID')" >> blobs.txt
run: grep -c '^lead\.data_key ' blobs.txt
stdout-is: 1
# 11 sealed fields, 3 consent evidence or reason blobs, 4 index tags (email,
# email2, phone, phone2) at least.
run: grep -cE '^lead\.(first_name|last_name|email|phone|company|title|website|address|notes|email2|phone2) ' blobs.txt
stdout-is: 11
run: grep -cE '^consent\.(evidence|reason)\.' blobs.txt
stdout-is: 3
run: grep -c '^index\.' blobs.txt
stdout-is: 4

# The guards. The WAL exists and holds the lead's bytes now (so scanning it
# after the erasure means something), and the byte scanner finds them.
run: test -s vault.lv-wal && test -s vault.lv-shm
run: lvtool scan-bytes blobs.txt vault.lv vault.lv-wal
exit: 1
stdout-has: FOUND lead.data_key
stdout-has: FOUND lead.notes
stdout-has: FOUND consent.evidence.
stdout-has: FOUND index.
# ... and no plaintext was ever stored, even before the erasure.
run: lv_scan canaries.txt
stdout-has: scanned vault.lv-wal
stdout-lacks: FOUND

# Erase by email, given in another case than it was stored.
run: lv_as carol erase --email "QZ.E${R}@EXAMPLE.COM" --request REQ-${R} --ground 'GDPR Art. 17(1)(a)'
stdout-is: erased 1 lead; added to the suppression list
stderr-empty

# Scanned while the idle connection keeps -wal and -shm: nothing of the lead.
run: test -e vault.lv-wal && test -e vault.lv-shm
run: lvtool scan-bytes blobs.txt vault.lv vault.lv-wal vault.lv-shm
stdout-has: scanned vault.lv (
stdout-has: scanned vault.lv-wal (
stdout-has: scanned vault.lv-shm (
stdout-lacks: FOUND
run: lv_scan canaries.txt
stdout-has: scanned vault.lv-wal
stdout-has: scanned vault.lv-shm
stdout-lacks: FOUND
# Nor in what sqlite3 makes of the file.
run: sqlite3 vault.lv .dump > dump.sql && lvtool scan canaries.txt dump.sql
stdout-lacks: FOUND

# Not found by any of its contacts, not listed; the tombstone remains.
run: leadvault lead find --email qz.e${R}@example.com --purpose qa_every
exit: 4
stdout-empty
run: leadvault lead find --email Qz.S${R}@Example.org --purpose qa_every
exit: 4
run: leadvault lead find --phone +49151${D} --purpose qa_every
exit: 4
run: leadvault lead find --phone +1212555${D:0:4} --purpose qa_every
exit: 4
run: leadvault lead get $ID --purpose qa_every
exit: 4
run: leadvault --json lead list | lvtool pluck leads id | sort | paste -sd ' '
stdout-lacks: $ID
stdout-has: $K1
run: lv_count
stdout-is: 3
run: sqlite3 vault.lv "SELECT request, ground, actor FROM erasure WHERE lead_id = x'$ID'"
stdout-is: REQ-${R}|GDPR Art. 17(1)(a)|carol
run: sqlite3 vault.lv "SELECT (SELECT count(*) FROM consent WHERE lead_id = x'$ID') || ' ' || (SELECT count(*) FROM lead_index WHERE lead_id = x'$ID')"
stdout-is: 0 0
run: leadvault check
stdout-has: ok: 3 leads
run: leadvault audit verify

# The other leads come back whole, byte for byte.
run: leadvault --json lead get $K1 --purpose qa_every > k1.json
run: lvtool field-is k1.json fields.first_name Keep${R}One && lvtool field-is k1.json fields.email keep.one.${R}@example.net && lvtool field-is k1.json fields.phone +442079460111 && lvtool field-is k1.json fields.notes $'Keep one\nsecond line' && lvtool field-is k1.json fields.company KeepCo
run: leadvault --json lead get $K2 --purpose qa_every > k2.json
run: lvtool field-is k2.json fields.first_name Keep${R}Two && lvtool field-is k2.json fields.email2 k2.alt.${R}@example.net && lvtool field-is k2.json fields.phone +33142685300 && lvtool field-is k2.json fields.notes 'Note of two'
run: leadvault --json lead find --email keep.three.${R}@example.net --purpose qa_every | lvtool json leads.0.fields.last_name
stdout-is: Third
run: leadvault --json consent show $K2 | lvtool json history.0.evidence
stdout-is: Keep${R}Evidence

# Once the idle connection is gone the WAL is folded in: still nothing.
run: lvtool idle-stop idle.pid
run: leadvault lead list > /dev/null && test ! -e vault.lv-wal
run: lvtool scan-bytes blobs.txt vault.lv
stdout-lacks: FOUND
run: lv_scan canaries.txt
stdout-lacks: FOUND
