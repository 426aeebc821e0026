desc: LF, CRLF and CR line endings mixed in one file: values exact, line numbers right after them
setup: vault
# line 1 header (CRLF); lines 2-3 one record with a quoted CRLF; line 4 (LF);
# lines 5-6 one record (CR-terminated) with a quoted CR; line 7 bad quoting;
# line 8 (CR); line 9 a quoted LF spanning to line 10; line 11 too few fields.
run: printf 'First Name,Email,Notes\r\nE1,e1@example.com,"multi\r\nline"\nE2,e2@example.com,x\rE3,e3@example.com,"a\rb"\r\nE4,e4@example.com,bad"Zq7\nE5,e5@example.com,ok\rE6,e6@example.com,"p\nq"\r\nE7,e7@example.com\r\nE8,e8@example.com,end' > mixed.csv
run: leadvault --json import mixed.csv > m.json
stderr-has: line 7: rejected: malformed quoting
stderr-has: line 11: rejected: has 2 fields, the header has 3
stderr-lacks: line 8
stderr-lacks: Zq7
run: lvtool jget m.json rows imported rejected
stdout-is: 8 6 2
run: leadvault --json lead find --email e1@example.com --purpose qa_all > e1.json
run: lvtool field-is e1.json leads.0.fields.notes $'multi\r\nline'
run: leadvault --json lead find --email e3@example.com --purpose qa_all > e3.json
run: lvtool field-is e3.json leads.0.fields.notes $'a\rb'
run: leadvault --json lead find --email e6@example.com --purpose qa_all > e6.json
run: lvtool field-is e6.json leads.0.fields.notes $'p\nq'
run: leadvault --json lead find --email e2@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: x
run: leadvault --json lead find --email e5@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: ok
run: leadvault --json lead find --email e8@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: end
