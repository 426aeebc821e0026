desc: consent grant / withdraw name the lead by --email or --phone through the blind index
setup: vault
setup: user comp compliance
run: leadvault lead add --first-name Ann --email 'Ann.Lee@Example.com' --phone '+44 20 2640 6551'
save: ANN
run: leadvault lead add --first-name Dup --email dup@example.com
save: D1
run: leadvault lead add --first-name Dup --email DUP@example.com
save: D2

# Another case and spacing find the same lead; the output names its id.
run: leadvault consent grant --email ' ann.lee@example.COM ' email_marketing --evidence 'web form 2026-11'
stdout-is: consent for email_marketing granted on lead $ANN
run: leadvault --json consent withdraw --phone '+44 (20) 2640-6551' email_marketing --evidence 'asked by phone'
stdout-is: {"lead":"$ANN","purpose":"email_marketing","state":"withdrawn"}
run: lv_as comp --json consent show $ANN > h.json
run: lvtool jget h.json history.0.state history.0.evidence history.1.state history.1.reason
stdout-is: granted web form 2026-11 withdrawn asked by phone

# No such lead: exit 4. Several: exit 2, their ids, nothing recorded, no value shown.
run: leadvault consent grant --email nobody@example.com email_marketing --evidence x
exit: 4
stderr-has: no lead with that email
run: leadvault consent grant --email dup@example.com email_marketing --evidence x
exit: 2
stderr-has: 2 leads have that email
stderr-has: $D1
stderr-has: $D2
stderr-lacks: dup@
run: lv_as comp consent show $D1
stdout-is: no consent records for lead $D1

# Usage: one of id, --email, --phone.
run: leadvault consent grant --email a@example.com --phone 123 email_marketing --evidence x
exit: 2
stderr-has: --email or --phone, not both
run: leadvault consent grant --email a@example.com $ANN email_marketing --evidence x
exit: 2
run: leadvault consent withdraw $ANN email_marketing --reason a --evidence b
exit: 2
