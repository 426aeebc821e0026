desc: the consent report lists a use of a lead under a consent purpose without an active consent at that moment: a reveal whose clock (faketime) is before the grant's record shows as one use without consent, with its lead, purpose, action and audit seq
# Issue 19: "leads used under a consent purpose without an active consent
# (must be zero; shown if not)". The policy checks the latest record, not
# its time, so a clock set back is one way such a use can happen.
setup: vault
setup: user sam sales
setup: user cora compliance
run: printf UTC
save: TZ
run: test -x "$_lv_bin" && printf '#!/bin/sh\nexport ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"\nexec "%s" "$@"\n' "$_lv_bin" > leadvault && chmod +x leadvault
run: faketime '2033-03-07 09:00:00' ./leadvault lead add --first-name Vera --email vera@example.com
save: V
run: faketime '2033-03-07 10:00:00' ./leadvault consent grant $V email_marketing --evidence 'web form'
run: faketime '2033-03-07 11:00:00' ./leadvault --user sam --passphrase-file sam.pass lead get $V --purpose email_marketing --fields email
# The same reveal with the clock an hour before the grant.
run: faketime '2033-03-07 09:30:00' ./leadvault --user sam --passphrase-file sam.pass lead get $V --purpose email_marketing --fields email
run: faketime '2033-03-08 09:00:00' ./leadvault --user cora --passphrase-file cora.pass report consent --format json --out c.json
run: for p in sections.3.id sections.3.rows.0.1 sections.3.rows.1.1; do lvtool json $p c.json; echo; done | paste -sd ' '
stdout-is: use_checks 2 1
run: for p in sections.4.rows.length sections.4.rows.0.0 sections.4.rows.0.1 sections.4.rows.0.2; do lvtool json $p c.json; echo; done | paste -sd ' '
stdout-is: 1 $V email_marketing lead.get
run: faketime '2033-03-08 09:00:00' ./leadvault --user cora --passphrase-file cora.pass report consent --out c.html
run: grep -c "$V" c.html
stdout-is: 1
