desc: an erased person is on the suppression list: add, update and import refuse them in any letter case until an admin takes them off; --no-suppress leaves them free
# Erasure acceptance 2.
setup: vault
setup: user bob sales
setup: user carol compliance
setup: user aud auditor
run: leadvault lead add --first-name Pat --last-name Doe --email Pat.Doe@Example.com --email2 pat.private@example.org --phone '030 1234567' --phone2 '+4915112345678' --country DE
save: P
run: leadvault lead add --first-name Quinn --email Quinn@Example.net --phone '+33142685311'
save: Q
run: leadvault lead add --first-name Other --email other@example.net
save: O

run: lv_as carol erase --email pat.doe@example.com --request REQ-1
stdout-is: erased 1 lead; added to the suppression list
run: lv_count
stdout-is: 2

# The same person again, in other letter case and with white space: refused
# as suppressed (exit 5), for every role that may add, and nothing is stored.
run: leadvault lead add --first-name Pat --email PAT.DOE@EXAMPLE.COM
exit: 5
stderr-has: suppression list
stdout-empty
run: lv_as bob lead add --first-name Pat --email '  pAT.dOE@example.COM '
exit: 5
stderr-has: suppression list
# by a secondary contact, by phone in either form, or as a secondary phone
run: leadvault lead add --first-name Pat --email new.address@example.com --email2 Pat.Doe@EXAMPLE.com
exit: 5
stderr-has: suppression list
run: leadvault lead add --first-name Pat --email PAT.PRIVATE@example.org
exit: 5
stderr-has: suppression list
run: leadvault lead add --first-name Pat --phone '+49 30 1234567'
exit: 5
stderr-has: suppression list
run: leadvault lead add --first-name Pat --phone '030 1234567' --country DE
exit: 5
stderr-has: suppression list
run: leadvault lead add --first-name Pat --phone2 '+49 151 12345678'
exit: 5
stderr-has: suppression list
# an update of another lead cannot bring the address back either
run: leadvault lead update $O --email Pat.Doe@example.com
exit: 5
stderr-has: suppression list
run: leadvault --json lead get $O --purpose qa_all --fields email | lvtool json fields.email
stdout-is: other@example.net
run: lv_count
stdout-is: 2
run: leadvault lead find --email pat.doe@example.com --purpose qa_all
exit: 4

# suppress check says so, for admin, sales and compliance; not the auditor.
# ... with when and under which request (the tombstone), never a value.
run: leadvault suppress check --email PAT.DOE@example.com
stdout-match: ^suppressed: erased on [-0-9T:.]+Z under request REQ-1$
stdout-lacks: pat
run: lv_as bob suppress check --email ' Pat.Doe@Example.COM'
stdout-match: ^suppressed: erased on [-0-9T:.]+Z under request REQ-1$
run: lv_as carol --json suppress check --phone '+49301234567'
stdout-match: ^\{"suppressed":true,"erased":"[-0-9T:.]+Z","request":"REQ-1","ground":"[^"]*"\}$
run: leadvault suppress check --phone '+4915112345678'
stdout-match: ^suppressed: erased on .* under request REQ-1$
run: leadvault suppress check --email pat.private@example.org
stdout-match: ^suppressed: erased on .* under request REQ-1$
run: leadvault suppress check --email other@example.net
stdout-is: not suppressed
run: lv_as aud suppress check --email pat.doe@example.com
exit: 5
stdout-empty

# An erasure with --no-suppress: the person may be added again.
run: leadvault erase $Q --request REQ-2 --no-suppress
stdout-is: erased 1 lead
run: leadvault suppress check --email quinn@example.net
stdout-is: not suppressed
run: leadvault suppress check --phone '+33142685311'
stdout-is: not suppressed
run: lv_as bob lead add --first-name Quinn --email QUINN@example.net --phone '+33 1 42 68 53 11'
stdout-match: ^[0-9a-f]{32}$
save: Q2
run: test "$Q2" != "$Q"
run: leadvault --json lead find --email quinn@example.net --purpose qa_all | lvtool json leads.0.id
stdout-is: $Q2

# Import: a suppressed person is skipped and counted, whatever the case,
# by email or by phone alone; the others are imported.
run: printf 'First Name,Email,Phone\nPat,PAT.DOE@example.com,\nPatricia,,+49 30 1234567\nNew,new.person@example.com,\nAlso,,+4915112345678\n' > people.csv
run: leadvault --json import people.csv > import.json && for k in suppressed imported rejected duplicates; do lvtool json $k import.json; echo; done | paste -sd ' '
stdout-is: 3 1 0 0
run: leadvault lead find --email pat.doe@example.com --purpose qa_all
exit: 4
run: leadvault lead find --phone '+49301234567' --purpose qa_all
exit: 4
run: leadvault lead find --email new.person@example.com --purpose qa_all
stdout-has: first_name: New
run: leadvault import people.csv
stdout-has: 4 rows: 0 imported, 0 updated, 1 duplicates, 3 suppressed

# Only an admin takes a person off the list.
run: lv_as bob suppress remove --email pat.doe@example.com
exit: 5
run: lv_as carol suppress remove --email pat.doe@example.com
exit: 5
run: leadvault suppress check --email pat.doe@example.com
stdout-has: suppressed: erased on
run: leadvault suppress remove --email PAT.DOE@example.com
stdout-is: removed from the suppression list
run: leadvault suppress remove --email pat.doe@example.com
exit: 4
run: leadvault suppress check --email pat.doe@example.com
stdout-is: not suppressed
# the email is free again; the phone is still listed
run: leadvault lead add --first-name Pat --email Pat.Doe@Example.com --phone '+49 30 1234567'
exit: 5
stderr-has: phone is on the suppression list
run: leadvault lead add --first-name Pat --email Pat.Doe@Example.com
save: P2
run: leadvault --json lead find --email PAT.DOE@EXAMPLE.COM --purpose qa_all | lvtool json leads.0.id
stdout-is: $P2
run: leadvault suppress remove --phone '+49301234567' && leadvault lead update $P2 --phone '030 1234567' --country DE
run: leadvault --json lead find --phone '+49301234567' --purpose qa_all | lvtool json leads.0.id
stdout-is: $P2

# Each removal is in the audit log.
run: lv_as carol --json audit show --action suppress.remove | lvtool pluck entries actor,outcome | paste -sd ' '
stdout-is: bob denied carol denied alice ok alice error alice ok
