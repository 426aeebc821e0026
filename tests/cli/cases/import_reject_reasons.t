desc: every rejected row names its real reason: over-long address parts, an apostrophe before a phone
setup: vault
# Street and City together over the 4096-byte address limit (each alone fits):
# it was reported as "contains a NUL byte".
run: printf 'First Name,Email,Phone,Street,City\nAnn,ann@example.com,,%s,%s\nBob,bob@example.com,'"'"'0123 456789,,\nCy,cy@example.com,'"'"'+44 20 2640 6551,,\n' "$(head -c 3000 /dev/zero | tr '\0' s)" "$(head -c 3000 /dev/zero | tr '\0' c)" > r.csv
run: leadvault --json import r.csv > r.json
stderr-has: line 2: rejected: address: the address columns together are longer than 4096 bytes
stderr-lacks: NUL
stderr-has: line 3: rejected: phone: contains characters other than digits and separators (the value starts with an apostrophe, a spreadsheet's text marker: remove it)
stderr-lacks: line 4
run: lvtool jget r.json imported rejected
stdout-is: 1 2
# The formula guard before a '+' phone is taken off.
run: leadvault --json lead find --email cy@example.com --purpose qa_all | lvtool json leads.0.fields.phone
stdout-is: +442026406551
