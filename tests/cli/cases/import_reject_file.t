desc: --reject-file is 0600 and holds the header and exactly the rejected rows, which import once fixed
setup: vault
# line 2 good; 3 bad email; 4 too few fields; 5 too many; 6-7 good (a
# quoted break); 8 a duplicate of line 2 (skipped, not rejected); 9 bad
# phone. (Rows with bad quoting: import_reject_file_quoting.t.)
run: printf 'First Name,Email,Phone,Notes\nGood1,good1@example.com,+1 212 555 0101,fine\nBadMail,not-an-email,,n3\nShort,short@example.com,+44 20 7946 0000\nLong,long@example.com,,n5,extra\nGood2,good2@example.com,,"a, ""b""\nc"\nDup,GOOD1@example.com,,dup\nBadPhone,badphone@example.com,call me,"n9, ""x""\ny"\n' > in.csv
run: leadvault --json import --reject-file rejects.csv in.csv > r.json
stderr-has: line 3: rejected: email
stderr-has: line 4: rejected: has 3 fields
stderr-has: line 5: rejected: has 5 fields
stderr-has: line 9: rejected: phone
run: lvtool jget r.json rows imported duplicates rejected
stdout-is: 7 2 1 4
run: stat -c %a rejects.csv
stdout-is: 600
# The header, then each rejected row with its cells as they were.
run: lvtool csv-dump rejects.csv > rejects.rows && wc -l < rejects.rows
stdout-is: 5
run: sed -n 1p rejects.rows
stdout-is: ["First Name", "Email", "Phone", "Notes"]
run: sed -n 2p rejects.rows
stdout-is: ["BadMail", "not-an-email", "", "n3"]
run: sed -n 3p rejects.rows
stdout-is: ["Short", "short@example.com", "+44 20 7946 0000"]
run: sed -n 4p rejects.rows
stdout-is: ["Long", "long@example.com", "", "n5", "extra"]
run: sed -n 5p rejects.rows
stdout-is: ["BadPhone", "badphone@example.com", "call me", "n9, \"x\"\ny"]
run: grep -ci good rejects.csv
exit: 1
# Fixed by hand (here by sed), the file imports: every row, none rejected.
# The reject file holds the rows as read (raw), so the fixes match raw text.
run: sed -e 's/not-an-email/badmail@example.com/' -e 's/,+44 20 7946 0000/&,n4/' -e 's/,n5,extra/,n5/' -e 's/call me/+1 212 555 0199/' rejects.csv > fixed.csv
run: leadvault --json import --reject-file rejects2.csv fixed.csv > f.json
stderr-empty
run: lvtool jget f.json rows imported duplicates rejected
stdout-is: 4 4 0 0
run: lvtool csv-dump rejects2.csv
stdout-is: ["First Name", "Email", "Phone", "Notes"]
run: leadvault --json lead find --email short@example.com --purpose qa_all | lvtool json leads.0.fields.phone
stdout-is: +442079460000
run: leadvault --json lead find --email badphone@example.com --purpose qa_all > bp.json
run: lvtool field-is bp.json leads.0.fields.notes $'n9, "x"\ny'
run: lv_count
stdout-is: 6
