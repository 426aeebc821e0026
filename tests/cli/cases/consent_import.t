desc: consent import records rows of (email or phone, purpose, action, time, evidence), rejecting bad rows alone with their line
setup: vault
setup: user comp compliance
run: leadvault lead add --first-name Ann --email ann@example.com --phone '+44 20 2640 6551'
save: ANN
run: leadvault lead add --first-name Bob --email bob@example.com
save: BOB
# line 1 header; 2 ok (grant, dated); 3 ok (withdraw by phone, no evidence);
# 4 no such lead; 5 a purpose not on consent; 6 bad action; 7 future time;
# 8 grant without evidence; 9-10 one quoted record over two lines (a line
# break in evidence is refused); 11 too few fields; 12 ok (quoted comma).
run: printf '%s\n' 'Email,Phone,Purpose,Action,Time,Evidence' 'ann@example.com,,email_marketing,grant,2026-11-02,web form v3' ',+442026406551,email_marketing,withdraw,,' 'nobody@example.com,,email_marketing,grant,,x' 'bob@example.com,,sales_followup,grant,,x' 'bob@example.com,,email_marketing,maybe,,x' 'bob@example.com,,email_marketing,grant,2099-01-01,x' 'bob@example.com,,phone_outreach,grant,,' 'bob@example.com,,phone_outreach,grant,2026-12-01T10:00:00Z,"booth 12,' 'signed card"' 'bob@example.com,phone_outreach' 'bob@example.com,,phone_outreach,grant,2026-12-01T10:00:00Z,"booth 12, signed card"' > consents.csv
run: leadvault --json consent import consents.csv --reject-file rejects.csv > c.json
stderr-has: line 4: rejected: no lead with that email
stderr-has: line 5: rejected: purpose sales_followup rests on legitimate_interest, not on consent
stderr-has: line 6: rejected: action: grant or withdraw
stderr-has: line 7: rejected: time: in the future
stderr-has: line 8: rejected: evidence: required for a grant
stderr-has: line 9: rejected: evidence: contains a control character
stderr-has: line 11: rejected: has 2 fields, the header has 6
stderr-lacks: nobody@
run: lvtool jget c.json rows granted withdrawn rejected
stdout-is: 10 2 1 7
# The reject file is the header and the refused rows as read.
run: lvtool csv-dump rejects.csv | wc -l
stdout-is: 8
run: head -1 rejects.csv | tr -d "\r"
stdout-is: Email,Phone,Purpose,Action,Time,Evidence

# Records: the row's time, its evidence followed by the file and line.
run: lv_as comp --json consent show $ANN > ann.json
run: lvtool jget ann.json history.length history.0.state history.0.time history.0.evidence history.1.state history.1.reason
stdout-is: 2 granted 2026-11-02T00:00:00.000Z web form v3 (consent import of consents.csv, line 2) withdrawn consent import of consents.csv, line 3
run: lv_as comp --json consent show $BOB > bob.json
run: lvtool jget bob.json history.length history.0.purpose history.0.time
stdout-is: 1 phone_outreach 2026-12-01T10:00:00.000Z
run: lvtool field-is bob.json history.0.evidence 'booth 12, signed card (consent import of consents.csv, line 12)'
# Each row that reached the vault is audited on its own: the two grants,
# and the two refused there (no such lead, a purpose not on consent).
run: lv_as comp --json audit show --action consent.grant | lvtool jget - entries.length entries.0.outcome entries.0.lead_ids.0 entries.1.outcome entries.2.outcome entries.3.outcome entries.3.lead_ids.0
stdout-is: 4 ok $ANN error error ok $BOB

# A header naming another column, or lacking purpose/action: exit 2, nothing read.
run: printf 'email,purpose,action,colour\nann@example.com,email_marketing,grant,red\n' > bad.csv && leadvault consent import bad.csv
exit: 2
stderr-has: header: column 4 is none of email, phone, purpose, action, time, evidence
run: printf 'email,purpose\nann@example.com,email_marketing\n' > bad2.csv && leadvault consent import bad2.csv
exit: 2
stderr-has: header: needs the columns purpose, action, and email or phone
# The auditor may not record consent.
setup: user aud auditor
run: lv_as aud consent import consents.csv
exit: 5
