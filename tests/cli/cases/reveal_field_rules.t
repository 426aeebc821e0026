desc: a purpose reveals only its own fields: phone_outreach never reveals notes or email, sales_followup never reveals notes, even when --fields asks; the denial names the rule and reveals nothing
setup: vault
setup: user bob sales
setup: user cora compliance
run: leadvault lead add --first-name Ann --last-name Lee --email ann@example.com --email2 ann.lee@example.org --phone '+49 30 1234567' --phone2 '+49 30 7654321' --company ACME --title CEO --website https://acme.example --address 'Hauptstr. 1' --notes 'Qz7 private note'
save: ID

# Without consent the field rule is still what refuses a field outside the
# purpose (it is checked first).
run: lv_as bob lead get $ID --purpose phone_outreach --fields notes
exit: 5
stderr-has: denied: purpose phone_outreach does not allow field notes
stdout-empty

run: lv_as bob consent grant $ID phone_outreach --evidence 'call-back form'
# The purpose's own fields, and a subset of them, are revealed.
run: lv_as bob --json lead get $ID --purpose phone_outreach | lvtool keys fields
stdout-is: first_name,last_name,phone,company,phone2
run: lv_as bob --json lead get $ID --purpose phone_outreach --fields first_name,phone | lvtool keys fields
stdout-is: first_name,phone

# notes and email are outside phone_outreach: denied for sales and admin,
# alone or next to allowed fields, by get and by find.
run: lv_as bob lead get $ID --purpose phone_outreach --fields notes
exit: 5
stderr-has: denied: purpose phone_outreach does not allow field notes
stdout-empty
run: lv_as bob lead get $ID --purpose phone_outreach --fields email
exit: 5
stderr-has: denied: purpose phone_outreach does not allow field email
stdout-empty
run: lv_as bob lead get $ID --purpose phone_outreach --fields phone,notes
exit: 5
stderr-has: does not allow field notes
stdout-empty
run: lv_as bob lead get $ID --purpose phone_outreach --fields first_name,email2
exit: 5
stderr-has: does not allow field email2
stdout-empty
run: leadvault lead get $ID --purpose phone_outreach --fields notes
exit: 5
stderr-has: denied: purpose phone_outreach does not allow field notes
stdout-empty
run: leadvault lead get $ID --purpose phone_outreach --fields email
exit: 5
stderr-has: denied: purpose phone_outreach does not allow field email
stdout-empty
run: lv_as bob lead find --phone '+49 30 1234567' --purpose phone_outreach --fields notes
exit: 5
stderr-has: denied: purpose phone_outreach does not allow field notes
stdout-empty
run: lv_as bob lead find --email ann@example.com --purpose phone_outreach --fields email
exit: 5
stderr-has: denied: purpose phone_outreach does not allow field email
stdout-empty
# --json: the error document only, no lead.
run: lv_as bob --json lead get $ID --purpose phone_outreach --fields notes
exit: 5
stdout-lacks: Qz7
stdout-lacks: ann@example.com
stdout-has: does not allow field notes

# sales_followup (legitimate interest): contact data yes, notes never.
run: lv_as bob --json lead get $ID --purpose sales_followup | lvtool keys fields
stdout-is: first_name,last_name,email,phone,company,title,email2,phone2
run: lv_as bob lead get $ID --purpose sales_followup --fields notes
exit: 5
stderr-has: denied: purpose sales_followup does not allow field notes
stdout-empty
run: leadvault lead get $ID --purpose sales_followup --fields email,notes
exit: 5
stderr-has: denied: purpose sales_followup does not allow field notes
stdout-empty
run: lv_as bob lead find --email ann@example.com --purpose sales_followup --fields notes
exit: 5
stderr-has: denied: purpose sales_followup does not allow field notes
stdout-empty

# Only subject_request (compliance) reveals notes among the defaults.
run: lv_as cora --json lead get $ID --purpose subject_request --fields notes | lvtool json fields.notes
stdout-is: Qz7 private note
run: lv_as bob lead get $ID --purpose subject_request --fields notes
exit: 5
stderr-has: denied: role sales may not use purpose subject_request
stdout-empty

# The refusals are audited as denied, with the fields asked for.
run: lv_as cora --json audit show --lead $ID --action lead.get | lvtool pluck entries actor,purpose,fields,outcome | grep denied | paste -sd '|'
stdout-is: bob phone_outreach notes denied|bob phone_outreach notes denied|bob phone_outreach email denied|bob phone_outreach phone,notes denied|bob phone_outreach first_name,email2 denied|alice phone_outreach notes denied|alice phone_outreach email denied|bob phone_outreach notes denied|bob sales_followup notes denied|alice sales_followup email,notes denied|bob subject_request notes denied
