desc: a sealed value moved to another lead or another field fails to open: exit 6 naming lead and field, no plaintext
# Acceptance 3 (moves). Every sealed value is bound to its vault, lead and
# field; the raw columns are moved with sqlite3 (table lead, one BLOB column
# per field, id BLOB).
setup: vault
run: leadvault lead add --first-name Qzann7Kanarie --last-name Qzlee7Kanarie --email qz.ann7kanarie@example.com --notes Qzannnotes7Kanarie
save: A
run: leadvault lead add --first-name Qzbob7Kanarie --last-name Qzroe7Kanarie --email qz.bob7kanarie@example.com --notes Qzbobnotes7Kanarie
save: B
run: leadvault lead add --first-name Qzcid7Kanarie --last-name Qzsun7Kanarie --email qz.cid7kanarie@example.com
save: C
run: leadvault check
stdout-has: ok: 3 leads

# B's email sealed value copied over A's email (same field, another lead).
run: sqlite3 vault.lv "UPDATE lead SET email = (SELECT email FROM lead WHERE id = x'$B') WHERE id = x'$A'"
run: leadvault lead get $A --purpose qa_all
exit: 6
stderr-has: lead $A
stderr-has: field email
stdout-empty
stdout-lacks: Qzann7Kanarie
stderr-lacks: Qzbob7Kanarie
stderr-lacks: qz.bob7kanarie
# JSON mode: the error document, still no value of any field.
run: leadvault --json lead get $A --purpose qa_all
exit: 6
stdout-has: "error"
stdout-has: $A
stdout-has: email
stdout-lacks: Qzann7Kanarie
stdout-lacks: qz.bob7kanarie
stdout-lacks: qz.ann7kanarie
# Fields not moved still open on their own.
run: leadvault --json lead get $A --purpose qa_all --fields first_name,notes
stdout-has: Qzann7Kanarie
# The source lead is untouched.
run: leadvault lead get $B --purpose qa_all --fields email
stdout-has: qz.bob7kanarie@example.com

# C's last_name moved into C's first_name (same lead, another field).
run: sqlite3 vault.lv "UPDATE lead SET first_name = last_name WHERE id = x'$C'"
run: leadvault lead get $C --purpose qa_all
exit: 6
stderr-has: lead $C
stderr-has: field first_name
stdout-empty
stderr-lacks: Qzsun7Kanarie
stderr-lacks: Qzcid7Kanarie
run: leadvault lead get $C --purpose qa_all --fields first_name
exit: 6
stderr-has: lead $C, field first_name

# B's notes swapped with A's notes.
run: sqlite3 vault.lv "CREATE TEMP TABLE old AS SELECT id, notes FROM lead WHERE id IN (x'$A', x'$B'); UPDATE lead SET notes = (SELECT notes FROM old WHERE old.id <> lead.id) WHERE id IN (x'$A', x'$B')"
run: leadvault lead get $B --purpose qa_all --fields notes
exit: 6
stderr-has: lead $B, field notes
stdout-lacks: Qzannnotes7Kanarie
stdout-lacks: Qzbobnotes7Kanarie

# lead find refuses a candidate whose email does not open, naming it.
run: leadvault lead find --email qz.ann7kanarie@example.com --purpose qa_all
exit: 6
stderr-has: lead $A
stderr-has: field email
stdout-lacks: Qzann7Kanarie

# check reports each bad lead and field, exits 6, and reveals nothing.
run: leadvault check
exit: 6
stderr-has: lead $A, field email
stderr-has: lead $C, field first_name
stderr-has: lead $A, field notes
stderr-has: lead $B, field notes
stderr-lacks: lead $B, field email
stderr-lacks: Kanarie
stdout-lacks: Kanarie
run: leadvault --json check
exit: 6
stdout-has: "ok":false
stdout-has: "lead":"$C","field":"first_name"
stdout-lacks: Kanarie
