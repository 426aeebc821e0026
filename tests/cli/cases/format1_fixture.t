desc: a vault of format 1 (tests/data/vault-format1.lv) refuses every command but upgrade, audit verify and backup with exit 1; upgrade makes it format 2 and every lead, consent, hold, rule and audit entry survives, check and audit verify pass
# The fixture was made with leadvault built from main at f601c35: admin
# alice (passphrase below, KDF floor), the consent purpose qa_consent, one
# lead with a consent grant and a legal hold, the retention rule old_2y.
run: lvtool data vault-format1.lv && chmod 600 vault-format1.lv && printf 'format-1 fixture passphrase\n' > alice.pass
run: sqlite3 vault-format1.lv "PRAGMA user_version"
stdout-is: 1
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass check
exit: 1
stderr-has: vault format 1: run leadvault upgrade (admin)
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass lead list
exit: 1
stderr-has: vault format 1: run leadvault upgrade (admin)
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass audit verify
stdout-has: ok:
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass backup --out before.lv
run: sqlite3 vault-format1.lv "SELECT seq, hash FROM audit ORDER BY seq" > audit.before && sqlite3 vault-format1.lv "SELECT * FROM consent ORDER BY seq" > consent.before && sqlite3 vault-format1.lv "SELECT * FROM hold; SELECT * FROM retention; SELECT * FROM purpose; SELECT * FROM suppression; SELECT * FROM erasure; SELECT * FROM meta WHERE key <> 'digest'" > rows.before
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass upgrade
stdout-has: upgraded vault-format1.lv to vault format 2
run: ls | grep -c upgrade- || true
stdout-is: 0
run: sqlite3 vault-format1.lv "PRAGMA user_version"
stdout-is: 2
run: sqlite3 vault-format1.lv "SELECT seq, hash FROM audit WHERE seq <= (SELECT count(*) FROM audit) - 1 ORDER BY seq" | head -n $(wc -l < audit.before) | diff audit.before -
run: sqlite3 vault-format1.lv "SELECT * FROM consent ORDER BY seq" | diff consent.before -
run: sqlite3 vault-format1.lv "SELECT * FROM hold; SELECT * FROM retention; SELECT * FROM purpose; SELECT * FROM suppression; SELECT * FROM erasure; SELECT * FROM meta WHERE key <> 'digest'" | diff rows.before -
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass check
stdout-has: ok: 1 leads
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass audit verify
stdout-has: ok:
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass --json lead list | lvtool json leads.0.id
save: A
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass lead get $A --purpose qa_consent
stdout-has: ann@example.com
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass consent show $A
stdout-has: qa_consent
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass hold list
stdout-has: $A
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass lead update $A --notes changed
exit: 5
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass hold clear $A
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass lead update $A --notes changed
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass retention list
stdout-has: old_2y
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass audit show --action vault.upgrade
exit: 5
run: sqlite3 vault-format1.lv "SELECT action FROM audit WHERE action = 'vault.upgrade'"
stdout-is: vault.upgrade
run: leadvault --vault vault-format1.lv --user alice --passphrase-file alice.pass audit verify
stdout-has: ok:
# the backup taken before is still a format-1 vault, and refuses as one
run: leadvault --vault before.lv --user alice --passphrase-file alice.pass stats
exit: 1
stderr-has: vault format 1: run leadvault upgrade (admin)
