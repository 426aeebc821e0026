desc: consent records exist only for purposes that rest on consent: a grant for sales_followup is refused, and a withdrawal must either be refused too or deny the next reveal, as leadvault.h promises for lv_consent_withdraw
setup: vault
setup: user bob sales
run: leadvault lead add --first-name Ann --email ann@example.com
save: ID
run: leadvault consent grant $ID sales_followup --evidence 'form'
exit: 2
stderr-has: rests on legitimate_interest, not on consent
run: leadvault consent grant $ID no_such_purpose --evidence 'form'
exit: 4
run: leadvault consent withdraw $ID no_such_purpose
exit: 4
# "Record a withdrawal ... The next reveal for that purpose is denied."
# A withdrawal that is recorded for sales_followup and then changes nothing
# would leave a record saying the person withdrew while the reveals go on
# (and a --consent-withdrawn retention rule would count it).
run: if lv_as bob consent withdraw $ID sales_followup --reason 'objected'; then lv_as bob lead get $ID --purpose sales_followup --fields first_name && { echo 'withdrawal recorded, reveal still allowed' >&2; exit 1; }; fi; exit 0
