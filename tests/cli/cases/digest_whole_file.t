desc: a vault copied whole from an older snapshot is consistent with itself (check passes) and is caught by audit verify --checkpoint against a later checkpoint kept outside; checkpoints sign the state digest's commitment in a digest line
# SECURITY.md, "Not detected", and docs/format.md, "Signed checkpoints".
setup: vault
setup: user bob sales
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: leadvault consent grant $A email_marketing --evidence 'web form'
run: leadvault audit pubkey --out pub.txt
run: leadvault backup --out old.lv
run: leadvault consent withdraw $A email_marketing --reason 'no more mail'
run: leadvault lead update $A --notes 'later'
run: leadvault audit checkpoint --out later.cp > /dev/null
# The checkpoint text: four body lines, the digest line, a blank line, the signature.
run: sed -n 5p later.cp
stdout-match: ^digest [A-Za-z0-9+/]{43}=$
run: sed -n 6p later.cp
stdout-is: 
run: leadvault audit verify --checkpoint later.cp
stdout-has: ok:
# The stored checkpoints carry it too: a changed commitment fails its signature.
run: cp vault.lv t.lv && sqlite3 t.lv "UPDATE audit_checkpoint SET digest = zeroblob(32) WHERE id = (SELECT max(id) FROM audit_checkpoint)" && leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
run: rm -f t.lv t.lv-wal t.lv-shm
# An edited digest line of the outside text fails its signature.
run: awk 'NR == 5 { c = substr($0, 8, 1); $0 = "digest " (c == "A" ? "B" : "A") substr($0, 9) } 1' later.cp > edited.cp && ! cmp -s later.cp edited.cp && leadvault audit verify --checkpoint edited.cp
exit: 6

# The whole file put back as it was at the snapshot.
run: rm -f vault.lv-wal vault.lv-shm && cp old.lv vault.lv
run: leadvault check
stdout-has: ok: 1 leads
run: lv_as bob --json lead get $A --purpose email_marketing --fields email | lvtool json fields.email
stdout-is: ann@example.com
# Only a checkpoint kept outside the vault shows it.
run: leadvault audit verify --pubkey pub.txt --checkpoint later.cp
exit: 6
