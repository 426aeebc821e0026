desc: the reject file of a JSON Lines import holds each rejected line, and imports once fixed
# The reject file exists so that "rejected rows can be written out as a file
# that imports again once fixed" (include/leadvault.h). For JSON Lines that
# is a JSON Lines file: one line per rejected line, none lost or blank.
setup: vault
run: printf '%s\n' '{"first_name":"J1","email":"j1@example.com"}' 'not json' '{"first_name":"J2","email":"bad@@x"}' '{"first_name":"J3","email":"j3@example.com"}' '{"foo":"bar"}' > in.jsonl
run: leadvault --json import --reject-file rejects.jsonl in.jsonl > r.json
run: lvtool jget r.json rows imported rejected
stdout-is: 5 2 3
run: stat -c %a rejects.jsonl
stdout-is: 600
run: grep -c '' rejects.jsonl
stdout-is: 3
run: grep -c '^.\?$' rejects.jsonl
exit: 1
run: grep -Fx 'not json' rejects.jsonl
run: grep -F 'bad@@x' rejects.jsonl | grep -F J2
# Fix the one fixable line, drop the two others: it imports.
run: sed -e 's/bad@@x/j2@example.com/' rejects.jsonl | grep -F j2@example.com > fixed.jsonl
run: leadvault --json import fixed.jsonl | lvtool json imported
stdout-is: 1
run: leadvault --json lead find --email j2@example.com --purpose qa_all | lvtool json leads.0.fields.first_name
stdout-is: J2
