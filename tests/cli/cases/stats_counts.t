desc: stats counts leads by stage and by source, and leads with an active consent per purpose; nothing else
setup: vault
run: printf 'First Name,Email,Lead Source,Lead Status\nA1,a1@example.com,Webinar,Open - Not Contacted\nA2,a2@example.com,Webinar,Working - Contacted\nA3,a3@example.com,Trade Show,Working - Contacted\nA4,a4@example.com,Trade Show,Closed - Converted\nA5,a5@example.com,Purchased List,Working - Contacted\n' > s.csv
run: leadvault --json import s.csv > i.json
run: lvtool jget i.json imported
stdout-is: 5
run: leadvault stats | paste -sd ' ' | tr -s ' '
stdout-is: stage contacted 3 stage converted 1 stage new 1 source third_party_list 1 source trade_show 2 source webinar 2 total 5
# Consent: two leads for email_marketing, one of them withdrawn again.
run: leadvault --json lead find --email a1@example.com --purpose qa_all | lvtool json leads.0.id
save: A1
run: leadvault --json lead find --email a2@example.com --purpose qa_all | lvtool json leads.0.id
save: A2
run: leadvault consent grant $A1 email_marketing --evidence 'web form'
run: leadvault consent grant $A2 email_marketing --evidence 'web form'
run: leadvault consent withdraw $A2 email_marketing
run: leadvault --json stats > s.json
run: lvtool jget s.json total stage.contacted stage.new source.webinar consent.email_marketing
stdout-is: 5 3 1 2 1
