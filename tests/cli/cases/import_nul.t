desc: a NUL byte in a cell rejects the row (line named, no value); the rows after it import
setup: vault
run: printf 'First Name,Email,Notes\nN1,n1@example.com,a\0Zq7\nN2,n2@example.com,"quoted\0Zq8"\nN3,n3@example.com,ok\n' > nul.csv
run: leadvault --json import nul.csv > n.json
stderr-has: line 2: rejected: a cell contains a NUL byte
stderr-has: line 3: rejected: a cell contains a NUL byte
stderr-lacks: Zq7
stderr-lacks: Zq8
run: lvtool jget n.json rows imported rejected
stdout-is: 3 1 2
run: leadvault --json lead find --email n3@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: ok
run: leadvault lead find --email n1@example.com --purpose qa_all
exit: 4
# In JSON Lines, an escaped NUL in a string: the same.
run: printf '{"first_name":"J1","email":"j1@example.com","notes":"a\\u0000Zq9"}\n{"first_name":"J2","email":"j2@example.com"}\n' > nul.jsonl
run: leadvault --json import nul.jsonl > j.json
stderr-has: line 1: rejected: a cell contains a NUL byte
stderr-lacks: Zq9
run: lvtool jget j.json rows imported rejected
stdout-is: 2 1 1
