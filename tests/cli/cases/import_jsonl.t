desc: JSON Lines: good lines import exactly, bad lines are rejected with their own line number
setup: vault
# 1 good; 2 not JSON; 3 bad email; 4 an array; 5 good with escapes;
# 6 no field that names a person; 7 a repeated key; 8 good; 9 blank; 10 good.
run: printf '%s\n' '{"first_name":"J1","email":"j1@example.com"}' 'not json Zq1' '{"first_name":"J2","email":"bad@@Zq2"}' '[1,2]' '{"First Name":"J3","E-mail":"j3@example.com","notes":"a\nb \"q\" \u0905\u0928 \u4e2d, c"}' '{"foo":"Zq6"}' '{"email":"j4@example.com","email":"j4b@example.com"}' '{"first_name":"J5","email":"j5@example.com","verified":true,"stage":"Closed Won"}' '' '{"first_name":"J6","phone":"+91 98765 43210"}' > in.jsonl
run: leadvault --json import in.jsonl > j.json 2> err.txt
run: lvtool jget j.json rows imported rejected
stdout-is: 9 4 5
run: leadvault --json lead find --email j3@example.com --purpose qa_all > j3.json
run: lvtool field-is j3.json leads.0.fields.notes $'a\nb "q" अन 中, c'
run: lvtool field-is j3.json leads.0.fields.first_name J3
run: leadvault --json lead find --email j5@example.com --purpose qa_all > j5.json
run: lvtool jget j5.json leads.0.verified leads.0.stage
stdout-is: yes converted
run: leadvault --json lead find --phone +919876543210 --purpose qa_all | lvtool json leads.0.fields.first_name
stdout-is: J6
run: lv_count
stdout-is: 4
# No value in any message; every rejected line by its own number.
run: cat err.txt
stdout-lacks: Zq1
stdout-lacks: Zq2
stdout-lacks: Zq6
stdout-lacks: j4b
stdout-match: ^line 2: rejected: .*JSON
stdout-match: ^line 3: rejected: email
stdout-match: ^line 4: rejected: .*JSON
stdout-match: ^line 6: rejected: .*(name|email|phone)
stdout-match: ^line 7: rejected:
run: wc -l < err.txt
stdout-is: 5
