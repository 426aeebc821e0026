desc: rows with too few or too many fields are rejected with their line and both counts
setup: vault
run: printf 'First Name,Email,Notes\nC1,c1@example.com,n1\nC2,c2@example.com\nC3,c3@example.com,Zq7,extra\nC4,c4@example.com,n4\n,,\n' > rag.csv
run: leadvault --json import rag.csv > r.json
stderr-has: line 3: rejected: has 2 fields, the header has 3
stderr-has: line 4: rejected: has 4 fields, the header has 3
# line 6 has the right number of fields but nothing that names a person.
stderr-match: ^line 6: rejected: .*(name|email|phone)
stderr-lacks: Zq7
stderr-lacks: c2@example.com
stdout-lacks: Zq7
run: lvtool jget r.json rows imported rejected
stdout-is: 5 2 3
run: leadvault --json lead find --email c4@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: n4
run: lv_count
stdout-is: 2
