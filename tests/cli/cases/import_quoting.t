desc: malformed quoting rejects its row with the right line and no value; later rows import intact
setup: vault
# line 3: a quote inside an unquoted field; line 4: text after a closing
# quote; line 5 spans two lines (a quoted break) and is fine.
run: printf 'First Name,Email,Notes\nA1,a1@example.com,ok\nA2,a2@example.com,say "Zq7" here\nA3,a3@example.com,"closed"Zq8 trailing\nA4,a4@example.com,"two\nlines, ""quoted"""\nA5,a5@example.com,last\n' > q.csv
run: leadvault --json import q.csv > q.json
stderr-has: line 3: rejected: malformed quoting
stderr-has: line 4: rejected: malformed quoting
stderr-lacks: Zq7
stderr-lacks: Zq8
stderr-lacks: a2@example.com
run: lvtool jget q.json rows imported rejected
stdout-is: 5 3 2
run: leadvault --json lead find --email a4@example.com --purpose qa_all > a4.json
run: lvtool field-is a4.json leads.0.fields.notes $'two\nlines, "quoted"'
run: leadvault --json lead find --email a5@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: last
run: leadvault lead find --email a2@example.com --purpose qa_all
exit: 4
run: leadvault lead find --email a3@example.com --purpose qa_all
exit: 4

# An unclosed quote on the last row: that row is rejected (with its line),
# the rows before it are imported.
run: printf 'First Name,Email,Notes\nB1,b1@example.com,ok\nB2,b2@example.com,"never closed Zq9\nB3,b3@example.com,swallowed\n' > u.csv
run: leadvault --json import u.csv > u.json
stderr-is: line 3: rejected: unclosed quote at the end of the input
run: lvtool jget u.json rows imported rejected
stdout-is: 2 1 1
run: leadvault --json lead find --email b1@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: ok
run: leadvault lead find --email b2@example.com --purpose qa_all
exit: 4
# A malformed quote in the header refuses the file.
run: printf 'First Name,"Email"x,Notes\nC1,c1@example.com,n\n' > h.csv
run: leadvault import h.csv
exit: 2
stderr-has: line 1
stderr-has: header
run: lv_count
stdout-is: 4
