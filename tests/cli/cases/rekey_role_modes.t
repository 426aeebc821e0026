desc: user role and rekey [--reencrypt] print, --json and exit the same on the vault file and through a server; another role is refused (exit 5) and audited
setup: vault
setup: user bob sales
setup: user carl sales
run: leadvault lead add --first-name Ann --email ann@example.com
save: LEAD
run: leadvault user role bob compliance
stdout-is: user bob now has the role compliance
run: leadvault --json user role bob auditor
stdout-is: {"user":"bob","role":"auditor"}
run: leadvault user role nobody sales
exit: 4
stderr-is: leadvault user role: no user 'nobody'
run: lv_as carl user role bob sales
exit: 5
stderr-is: leadvault user role: denied: role sales may not manage users
run: lv_as carl rekey
exit: 5
stderr-is: leadvault rekey: denied: role sales may not renew the vault keys or upgrade the vault
run: leadvault rekey
stdout-is: rekeyed to key generation 2 (generation 1 dropped): 1 lead data keys re-wrapped, 0 leads re-encrypted, 0 consent records re-sealed, 1 index tags recomputed, 3 users given new envelopes
run: leadvault --json rekey --reencrypt
stdout-is: {"generation":3,"dropped":2,"leads":1,"reencrypted":1,"consents":0,"tags":1,"envelopes":3,"resumed":false}
# The lead opens under the new keys, and the log certifies both generations.
run: leadvault --json lead get $LEAD --purpose qa_all | lvtool json fields.email
stdout-is: ann@example.com
run: leadvault check
stdout-is: ok: 1 leads, every row as the vault wrote it (state digest; --deep opens every sealed value)
run: leadvault audit verify
stdout-match: ^ok: 14 entries
run: lv_as bob --json audit show --action vault.rekey | lvtool json entries.length
stdout-is: 3
run: lv_as bob --json audit show --action vault.rekey --outcome denied | lvtool json entries.0.actor
stdout-is: carl
