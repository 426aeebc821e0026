desc: symlinks, non-vault files, other SQLite databases, truncated vaults and newer formats are refused with clear errors
# Acceptance 7 (opening).
setup: vault
run: for i in 1 2 3 4 5 6 7 8; do leadvault lead add --first-name "Lead $i" --notes "$(lvtool gen-text 3000)" || exit 1; done
run: leadvault check
stdout-has: ok: 8 leads

# A symbolic link to a good vault.
run: ln -s vault.lv link.lv && leadvault --vault link.lv lead list
exit: 2
stderr-has: is a symbolic link; refusing to follow it
stdout-empty
run: ln -s "$WORK/vault.lv" abs-link.lv && leadvault --vault abs-link.lv check
exit: 2
stderr-has: symbolic link

# A text file.
run: printf 'name,email\nAnn,ann@example.com\n' > leads.csv && leadvault --vault leads.csv lead list
exit: 2
stderr-has: is not a leadvault vault
run: cmp leads.csv - <<< $'name,email\nAnn,ann@example.com'
# A large text file (more than a header's worth).
run: lvtool gen-text 10000 > notes.txt && leadvault --vault notes.txt lead list
exit: 2
stderr-has: is not a leadvault vault
# An empty file.
run: : > empty.lv && leadvault --vault empty.lv lead list
exit: 2
stderr-has: is not a leadvault vault
# Another application's SQLite database, untouched afterwards.
run: sqlite3 other.db "CREATE TABLE contacts(name TEXT, email TEXT); INSERT INTO contacts VALUES ('Ann', 'ann@example.com');" && cp other.db other.orig
run: leadvault --vault other.db lead list
exit: 2
stderr-has: is a SQLite database but not a leadvault vault
run: cmp other.db other.orig && test ! -e other.db-wal
# ... even one that looks like a vault inside (same tables, no application id).
run: sqlite3 vault.lv .schema > schema.sql && sqlite3 lookalike.db < schema.sql && leadvault --vault lookalike.db lead list
exit: 2
stderr-has: not a leadvault vault
# A directory, and nothing at all.
run: mkdir dir.lv && leadvault --vault dir.lv lead list
exit: 2
stderr-has: is not a regular file
run: leadvault --vault missing.lv lead list
exit: 4
stderr-has: no vault at

# A vault cut to half its size, and one cut mid-page.
run: cp vault.lv half.lv && truncate -s $(( $(stat -c %s vault.lv) / 2 )) half.lv && stat -c %s vault.lv half.lv
run: leadvault --vault half.lv lead list
exit: 6
stderr-has: is truncated
stdout-empty
run: leadvault --vault half.lv check
exit: 6
stderr-has: truncated
run: cp vault.lv odd.lv && truncate -s $(( $(stat -c %s vault.lv) / 2 + 100 )) odd.lv && leadvault --vault odd.lv lead list
exit: 6
stderr-has: truncated or damaged
run: head -c 60 vault.lv > stub.lv && leadvault --vault stub.lv lead list
exit: 6
stderr-has: truncated

# A vault of a newer format version.
run: cp vault.lv newer.lv && sqlite3 newer.lv "PRAGMA user_version = 99" && sqlite3 newer.lv "PRAGMA user_version"
stdout-is: 99
run: cp newer.lv newer.orig && leadvault --vault newer.lv lead list
exit: 1
stderr-has: has vault format 99; this leadvault reads up to 2
stdout-empty
run: leadvault --vault newer.lv lead add --first-name X
exit: 1
stderr-has: vault format 99
run: cmp newer.lv newer.orig

# The original is still fine.
run: leadvault check
stdout-has: ok: 8 leads
