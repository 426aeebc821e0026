desc: erase --email / --phone takes every lead matching by primary or secondary contact, all or none: one held lead refuses the whole command; each lead gets its own audit entry
setup: vault
setup: user carol compliance
setup: user bob sales
setup: user aud auditor
run: leadvault lead add --first-name Ann --email shared@example.com
save: A
run: leadvault lead add --first-name Ben --email ben@example.com --email2 ' Shared@EXAMPLE.com'
save: B
run: leadvault lead add --first-name Hal --email SHARED@example.com
save: H
run: leadvault lead add --first-name Pia --phone2 '+442079460999'
save: P
run: leadvault lead add --first-name Other --email other@example.com --phone '+442079460998'
save: O
run: leadvault hold set $H --reason 'case 12'
run: lv_dump > before.txt

# Refused, nothing erased, nothing suppressed, when one match is held.
run: lv_as carol erase --email shared@example.com --request REQ-S --receipt r0.json
exit: 5
stderr-has: lead $H is under legal hold
stdout-empty
run: test ! -e r0.json
run: lv_dump | diff before.txt -
run: leadvault suppress check --email shared@example.com
stdout-is: not suppressed
# Other refusals change nothing either.
run: lv_as bob erase $A --request REQ-S
exit: 5
run: lv_as aud erase $A --request REQ-S
exit: 5
run: leadvault erase $A
exit: 2
stderr-has: --request
run: leadvault erase 0123456789abcdef0123456789abcdef --request REQ-S
exit: 4
run: leadvault erase not-an-id --request REQ-S
exit: 2
run: leadvault erase --email nobody@example.com --request REQ-S
exit: 4
run: leadvault erase $A --email shared@example.com --request REQ-S
exit: 2
run: lv_dump | diff before.txt -

# Hold cleared: every match goes, the secondary-address one too.
run: leadvault hold clear $H
run: lv_as carol erase --email ' SHARED@example.COM ' --request REQ-S --receipt r1.json
stdout-is: erased 3 leads; added to the suppression list; receipt written
run: lvtool pluck erased lead_id r1.json | sort > got && printf '%s\n' $A $B $H | sort | diff - got
run: lv_as carol --json audit show --action lead.erase | lvtool pluck entries lead_ids,request,outcome | grep ' ok$' | sort > got && printf '%s\n' "$A REQ-S ok" "$B REQ-S ok" "$H REQ-S ok" | sort | diff - got
run: leadvault --json lead list | lvtool pluck leads id | sort > got && printf '%s\n' $P $O | sort | diff - got
# Ben's primary address went on the list with him.
run: leadvault suppress check --email ben@example.com
stdout-match: ^suppressed: erased on [-0-9T:.]+Z under request REQ-S$

# By phone, matching a secondary phone.
run: lv_as carol --json erase --phone '+44 20 7946 0999' --request REQ-P
stdout-is: {"erased":1,"suppressed":true,"receipt":null}
run: leadvault --json lead list | lvtool pluck leads id
stdout-is: $O
run: leadvault --json lead get $O --purpose qa_all | lvtool json fields.email
stdout-is: other@example.com
run: leadvault check
stdout-has: ok: 1 lead
