desc: an export imports back unchanged, every field byte for byte (issue 18, acceptance 4)
# Values a spreadsheet would run as formulas (= + - @, tab, CR first), the
# same after apostrophes, quotes, commas, CRLF and LF inside cells, non-ASCII
# text, phones with '+'. The export guards them with an apostrophe; import
# takes exactly that apostrophe off. A second vault (no duplicates) gets the
# export, and its own export must be the same, id column aside.
setup: vault
run: leadvault purpose add qa_every --basis legitimate_interest --fields first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2 --roles admin
run: leadvault lead add --first-name '=Ann' --last-name "'=x" --email 'ann@example.com' --phone '+44 20 1234 5678' --company '"Smith, Jones" & Co' --title '-lead' --website "''+y" --address $'\tRue 1\r\nParis' --notes $'@mention\r\nline2\nline3 "q", 例子' --email2 'x@例子.测试' --phone2 '+91 98876 49965'
run: leadvault lead add --first-name 'अनन्या' --last-name '@home' --email 'b@example.com' --notes $'\rCR first' --company '+Plus' --title "'quoted'"
run: printf 'First Name,Email,Notes\r\nCid,cid@example.com,"multi\r\nline, ""quoted"""\r\n' > crm.csv && leadvault import crm.csv
run: leadvault export --purpose qa_every --out first.csv
# The file holds the guarded forms (one more apostrophe where there was one).
run: grep -c "\"'+442012345678\"" first.csv
stdout-is: 1
run: grep -c "\"''=x\"" first.csv
stdout-is: 1

run: leadvault --vault second.lv init --admin alice "${LV_KDF[@]}" && leadvault --vault second.lv purpose add qa_every --basis legitimate_interest --fields first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2 --roles admin
run: leadvault --vault second.lv --json import first.csv > i.json
run: lvtool jget i.json rows imported duplicates rejected unknown_columns
stdout-is: 3 3 0 0 id
run: leadvault --vault second.lv export --purpose qa_every --out second.csv
run: lvtool csv-fields first.csv > first.fields && lvtool csv-fields second.csv > second.fields && wc -l < first.fields
stdout-is: 4
run: cmp first.fields second.fields

# And field by field in the second vault.
run: leadvault --vault second.lv --json lead find --email ann@example.com --purpose qa_every > ann.json
run: lvtool field-is ann.json leads.0.fields.first_name '=Ann'
run: lvtool field-is ann.json leads.0.fields.last_name "'=x"
run: lvtool field-is ann.json leads.0.fields.phone '+442012345678'
run: lvtool field-is ann.json leads.0.fields.phone2 '+919887649965'
run: lvtool field-is ann.json leads.0.fields.website "''+y"
run: lvtool field-is ann.json leads.0.fields.address $'\tRue 1\r\nParis'
run: lvtool field-is ann.json leads.0.fields.notes $'@mention\r\nline2\nline3 "q", 例子'
run: lvtool field-is ann.json leads.0.fields.company '"Smith, Jones" & Co'
run: leadvault --vault second.lv --json lead find --email b@example.com --purpose qa_every > b.json
run: lvtool field-is b.json leads.0.fields.notes $'\rCR first'
run: lvtool field-is b.json leads.0.fields.title "'quoted'"
run: lvtool field-is b.json leads.0.fields.first_name 'अनन्या'
run: leadvault --vault second.lv --json lead find --email cid@example.com --purpose qa_every > cid.json
run: lvtool field-is cid.json leads.0.fields.notes $'multi\r\nline, "quoted"'
