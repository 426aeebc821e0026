desc: one person in two letter cases (and spaces) is one lead; --on-duplicate error and update
setup: vault
run: printf 'First Name,Email,Company\nDup,Case.Dup@Example.com,One\nDup2,"  case.dup@EXAMPLE.COM ",Two\n' > dup.csv
run: leadvault --json import dup.csv > d.json
stderr-empty
run: lvtool jget d.json rows imported duplicates rejected updated
stdout-is: 2 1 1 0 0
run: leadvault import dup.csv
stdout-match: ^2 rows: 0 imported, 0 updated, 2 duplicates, 0 suppressed, 0 rejected
run: leadvault --json lead find --email CASE.DUP@example.com --purpose qa_all > one.json
run: lvtool jget one.json leads.length leads.0.fields.first_name leads.0.fields.company leads.0.fields.email
stdout-is: 1 Dup One Case.Dup@Example.com
run: lvtool json leads.0.id one.json
save: ID

# error: the second row (and one duplicating the stored lead) is rejected,
# named by line, never by value; the first is imported.
run: printf 'First Name,Email,Company\nOther,other.dup@example.com,One\nOther2,OTHER.DUP@example.com ,Two\nAgain,CASE.dup@example.com,Zq7\n' > dup2.csv
run: leadvault --json import --on-duplicate error dup2.csv > e.json
stderr-match: ^line 3: rejected: duplicate
stderr-match: ^line 4: rejected: duplicate
stderr-lacks: other.dup
stderr-lacks: OTHER.DUP
stderr-lacks: Zq7
run: lvtool jget e.json rows imported duplicates rejected updated
stdout-is: 3 1 0 2 0
run: leadvault --json lead find --email other.dup@example.com --purpose qa_all > o.json
run: lvtool jget o.json leads.length leads.0.fields.first_name leads.0.fields.company
stdout-is: 1 Other One

# update: the stored lead takes the row's values; nothing new is stored.
run: printf 'First Name,Email,Company,Title,Notes\nUpd,"case.dup@example.com ",Three,CEO,"now, with ""notes"""\n' > dup3.csv
run: leadvault --json import --on-duplicate update dup3.csv > u.json
stderr-empty
run: lvtool jget u.json rows imported duplicates rejected updated
stdout-is: 1 0 0 0 1
run: leadvault --json lead get $ID --purpose qa_all > g.json
run: lvtool jget g.json fields.first_name fields.company fields.title
stdout-is: Upd Three CEO
run: lvtool field-is g.json fields.notes 'now, with "notes"'
run: lv_count
stdout-is: 2
run: leadvault --json lead find --email case.dup@example.com --purpose qa_all | lvtool json leads.length
stdout-is: 1
