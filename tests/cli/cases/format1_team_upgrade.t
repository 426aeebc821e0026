desc: a team vault of format 1 (tests/data/vault-format1-team.lv, made by tests/data/make_fixtures.sh with leadvault of format 1) upgrades with every lead byte-exact, consents, holds, rules, the suppression list, settings and audit entries kept; each other user's legacy keyslot converts at their next unlock; rekey waits until none is left
run: lvtool data vault-format1-team.lv && lvtool data vault-format1-team.lv.expected.jsonl && chmod 600 vault-format1-team.lv && for u in alice bob ann carl; do echo "$u fixture passphrase" > $u.pass; done
run: leadvault --vault vault-format1-team.lv --user bob --passphrase-file bob.pass upgrade
exit: 5
stderr-has: denied: role sales may not renew the vault keys or upgrade the vault
run: leadvault --vault vault-format1-team.lv --user bob --passphrase-file bob.pass lead list
exit: 1
stderr-has: vault format 1: run leadvault upgrade (admin)
run: leadvault --vault vault-format1-team.lv --user bob --passphrase-file bob.pass audit verify
stdout-has: ok:
run: sqlite3 vault-format1-team.lv "SELECT seq, hash FROM audit ORDER BY seq" > audit.before && sqlite3 vault-format1-team.lv "SELECT * FROM consent ORDER BY seq; SELECT * FROM hold; SELECT * FROM retention; SELECT * FROM purpose; SELECT * FROM suppression; SELECT * FROM erasure; SELECT * FROM meta; SELECT * FROM lead_index ORDER BY kind, tag; SELECT id, size, head, time, signature FROM audit_checkpoint" > rows.before
run: leadvault --vault vault-format1-team.lv --user alice --passphrase-file alice.pass upgrade
stdout-has: upgraded
run: sqlite3 vault-format1-team.lv "SELECT * FROM consent ORDER BY seq; SELECT * FROM hold; SELECT * FROM retention; SELECT * FROM purpose; SELECT * FROM suppression; SELECT * FROM erasure; SELECT * FROM meta WHERE key <> 'digest'; SELECT * FROM lead_index ORDER BY kind, tag; SELECT id, size, head, time, signature FROM audit_checkpoint WHERE id <= (SELECT count(*) FROM audit_checkpoint) - 1" | diff rows.before -
run: sqlite3 vault-format1-team.lv "SELECT seq, hash FROM audit ORDER BY seq" | head -n $(wc -l < audit.before) | diff audit.before -
run: sqlite3 vault-format1-team.lv "SELECT name, kind FROM keyslot ORDER BY name" | tr '\n' ' '
stdout-is: alice|2 ann|1 bob|1 carl|1 
run: leadvault --vault vault-format1-team.lv --user alice --passphrase-file alice.pass export --purpose qa_every --format jsonl --out after.jsonl && cmp vault-format1-team.lv.expected.jsonl after.jsonl
run: leadvault --vault vault-format1-team.lv --user alice --passphrase-file alice.pass setting list
stdout-has: dpo@example.org
run: leadvault --vault vault-format1-team.lv --user alice --passphrase-file alice.pass suppress check --email person11@example.com
stdout-has: erased
run: leadvault --vault vault-format1-team.lv --user alice --passphrase-file alice.pass rekey
exit: 2
stderr-has: 3 user(s) still have a format-1 keyslot (ann, bob, carl)
# each legacy user's next unlock converts their slot, for their role only
run: leadvault --vault vault-format1-team.lv --user bob --passphrase-file bob.pass lead list | wc -l
stdout-is: 12
run: leadvault --vault vault-format1-team.lv --user ann --passphrase-file ann.pass check --deep
stdout-has: an auditor holds no data key
run: leadvault --vault vault-format1-team.lv --user ann --passphrase-file ann.pass lead list
exit: 5
run: sqlite3 vault-format1-team.lv "SELECT name, kind FROM keyslot ORDER BY name" | tr '\n' ' '
stdout-is: alice|2 ann|2 bob|2 carl|1 
run: sqlite3 vault-format1-team.lv "SELECT count(*) FROM audit WHERE action = 'user.convert'"
stdout-is: 2
run: leadvault --vault vault-format1-team.lv --user carl --passphrase-file carl.pass hold list
stdout-has: case 12
run: leadvault --vault vault-format1-team.lv --user alice --passphrase-file alice.pass rekey
stdout-has: rekeyed to key generation 2
run: leadvault --vault vault-format1-team.lv --user alice --passphrase-file alice.pass export --purpose qa_every --format jsonl --out rekeyed.jsonl && cmp vault-format1-team.lv.expected.jsonl rekeyed.jsonl
run: leadvault --vault vault-format1-team.lv --user bob --passphrase-file bob.pass lead find --email person3@example.com --purpose qa_every
stdout-has: Søren
run: leadvault --vault vault-format1-team.lv --user carl --passphrase-file carl.pass suppress check --email person11@example.com
stdout-has: erased
run: leadvault --vault vault-format1-team.lv --user alice --passphrase-file alice.pass check
stdout-has: ok: 11 leads
run: leadvault --vault vault-format1-team.lv --user carl --passphrase-file carl.pass audit verify
stdout-has: ok:
