desc: a consented mailing list from the HubSpot sample in two commands, evidence per lead (issue 18, acceptance 1)
# The sample's "Marketing contact status" says which people may get
# marketing email (102 of 200). import --consent-column records a grant
# for each of them, naming the file, the line and the column; export for
# the consent-based purpose email_marketing is then exactly those people.
setup: vault
setup: user comp compliance
run: lvtool data leads-hubspot-200.csv

# command 1 of 2
run: leadvault --json import leads-hubspot-200.csv --consent-column "Marketing contact status=email_marketing" > i.json
stderr-empty
run: lvtool jget i.json rows imported rejected consent_granted consent_withdrawn consent_unknown unknown_columns
stdout-is: 200 200 0 102 0 0 
# command 2 of 2
run: leadvault export --purpose email_marketing --out mailing.csv
run: lvtool csv-values mailing.csv email > got.emails && lvtool csv-values leads-hubspot-200.csv Email "Marketing contact status=Marketing contact" > want.emails && wc -l < want.emails
stdout-is: 102
run: cmp got.emails want.emails

# Each lead's grant names the file, its line and the column.
run: for id in $(lvtool csv-ids mailing.csv); do lv_as comp consent show "$id" || exit 1; done > evidence.txt
run: grep -c 'evidence: import of leads-hubspot-200.csv, line [0-9]*, column "Marketing contact status": "Marketing contact"$' evidence.txt
stdout-is: 102
run: leadvault --json lead find --email ngozi.suzuki2@mail.example.net --purpose email_marketing | lvtool json leads.0.id
save: OLIVIA
run: lv_as comp --json consent show $OLIVIA | lvtool json history.0.evidence
stdout-is: import of leads-hubspot-200.csv, line 3, column "Marketing contact status": "Marketing contact"
# A non-marketing contact got no record (neither grant nor withdrawal).
run: leadvault --json lead find --email priya.muller1@example.in --purpose sales_followup | lvtool json leads.0.id
save: PRIYA
run: lv_as comp consent show $PRIYA
stdout-is: no consent records for lead $PRIYA
run: leadvault stats
stdout-match: ^consent +email_marketing +102$
# The grants are audited per batch, listing the leads.
run: lv_as comp --json audit show --action consent.grant > audit.json
run: lvtool json entries.0.lead_ids.length audit.json
stdout-is: 102
