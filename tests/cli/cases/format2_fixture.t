desc: the format-2 fixture (tests/data/vault-format2.lv, made by tests/data/make_fixtures.sh 2) opens, checks, verifies and exports byte for byte what it was made with; the next format step upgrades it
run: lvtool data vault-format2.lv && lvtool data vault-format2.lv.expected.jsonl && chmod 600 vault-format2.lv && for u in alice bob ann carl; do echo "$u fixture passphrase" > $u.pass; done
run: sqlite3 vault-format2.lv "PRAGMA user_version"
stdout-is: 2
run: leadvault --vault vault-format2.lv --user alice --passphrase-file alice.pass check
stdout-has: ok: 11 leads
run: leadvault --vault vault-format2.lv --user carl --passphrase-file carl.pass audit verify
stdout-has: ok:
run: leadvault --vault vault-format2.lv --user alice --passphrase-file alice.pass export --purpose qa_every --format jsonl --out now.jsonl && cmp vault-format2.lv.expected.jsonl now.jsonl
run: leadvault --vault vault-format2.lv --user alice --passphrase-file alice.pass upgrade
stdout-has: already of vault format 2
