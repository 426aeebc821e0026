desc: subject export (json and csv, 0600, compliance only) holds every value, the consent history with evidence and every audit entry naming the lead, and nothing of any other lead
# Erasure acceptance 5. The subject is imported in one batch with two other
# people, so the import's audit entry names all three.
setup: vault
setup: user carol compliance
setup: user bob sales
setup: user aud auditor
run: leadvault purpose add qa_every --basis legitimate_interest --fields first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2 --roles admin,sales,compliance
# Random canaries: R (hex) for text, D (digits) for phones.
run: head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n'
save: R
run: printf '%04d%04d' $((RANDOM % 10000)) $((RANDOM % 10000))
save: D

run: printf 'First Name,Last Name,Email,Email 2,Phone,Phone 2,Company,Job Title,Website,Address,Notes,Country\n' > people.csv
run: printf '%s,%s,%s,%s,%s,%s,%s,%s,%s,"%s","%s",DE\n' Qzsf$R Qzsl$R qz.subject.$R@example.com qz.alt.$R@example.org +49301$D +49151$D "Qzsc$R AG" Qzst$R https://qzsw$R.example/ "Qzsa$R Weg 1, Berlin" $'Qzsn'$R$' first line\nsecond line' >> people.csv
run: printf '%s,%s,%s,,%s,,%s,,,,%s,DE\n' Qzof$R Qzol$R qz.other1.$R@example.com +49302$D "Qzoc$R SE" "Qzon$R other note" >> people.csv
run: printf '%s,%s,%s,,,,,,,,%s,\n' Qzpf$R Qzpl$R qz.other2.$R@example.com "Qzpn$R third note" >> people.csv
run: leadvault --json import people.csv --consent email_marketing --evidence "Qzimp$R web form" > import.json && lvtool json imported import.json && lvtool json unknown_columns import.json
stdout-is: 3
run: leadvault --json lead find --email qz.subject.$R@example.com --purpose qa_every | lvtool json leads.0.id
save: S
run: leadvault --json lead find --email qz.other1.$R@example.com --purpose qa_every | lvtool json leads.0.id
save: O1
run: leadvault --json lead find --email qz.other2.$R@example.com --purpose qa_every | lvtool json leads.0.id
save: O2
# The import's one audit entry names the three of them.
run: lv_as carol --json audit show --action lead.import | lvtool pluck entries lead_ids | tr ',' '\n' | sort > got && printf '%s\n' $S $O1 $O2 | sort | diff - got

# Consent history and accesses of the subject; the others get their own.
run: leadvault consent grant $S phone_outreach --evidence "Qzsv$R call recording" --notice-version 2027-02
run: leadvault consent withdraw $S email_marketing --reason "Qzsr$R too many mails"
run: leadvault consent grant $O1 phone_outreach --evidence "Qzov$R other evidence"
run: leadvault consent withdraw $O2 email_marketing --reason "Qzpr$R other reason"
run: leadvault lead get $S --purpose qa_every > /dev/null
run: lv_as bob lead get $S --purpose sales_followup --fields first_name,email > /dev/null
run: lv_as bob lead get $S --purpose email_marketing
exit: 5
run: leadvault lead update $S --stage contacted
run: leadvault lead find --phone +49151$D --purpose qa_every > /dev/null
run: leadvault lead get $O1 --purpose qa_every > /dev/null
run: lv_as carol audit show --lead $S > /dev/null

# What must be in an export of S, and what must not (the other two).
run: printf '%s\n' Qzsf$R Qzsl$R qz.subject.$R@example.com qz.alt.$R@example.org +49301$D +49151$D "Qzsc$R AG" Qzst$R https://qzsw$R.example/ "Qzsa$R Weg 1, Berlin" "Qzsn$R first line" "Qzimp$R web form" "Qzsv$R call recording" "Qzsr$R too many mails" $S > mine.txt
run: printf '%s\n' $O1 $O2 Qzof$R Qzol$R qz.other1.$R@example.com +49302$D "Qzoc$R SE" "Qzon$R other note" "Qzov$R other evidence" Qzpf$R Qzpl$R qz.other2.$R@example.com "Qzpn$R third note" "Qzpr$R other reason" > others.txt

# ---- JSON ----
run: umask 000 && lv_as carol subject export $S --request SAR-$R --out subject.json
stdout-is: wrote subject.json
run: stat -c %a subject.json
stdout-is: 600
run: lv_as carol --json audit show --lead $S > after.json
run: for k in type request leads.length leads.0.id leads.0.fields.length; do lvtool json $k subject.json; echo; done | paste -sd '|'
stdout-is: leadvault-subject-export|SAR-$R|1|$S|11
run: lvtool field-is subject.json leads.0.fields.first_name Qzsf$R && lvtool field-is subject.json leads.0.fields.last_name Qzsl$R && lvtool field-is subject.json leads.0.fields.email qz.subject.$R@example.com && lvtool field-is subject.json leads.0.fields.email2 qz.alt.$R@example.org
run: lvtool field-is subject.json leads.0.fields.phone +49301$D && lvtool field-is subject.json leads.0.fields.phone2 +49151$D && lvtool field-is subject.json leads.0.fields.company "Qzsc$R AG" && lvtool field-is subject.json leads.0.fields.title Qzst$R
run: lvtool field-is subject.json leads.0.fields.website https://qzsw$R.example/ && lvtool field-is subject.json leads.0.fields.address "Qzsa$R Weg 1, Berlin" && lvtool field-is subject.json leads.0.fields.notes $'Qzsn'$R$' first line\nsecond line'
run: for k in stage country; do lvtool json leads.0.metadata.$k subject.json; echo; done | paste -sd '|'
stdout-is: contacted|DE
# The consent history, oldest first, with evidence and reasons.
run: lvtool pluck leads.0.consent purpose,state,evidence subject.json | paste -sd '|'
stdout-is: email_marketing granted Qzimp$R web form|phone_outreach granted Qzsv$R call recording|email_marketing withdrawn null
run: lvtool json leads.0.consent.2.withdrawal_reason subject.json && echo && lvtool json leads.0.consent.1.notice_version subject.json
stdout-has: Qzsr$R too many mails
stdout-has: 2027-02
# Every audit entry naming S before the export's own: the same sequence
# numbers as audit show --lead gives (its last entry is the export).
run: lvtool pluck entries action after.json | tail -n 1
stdout-is: subject.export
run: lvtool pluck entries seq after.json | sed '$d' > want && lvtool pluck leads.0.access seq subject.json | diff want -
run: lvtool pluck leads.0.access action,outcome subject.json | sort -u | paste -sd '|'
stdout-is: audit.show ok|consent.grant ok|consent.withdraw ok|lead.find.email ok|lead.find.phone ok|lead.get denied|lead.get ok|lead.import ok|lead.update ok
run: lvtool pluck leads.0.access by subject.json | sort -u | paste -sd ' '
stdout-is: alice bob carol
# Nothing of the other two: no id, value, evidence or reason. The guard:
# the same scan finds the subject's own values.
run: lvtool scan others.txt subject.json
stdout-has: scanned subject.json
stdout-lacks: FOUND
run: lvtool scan mine.txt subject.json
exit: 1
stdout-has: FOUND 'Qzsv$R call recording'
stdout-has: FOUND 'Qzsn$R first line'

# ---- CSV ----
run: umask 000 && lv_as carol subject export $S --request SAR-$R --format csv --out subject.csv
stdout-is: wrote subject.csv
run: stat -c %a subject.csv
stdout-is: 600
run: lv_as carol --json audit show --lead $S > after2.json
run: head -n 1 subject.csv | tr -d '\r'
stdout-is: lead_id,section,item,name,value
run: python3 -c 'import csv,sys; rows=list(csv.reader(open("subject.csv", newline=""))); [print("|".join(r[1:])) for r in rows[1:] if r[1] in ("field", "consent") and r[3] in ("first_name","last_name","email","email2","phone","phone2","company","title","website","address","notes","evidence","withdrawal_reason") and r[4]]; print("ids", " ".join(sorted(set(r[0] for r in rows[1:]))))' > csv.txt && cat csv.txt
stdout-has: field||first_name|Qzsf$R
stdout-has: field||last_name|Qzsl$R
stdout-has: field||email|qz.subject.$R@example.com
stdout-has: field||email2|qz.alt.$R@example.org
stdout-has: field||phone|'+49301$D
stdout-has: field||phone2|'+49151$D
stdout-has: field||company|Qzsc$R AG
stdout-has: field||title|Qzst$R
stdout-has: field||website|https://qzsw$R.example/
stdout-has: field||address|Qzsa$R Weg 1, Berlin
stdout-has: consent|1|evidence|Qzimp$R web form
stdout-has: consent|2|evidence|Qzsv$R call recording
stdout-has: consent|3|withdrawal_reason|Qzsr$R too many mails
stdout-has: ids $S
run: grep -c '|' csv.txt
stdout-is: 14
run: python3 -c 'import csv; rows=list(csv.reader(open("subject.csv", newline=""))); print([r[4] for r in rows if r[1:4] == ["field", "", "notes"]] == ["Qzsn'$R' first line\nsecond line"])'
stdout-is: True
# The same audit entries (those before this export's own).
run: lvtool pluck entries action after2.json | tail -n 1
stdout-is: subject.export
run: lvtool pluck entries seq after2.json | sed '$d' > want2 && python3 -c 'import csv; [print(r[4]) for r in csv.reader(open("subject.csv", newline="")) if r[1] == "access" and r[3] == "seq"]' | diff want2 -
run: lvtool scan others.txt subject.csv
stdout-has: scanned subject.csv
stdout-lacks: FOUND

# By email too: the same lead, and only it.
run: lv_as carol subject export --email QZ.SUBJECT.$R@EXAMPLE.COM --request SAR-$R-b --out by-email.json > /dev/null && lvtool pluck leads id by-email.json
stdout-is: $S

# Only compliance: admin, sales and auditor are refused (exit 5), and no
# file is left behind.
run: leadvault subject export $S --request SAR-X --out admin.json
exit: 5
run: lv_as bob subject export $S --request SAR-X --out bob.json
exit: 5
run: lv_as aud subject export $S --request SAR-X --out aud.json
exit: 5
run: lv_as aud subject export $S --request SAR-X --format csv --out aud.csv
exit: 5
run: ls admin.json bob.json aud.json aud.csv
exit: 2
stdout-empty
# A request reference is required.
run: lv_as carol subject export $S --out noref.json
exit: 2
