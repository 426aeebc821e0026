desc: edits that leadvault's reading of a row smooths over (text cut at an embedded NUL, a code stored as REAL or TEXT) still make audit verify exit 6
# Acceptance (audit) 1, "editing ANY column": the stored value of the row
# changes, so verification must fail, naming the entry. Verification hashes
# what sqlite3_column_text / sqlite3_column_int return, which stops at the
# first NUL byte and rounds 0.5 or '0 (edited)' to 0: the edited row hashes
# as the original one. Each edit on a fresh copy of entry 5.
setup: vault
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: leadvault lead get $A --purpose qa_all --fields email
run: leadvault lead list
run: leadvault audit pubkey --out pub.txt
run: sqlite3 vault.lv "SELECT action, code FROM audit WHERE seq = 4"
stdout-is: lead.get|0
run: test ! -e vault.lv-wal && cp vault.lv orig.lv

# Each edit really changes the stored row (the guard).
run: printf '%s\n' "actor-nul	UPDATE audit SET actor = CAST(actor || x'00' || 'mallory' AS TEXT) WHERE seq = 4;" "purpose-nul	UPDATE audit SET purpose = CAST(purpose || x'00' || 'marketing' AS TEXT) WHERE seq = 4;" "code-real	UPDATE audit SET code = 0.5 WHERE seq = 4;" "code-text	UPDATE audit SET code = '0 (edited)' WHERE seq = 4;" > edits.tsv
run: while IFS=$'\t' read -r what sql; do cp orig.lv t.lv && sqlite3 t.lv "$sql" && sqlite3 t.lv "SELECT '$what', length(CAST(actor AS BLOB)), length(CAST(purpose AS BLOB)), typeof(code), quote(code) FROM audit WHERE seq = 4"; done < edits.tsv
stdout-has: actor-nul|13|6|integer|0
stdout-has: purpose-nul|5|16|integer|0
stdout-has: code-real|5|6|real|0.5
stdout-has: code-text|5|6|text|'0 (edited)'

run: while IFS=$'\t' read -r what sql; do cp orig.lv t.lv && sqlite3 t.lv "$sql" || exit 1; leadvault --vault t.lv audit verify --pubkey pub.txt > /dev/null 2> locked.err; l=$?; leadvault --vault t.lv audit verify > /dev/null 2> unlocked.err; u=$?; echo "$what: locked $l entry $(sed -n 's/.*FAILED at entry \([0-9]*\):.*/\1/p' locked.err), unlocked $u entry $(sed -n 's/.*FAILED at entry \([0-9]*\):.*/\1/p' unlocked.err)"; done < edits.tsv | paste -sd ' '
stdout-is: actor-nul: locked 6 entry 4, unlocked 6 entry 4 purpose-nul: locked 6 entry 4, unlocked 6 entry 4 code-real: locked 6 entry 4, unlocked 6 entry 4 code-text: locked 6 entry 4, unlocked 6 entry 4
