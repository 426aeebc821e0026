desc: consent lifecycle for email_marketing: no consent denied, a grant reveals exactly the purpose's fields, a withdrawal denies again, an expired grant denies; every step is in the audit log as ok or denied
setup: vault
setup: user bob sales
setup: user cora compliance
run: printf UTC
save: TZ
# faketime needs a file, not the runner's shell function: a small script that
# runs the binary under test (with faketime preloaded, ASan is not the first
# library, which it need not refuse).
run: test -x "$_lv_bin" && printf '#!/bin/sh\nexport ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"\nexec "%s" "$@"\n' "$_lv_bin" > leadvault && chmod +x leadvault

# A lead with every field set, so that a reveal shows which fields it allows.
run: leadvault lead add --first-name Ann --last-name Lee --email ann@example.com --email2 ann.lee@example.org --phone '+49 30 1234567' --phone2 '+49 30 7654321' --company ACME --title CEO --website https://acme.example --address 'Hauptstr. 1' --notes 'private note'
save: ID

# 1. No consent: denied, for admin and sales, by get and by find.
run: lv_as bob lead get $ID --purpose email_marketing
exit: 5
stderr-has: denied: the lead has no active consent for purpose email_marketing
stdout-empty
run: leadvault lead get $ID --purpose email_marketing
exit: 5
stdout-empty
run: lv_as bob lead find --email ann@example.com --purpose email_marketing
exit: 5
stderr-has: no active consent for purpose email_marketing
stdout-empty

# 2. Granted: allowed, exactly first_name,last_name,email,email2.
run: lv_as bob consent grant $ID email_marketing --evidence 'newsletter form, double opt-in' --notice-version 2026-03
stdout-is: consent for email_marketing granted on lead $ID
run: lv_as bob --json lead get $ID --purpose email_marketing > get.json && lvtool keys fields get.json
stdout-is: first_name,last_name,email,email2
run: for f in first_name last_name email email2; do lvtool json fields.$f get.json; echo; done | paste -sd '|'
stdout-is: Ann|Lee|ann@example.com|ann.lee@example.org
run: lv_as bob --json lead find --email ann@example.com --purpose email_marketing > find.json && { lvtool json leads.length find.json; echo; lvtool keys leads.0.fields find.json; } | paste -sd ' '
stdout-is: 1 first_name,last_name,email,email2
# A subset of the purpose's fields is fine; nothing else comes back.
run: lv_as bob --json lead get $ID --purpose email_marketing --fields email | lvtool keys fields
stdout-is: email

# 3. Withdrawn: denied again.
run: lv_as bob consent withdraw $ID email_marketing --reason 'unsubscribed by link'
stdout-is: consent for email_marketing withdrawn on lead $ID
run: lv_as bob lead get $ID --purpose email_marketing
exit: 5
stderr-has: denied: the lead has no active consent for purpose email_marketing
stdout-empty
run: lv_as bob lead find --email ann@example.com --purpose email_marketing
exit: 5
stdout-empty

# 4. A grant that expires at the start of 2027: allowed the day before,
# denied after (the clock moved with faketime).
run: faketime '2026-12-31 12:00:00' ./leadvault --user bob --passphrase-file bob.pass consent grant $ID email_marketing --evidence 'renewed at the fair' --expires 2027-01-01
run: faketime '2026-12-31 12:00:00' ./leadvault --user bob --passphrase-file bob.pass --json lead get $ID --purpose email_marketing | lvtool keys fields
stdout-is: first_name,last_name,email,email2
run: faketime '2027-01-02 00:00:00' ./leadvault --user bob --passphrase-file bob.pass lead get $ID --purpose email_marketing
exit: 5
stderr-has: denied: the lead has no active consent for purpose email_marketing
stdout-empty
# The grant itself is still there, with its expiry.
run: lv_as cora --json consent show $ID | lvtool pluck history state,expires | paste -sd '|'
stdout-is: granted null|withdrawn null|granted 2027-01-01T00:00:00.000Z

# Every step is audited in order, with its outcome (read as compliance).
run: lv_as cora --json audit show --lead $ID > audit.json && lvtool pluck entries actor,action,purpose,outcome audit.json | paste -sd '|'
stdout-is: alice lead.add  ok|bob lead.get email_marketing denied|alice lead.get email_marketing denied|bob consent.grant email_marketing ok|bob lead.get email_marketing ok|bob lead.find.email email_marketing ok|bob lead.get email_marketing ok|bob consent.withdraw email_marketing ok|bob lead.get email_marketing denied|bob consent.grant email_marketing ok|bob lead.get email_marketing ok|bob lead.get email_marketing denied|cora consent.show  ok
# A denied find names no lead (nothing matched was revealed), so it is not
# under --lead: the finds, by action.
run: lv_as cora --json audit show --action lead.find.email | lvtool pluck entries actor,purpose,outcome | paste -sd '|'
stdout-is: bob email_marketing denied|bob email_marketing ok|bob email_marketing denied
# The denied reveals carry the policy code, and the allowed ones the fields revealed.
run: lvtool pluck entries action,outcome,code,fields audit.json | grep '^lead.get' | paste -sd '|'
stdout-is: lead.get denied -5 first_name,last_name,email,email2|lead.get denied -5 first_name,last_name,email,email2|lead.get ok 0 first_name,last_name,email,email2|lead.get ok 0 email|lead.get denied -5 first_name,last_name,email,email2|lead.get ok 0 first_name,last_name,email,email2|lead.get denied -5 first_name,last_name,email,email2
run: leadvault audit verify
stdout-has: ok:
