desc: export gives exactly the consented leads and the purpose's columns, neutralizes formulas, is 0600 and audited once
setup: vault
setup: user bob sales
setup: user carol auditor
run: leadvault purpose add qa_every --basis legitimate_interest --fields first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2 --roles admin
# Three leads imported with consent to email marketing, two without; one of
# those two is then granted consent by hand.
run: printf '%s\n' 'First Name,Last Name,Email,Email 2,Phone,Notes' '"=HYPERLINK(""http://evil.example"",""x"")",Smith,f1@example.com,alt1@example.com,+1 212 555 0101,"=1+2"' '@SUM(A1),-Jones,f2@example.com,,+44 20 7946 0000,"	tab first"' 'Plain,+Plus,f3@example.com,,,plain' > consented.csv
run: leadvault --json import --consent email_marketing --evidence 'web form v3, double opt-in' consented.csv | lvtool json imported
stdout-is: 3
run: printf '%s\r\n' 'First Name,Email,Phone,Notes' 'No1,n1@example.com,+1 212 555 0102,"-x"' 'No2,n2@example.com,,"@y"' > plain.csv
run: leadvault --json import plain.csv | lvtool json imported
stdout-is: 2
run: for e in f1 f2 f3 n1 n2; do leadvault --json lead find --email $e@example.com --purpose qa_all | lvtool json leads.0.id; echo; done > ids.txt
run: sed -n 5p ids.txt
save: N2
run: leadvault consent grant $N2 email_marketing --evidence 'phone call 2026-01-05'
run: { sed -n 1,3p ids.txt; echo $N2; } | sort > consented.ids

# CSV: exactly the consented leads, exactly the purpose's columns.
run: leadvault export --purpose email_marketing --format csv --out em.csv
stderr-has: exported 4 leads
run: stat -c %a em.csv
stdout-is: 600
run: lvtool csv-dump em.csv > em.rows && sed -n 1p em.rows
stdout-is: ["id", "first_name", "last_name", "email", "email2"]
run: lvtool csv-ids em.csv | diff - consented.ids
run: awk -F'", "' '{ print NF }' em.rows | sort -u
stdout-is: 5
run: grep -c -e 5550101 -e '555 0101' -e notes -e tab -e plain em.csv
exit: 1
# Formula cells get a leading apostrophe, and only those.
run: grep -F f1@example.com em.rows
stdout-has: "'=HYPERLINK(\"http://evil.example\",\"x\")", "Smith"
run: grep -F f2@example.com em.rows
stdout-has: "'@SUM(A1)", "'-Jones"
run: grep -F f3@example.com em.rows
stdout-has: "Plain", "'+Plus", "f3@example.com", ""]
run: grep -F n2@example.com em.rows
stdout-has: "No2", "", "n2@example.com", ""]

# JSON Lines: the same leads and keys, values as stored (no apostrophe).
run: leadvault export --purpose email_marketing --format jsonl --out em.jsonl
run: stat -c %a em.jsonl
stdout-is: 600
run: lvtool jsonl-ids em.jsonl | diff - consented.ids
run: lvtool jsonl-keys em.jsonl
stdout-is: email,email2,first_name,id,last_name
run: grep -F f2@example.com em.jsonl | lvtool json first_name
stdout-is: @SUM(A1)

# Phones and notes: "+", "-", "@", "=", tab and CR first are neutralized too.
run: printf 'First Name,Email,Notes\nCR,cr@example.com,"\rcr first"\n' > cr.csv && leadvault import cr.csv > /dev/null
run: leadvault export --purpose qa_every --out all.csv && lvtool csv-dump all.csv > all.rows
run: grep -F f1@example.com all.rows
stdout-has: "'+12125550101"
stdout-has: "'=1+2"
run: grep -F f2@example.com all.rows
stdout-has: "'\ttab first"
run: grep -F n1@example.com all.rows
stdout-has: "'-x"
run: grep -F n2@example.com all.rows
stdout-has: "'@y"
run: grep -F cr@example.com all.rows
stdout-has: "'\rcr first"

# Roles: sales may export sales_followup, an auditor may not (exit 5, no file).
run: lv_as bob export --purpose sales_followup --out sales.csv
stderr-has: exported 6 leads
run: lvtool csv-dump sales.csv | sed -n 1p
stdout-is: ["id", "first_name", "last_name", "email", "phone", "company", "title", "email2", "phone2"]
run: lv_as carol export --purpose sales_followup --out denied.csv
exit: 5
stdout-empty
run: test -e denied.csv
exit: 1
run: lv_as carol export --purpose email_marketing
exit: 5
stdout-empty

# The audit log: one lead.export entry per export, listing exactly its leads.
run: lv_as carol --json audit show --action lead.export > audit.json
run: lvtool pluck entries purpose,outcome,actor audit.json | paste -sd ' '
stdout-is: email_marketing ok alice email_marketing ok alice qa_every ok alice sales_followup ok bob sales_followup denied carol email_marketing denied carol
run: lvtool pluck entries lead_ids audit.json | sed -n 1p | tr , '\n' | sort | diff - consented.ids
run: lvtool pluck entries lead_ids audit.json | sed -n 2p | tr , '\n' | sort | diff - consented.ids
run: lvtool pluck entries lead_ids audit.json | sed -n 3p | tr , '\n' | sort | diff - <(lvtool csv-ids all.csv)
run: lvtool pluck entries fields audit.json | sed -n 1p
stdout-is: first_name,last_name,email,email2
run: lvtool pluck entries lead_ids audit.json | sed -n 5p
stdout-is: 
