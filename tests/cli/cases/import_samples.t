desc: both sample exports (datablist, HubSpot) import with every field intact
# At least 20 rows per file are found by email and compared field by field
# with the CSV (parsed by python's csv module): names, emails, phones in
# their normalized form, company, title, website, notes with commas, quotes,
# line breaks, Devanagari and CJK; and the mapped source and stage. Then
# every stored lead, through an export of every field.
setup: vault
run: leadvault purpose add qa_every --basis legitimate_interest --fields first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2 --roles admin
run: lvtool data leads-datablist-1k.csv && lvtool data leads-hubspot-200.csv

# 1000 rows, 19 of them repeating an earlier email in another case. Their
# "Lead Owner" names people, not leadvault users: a warning counts them.
run: leadvault --json import leads-datablist-1k.csv > d.json
stderr-is: leadvault import: warning: 1000 rows name an owner who is not a leadvault user; those leads are owned by you (map owners with --map-owner "CRM NAME=user")
run: lvtool jget d.json rows imported duplicates rejected unmapped_sources unmapped_stages unknown_columns owners_dropped
stdout-is: 1000 981 19 0 0 0 Index,Account Id 1000
run: leadvault --json import leads-hubspot-200.csv > h.json
stderr-empty
run: lvtool jget h.json rows imported duplicates rejected unmapped_sources unmapped_stages unknown_columns
stdout-is: 200 200 0 0 0 0 Marketing contact status
run: lv_count
stdout-is: 1181

# 20 people of each file, found by email (the hardest rows first).
run: lvtool sample-emails leads-datablist-1k.csv 20 > d.emails && wc -l < d.emails
stdout-is: 20
run: while read -r e; do leadvault --json lead find --email "$e" --purpose qa_every || exit 1; echo; done < d.emails > d.found
run: lvtool compare-leads d.found leads-datablist-1k.csv
stdout-match: ^20 leads match: [0-9]+ fields compared, source and stage of 20$
run: lvtool sample-emails leads-hubspot-200.csv 20 > h.emails && wc -l < h.emails
stdout-is: 20
run: while read -r e; do leadvault --json lead find --email "$e" --purpose qa_every || exit 1; echo; done < h.emails > h.found
run: lvtool compare-leads h.found leads-hubspot-200.csv
stdout-match: ^20 leads match: [0-9]+ fields compared, source and stage of 20$

# A lookup in another letter case finds the same person.
run: head -1 h.emails
save: E1
run: leadvault --json lead find --email "$(echo "$E1" | tr a-z A-Z)" --purpose qa_every | lvtool json leads.0.fields.email
stdout-is: $E1

# Every stored lead: each person of the two files once, whole.
run: leadvault export --purpose qa_every --format jsonl --out all.jsonl
run: lvtool compare-leads all.jsonl leads-datablist-1k.csv leads-hubspot-200.csv --all
stdout-match: ^1181 leads match: [0-9]+ fields compared, source and stage of 0$
