desc: lead list --purpose P --show FIELDS lists metadata plus the fields P allows, leaves out leads without the consent P needs, refuses a field P does not allow (exit 5, nothing printed), and audits exactly the leads and fields shown in one entry
setup: vault
setup: user bob sales
setup: user carol compliance
run: leadvault lead add --first-name Ann --last-name Lee --company 'Acme' --email ann@example.com --notes $'call after 5 pm\nmobile only'
save: A
run: leadvault lead add --first-name Bo --company 'Initech' --email bo@example.com --stage qualified
save: B

run: lv_as bob lead list --purpose sales_notes --show first_name,company,notes
stdout-match: ^ID +STAGE +SOURCE +OWNER +CC +RATING +CREATED +first_name  company  notes$
stdout-match: ^$A  new .*  Ann  Acme  call after 5 pm mobile only$
stdout-match: ^$B  qualified .*  Bo  Initech  -$
run: lv_as bob --json lead list --purpose sales_notes --show last_name,notes > l.json && lvtool keys leads.0.fields l.json && lvtool field-is l.json leads.0.fields.notes $'call after 5 pm\nmobile only'
stdout-is: last_name,notes
# Filters apply as in a plain listing: names case-insensitive, an unknown one refused.
run: lv_as bob --json lead list --stage Qualified --purpose sales_followup --show email | lvtool pluck leads id
stdout-is: $B
run: lv_as bob lead list --stage bogus --purpose sales_followup --show email
exit: 2
stdout-empty
# One audit entry per listing: the leads shown, the fields, the purpose.
run: lv_as carol --json audit show --action lead.list.show | lvtool pluck entries lead_ids,fields,purpose | paste -sd ';'
stdout-is: $A,$B first_name,company,notes sales_notes;$A,$B last_name,notes sales_notes;$B email sales_followup

# A field the purpose does not allow: denied, audited, nothing printed.
run: lv_as bob lead list --purpose sales_followup --show first_name,notes
exit: 5
stderr-is: leadvault lead list: denied: purpose sales_followup does not allow field notes
stdout-empty
run: lv_as carol --json audit show --action lead.list.show | lvtool pluck entries outcome,fields | tail -1
stdout-is: denied first_name,notes
# A purpose resting on consent lists only the leads that hold it.
run: leadvault consent grant $B email_marketing --evidence 'newsletter form'
run: lv_as bob --json lead list --purpose email_marketing --show email | lvtool pluck leads id
stdout-is: $B
# No lead to show: the header, exit 0.
run: lv_as bob lead list --stage lost --purpose sales_followup --show email
stdout-match: ^ID .* email$
# Usage: --show and --purpose go together; an unknown field exits 2.
run: lv_as bob lead list --show email
exit: 2
run: lv_as bob lead list --purpose sales_followup
exit: 2
run: lv_as bob lead list --purpose sales_followup --show emial
exit: 2
# The auditor never gets personal data.
setup: user aud auditor
run: lv_as aud lead list --purpose sales_followup --show email
exit: 5
stdout-empty
