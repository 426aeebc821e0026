desc: a damaged vault file (its SQLite header, schema, or a page that hides rows) is an integrity failure, exit 6; damage to a keyslot or the vault id reads as a wrong passphrase and is reported by another user or audit verify
# Issue 7 (tamper sweep). The rule is in docs/format.md, "Damaged files";
# tests/tamper/sweep.py changes one byte at a time at thousands of
# positions. Before, these gave exit 2 (not a vault), 1, 4 or 5.
setup: vault
setup: user bob compliance
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: leadvault lead add --first-name Bob --phone '+4930555111'
save: B
run: leadvault audit pubkey --out audit.pub
run: test ! -e vault.lv-wal && sqlite3 vault.lv "PRAGMA page_size"
save: PAGE

# The SQLite magic: the application id still says the file was a vault.
run: cp vault.lv magic.lv && lvtool flip magic.lv 0 && leadvault --vault magic.lv lead list
exit: 6
stderr-has: magic.lv is a damaged vault: its SQLite header is not valid
stdout-empty
# The application id: the schema and the vault id say it was one. The file
# is looked at without a lock or a side file, and stays as it was.
run: cp vault.lv appid.lv && lvtool flip appid.lv 68 0x20 && cp appid.lv appid.orig
run: leadvault --vault appid.lv lead list
exit: 6
stderr-has: appid.lv is a damaged vault: its SQLite header lacks the leadvault application id
run: cmp appid.lv appid.orig && test ! -e appid.lv-wal && test ! -e appid.lv-shm
# A header field SQLite reads: the write version (SQLite would open the
# file read-only).
run: cp vault.lv version.lv && lvtool flip version.lv 18 0x18 && leadvault --vault version.lv lead list
exit: 6
stderr-has: version.lv is a damaged vault: its SQLite header is not valid

# A column name in the schema (kdf_memory -> jdf_memory): was "no such column", exit 1.
run: grep -obUa 'kdf_memory INTEGER' vault.lv | head -n 1 | cut -d: -f1
save: AT
run: cp vault.lv schema.lv && lvtool flip schema.lv $AT && leadvault --vault schema.lv lead list
exit: 6
stderr-has: schema.lv is a damaged vault: its schema differs from the one leadvault creates (table keyslot, changed)
# A vault rebuilt by VACUUM has other root pages: refused the same way.
run: cp vault.lv vacuum.lv && sqlite3 vacuum.lv VACUUM && leadvault --vault vacuum.lv lead list
exit: 6
stderr-has: its schema differs from the one leadvault creates (table erasure, changed)

# The cell count of the lead id index: both leads hidden from a lookup
# (was "no such lead", exit 4) and from an export (was exit 0, no lead).
run: sqlite3 vault.lv "SELECT rootpage FROM sqlite_schema WHERE name = 'sqlite_autoindex_lead_1'"
save: ROOT
run: cp vault.lv index.lv && lvtool flip index.lv $(( (ROOT - 1) * PAGE + 4 )) 0x02
run: leadvault --vault index.lv lead get $A --purpose qa_all
exit: 6
stderr-has: vault file is damaged (table lead)
stdout-empty
run: leadvault --vault index.lv export --purpose qa_all
exit: 6
stderr-has: vault file is damaged (table lead)
stdout-empty
run: leadvault --vault index.lv check
exit: 6
stderr-has: sqlite_autoindex_lead_1
# An unknown lead is still exit 4 in the untouched vault.
run: leadvault lead get 0123456789abcdef0123456789abcdef --purpose qa_all
exit: 4
stderr-has: no such lead

# alice's salt: her unlock cannot tell it from a wrong passphrase (the
# keyslot MAC needs the master key), so exit 3; bob's check reports it.
run: cp vault.lv salt.lv && sqlite3 salt.lv "UPDATE keyslot SET salt = randomblob(16) WHERE name = 'alice'"
run: leadvault --vault salt.lv lead list
exit: 3
stderr-has: wrong passphrase or unknown user
run: lv_as bob --vault salt.lv check
exit: 6
stderr-has: keyslot of user 'alice' failed its integrity check
# The vault id is bound into every keyslot's AD: exit 3 for every user,
# and audit verify with the public key kept outside says why.
run: cp vault.lv id.lv && sqlite3 id.lv "UPDATE meta SET value = randomblob(16) WHERE key = 'vault_id'"
run: leadvault --vault id.lv lead list
exit: 3
run: lv_as bob --vault id.lv check
exit: 3
run: leadvault --vault id.lv audit verify --pubkey audit.pub
exit: 6
stderr-has: the public key belongs to another vault

# The original is untouched.
run: leadvault check
stdout-has: ok: 2 leads
