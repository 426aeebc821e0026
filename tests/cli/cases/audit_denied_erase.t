desc: an erasure refused by role is audited with the lead it targeted and its request reference
# Acceptance (audit) 2, denied operations. docs/format.md: "request: the
# request reference of lead.erase ... entries". A refused lead get, consent
# or hold names its lead; a refused erase must too, or the log cannot say
# which person someone tried to erase.
setup: vault
setup: user aud auditor
setup: user bob sales
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: lv_as aud --json audit show | lvtool audit-expect m --any
run: lv_as bob erase $A --request REQ-3
exit: 5
stderr-has: denied
run: lv_as aud --json audit show | lvtool audit-expect m "lead.erase actor=bob role=sales outcome=denied request=REQ-3 leads=$A"
# Erasing by email: no lead is known before the role check; the request is.
run: lv_as bob erase --email ann@example.com --request REQ-4
exit: 5
run: lv_as aud --json audit show | lvtool audit-expect m "lead.erase actor=bob outcome=denied request=REQ-4 leads=*"
# The guard: the lead is still there.
run: leadvault lead get $A --purpose qa_all --fields email
stdout-has: ann@example.com
