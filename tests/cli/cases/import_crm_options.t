desc: import of a Salesforce Data Loader export: API names, opt-out consent, owners, default country
# Data Loader writes API field names in upper case; LEADSOURCE must map
# (it was reported as not imported). HASOPTEDOUTOFEMAIL true withdraws,
# false records nothing (never consent from a missing opt-out) unless
# --consent-granted names it; a value no convention knows imports the row
# and is reported. Owners must be users or be mapped; others are counted.
setup: vault
setup: user fatima sales
setup: user comp compliance
run: printf '%s\r\n' 'FIRSTNAME,LASTNAME,EMAIL,PHONE,COMPANY,LEADSOURCE,STATUS,OWNER.NAME,HASOPTEDOUTOFEMAIL' 'Ann,Lee,ann@example.com,(0576) 977111,Acme,Trade Show,Working - Contacted,Fatima Johnson,true' 'Bob,Ray,bob@example.com,+44 20 2640 6551,Acme,Web,Open - Not Contacted,fatima,false' 'Cy,Oh,cy@example.com,,Acme,Partner Referral,Closed - Converted,Rahul Iyer,maybe' 'Di,Ng,di@example.com,,Acme,Webinar,Working - Contacted,Rahul Iyer,' > sf.csv

run: leadvault import sf.csv --default-country XX
exit: 2
stderr-has: --default-country: not an ISO 3166 alpha-2 code
run: leadvault import sf.csv --map-owner "Fatima Johnson=nobody"
exit: 2
stderr-has: --map-owner: nobody is not a user of this vault
run: leadvault import sf.csv --consent-column "Email Opt Out=email_marketing"
exit: 2
stderr-has: --consent-column: the header has no column "Email Opt Out"
run: leadvault import sf.csv --consent-column "HASOPTEDOUTOFEMAIL=sales_followup"
exit: 2
stderr-has: purpose sales_followup rests on legitimate_interest, not on consent
run: lv_count
stdout-is: 0

run: leadvault --json import sf.csv --default-country IN --map-owner "Fatima Johnson=fatima" --consent-column "HASOPTEDOUTOFEMAIL=email_marketing" > i.json
stderr-has: warning: 2 rows name an owner who is not a leadvault user
stderr-has: warning: 1 leads (the first on line 4) hold a value in HASOPTEDOUTOFEMAIL that neither grants nor withdraws consent
run: lvtool jget i.json imported rejected unknown_columns owners_dropped consent_granted consent_withdrawn consent_unknown consent_unknown_columns
stdout-is: 4 0  2 0 1 1 HASOPTEDOUTOFEMAIL
run: leadvault --json lead find --email ann@example.com --purpose qa_all > ann.json
run: lvtool jget ann.json leads.0.source leads.0.stage leads.0.owner leads.0.country leads.0.fields.phone
stdout-is: trade_show contacted fatima IN +91576977111
run: lvtool json leads.0.id ann.json
save: ANN
run: lv_as comp --json consent show $ANN | lvtool jget - history.0.purpose history.0.state
stdout-is: email_marketing withdrawn
run: lv_as comp --json consent show $ANN | lvtool json history.0.reason
stdout-is: import of sf.csv, line 2, column "HASOPTEDOUTOFEMAIL": "true"
run: leadvault --json lead find --email bob@example.com --purpose qa_all | lvtool jget - leads.0.source leads.0.owner leads.0.country leads.0.fields.phone
stdout-is: website_form fatima IN +442026406551
run: leadvault --json lead find --email bob@example.com --purpose qa_all | lvtool json leads.0.id
save: BOB
run: lv_as comp consent show $BOB
stdout-is: no consent records for lead $BOB
run: leadvault --json lead find --email cy@example.com --purpose qa_all | lvtool jget - leads.0.source leads.0.stage leads.0.owner
stdout-is: referral converted alice

# Only an explicit --consent-granted reads "false" as consent.
run: leadvault --vault two.lv init --admin alice "${LV_KDF[@]}" > /dev/null
run: leadvault --vault two.lv --json import sf.csv --consent-column "HASOPTEDOUTOFEMAIL=email_marketing" --consent-granted false --consent-withdrawn maybe > two.json
run: lvtool jget two.json consent_granted consent_withdrawn consent_unknown
stdout-is: 1 2 0
run: leadvault --vault two.lv export --purpose email_marketing | lvtool csv-dump /dev/stdin | tail -n +2 | lvtool json 3
stdout-is: bob@example.com
