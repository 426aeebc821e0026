desc: a semicolon-separated file is refused with a hint, and imports with --delimiter ';'
setup: vault
run: printf 'First Name;Last Name;Email;Company\nJane;Doe;jane@example.com;Doe AG\nJohn;Roe;john@example.com;Roe AG\n' > plain.csv
run: leadvault import plain.csv
exit: 2
stdout-empty
stderr-has: header
stderr-has: --delimiter
stderr-lacks: jane
run: lv_count
stdout-is: 0
# With the option; a quoted cell holding both separators stays whole.
run: printf 'First Name;Last Name;Email;Company\nJane;Doe;jane@example.com;"Doe, Smith; Partners"\nJohn;Roe;john@example.com;Roe AG\n' > semi.csv
run: leadvault --json import --delimiter ';' semi.csv > s.json
run: lvtool jget s.json rows imported rejected
stdout-is: 2 2 0
run: leadvault --json lead find --email jane@example.com --purpose qa_all > j.json
run: lvtool field-is j.json leads.0.fields.company 'Doe, Smith; Partners'
run: lvtool field-is j.json leads.0.fields.last_name 'Doe'
run: leadvault --json lead find --email john@example.com --purpose qa_all | lvtool json leads.0.fields.company
stdout-is: Roe AG
# Tabs: the same hint without the option, imported with it.
run: printf 'First Name\tEmail\nTab\ttab@example.com\n' > tab.tsv
run: leadvault import tab.tsv
exit: 2
stderr-has: --delimiter
run: leadvault --json import --delimiter tab tab.tsv | lvtool json imported
stdout-is: 1
