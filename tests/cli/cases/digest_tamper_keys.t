desc: the state digest covers the key tables of format 2 too: a deleted, copied or rolled-back row of keygen or envelope makes check exit 6
# The other covered tables are in digest_tamper.t. Snapshot old.lv is taken
# before a role change (bob's envelope re-sealed), a user's removal (dave's
# envelope deleted) and a rekey (a new generation in keygen, every envelope
# new); pristine.lv after them.
setup: vault
setup: user bob sales
setup: user dave sales
run: leadvault lead add --first-name Ann --email ann@example.com
run: leadvault backup --out old.lv
run: leadvault user role bob compliance > /dev/null
run: leadvault user remove dave
run: leadvault rekey > /dev/null
run: leadvault backup --out pristine.lv
run: printf '#!/bin/sh\nrm -f vault.lv-wal vault.lv-shm && cp pristine.lv vault.lv && exec "%s" -batch vault.lv "ATTACH '"'"'old.lv'"'"' AS old; $1"\n' "$_lv_sqlite" > tamper && chmod +x tamper
# The control: the copy is sound, and the snapshots differ in both tables.
run: ./tamper "SELECT 1" && leadvault check
stdout-has: ok: 1 lead
run: for t in keygen envelope; do ./tamper "SELECT '$t', (SELECT count(*) FROM (SELECT * FROM main.$t EXCEPT SELECT * FROM old.$t)) + (SELECT count(*) FROM (SELECT * FROM old.$t EXCEPT SELECT * FROM main.$t)) > 0"; done | paste -sd ' '
stdout-is: keygen|1 envelope|1

# ---- keygen ----
run: ./tamper "DELETE FROM keygen WHERE generation = (SELECT min(generation) FROM keygen)" && leadvault check
exit: 6
run: ./tamper "INSERT INTO keygen SELECT generation + 10, state, sign_public, commitments, mac FROM keygen WHERE generation = (SELECT min(generation) FROM keygen)" && leadvault check
exit: 6
run: ./tamper "DELETE FROM keygen; INSERT INTO keygen SELECT * FROM old.keygen" && leadvault check
exit: 6

# ---- envelope ----
run: ./tamper "DELETE FROM envelope WHERE user = 'bob'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO envelope SELECT 'dave', generation, sealed FROM envelope WHERE user = 'bob'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
run: ./tamper "INSERT INTO envelope SELECT * FROM old.envelope WHERE user = 'dave'" && leadvault check
exit: 6
stderr-has: the vault's state does not match its digest
