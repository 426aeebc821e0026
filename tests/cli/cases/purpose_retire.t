desc: retiring a purpose keeps its consent history readable but denies new reveals and new grants for it (exit 5); a withdrawal is still accepted
setup: vault
setup: user bob sales
setup: user cora compliance
run: leadvault lead add --first-name Ann --last-name Lee --email ann@example.com
save: ID
run: leadvault lead add --first-name Ben --email ben@example.com
save: BEN
run: leadvault purpose add webinar_invites --basis consent --fields first_name,email --roles admin,sales
stdout-is: added purpose webinar_invites

# Before: a grant, a withdrawal and a new grant; the reveal works.
run: lv_as bob consent grant $ID webinar_invites --evidence 'webinar sign-up 2026-04' --notice-version w1
run: lv_as bob consent withdraw $ID webinar_invites --reason 'too many mails'
run: lv_as bob consent grant $ID webinar_invites --evidence 'opted in again at the fair'
run: lv_as bob --json lead get $ID --purpose webinar_invites | lvtool keys fields
stdout-is: first_name,email
run: lv_as bob --json lead find --email ann@example.com --purpose webinar_invites | lvtool json leads.length
stdout-is: 1

# Only an admin retires a purpose.
run: lv_as bob purpose retire webinar_invites
exit: 5
stderr-has: denied: role sales may not manage purposes
run: lv_as cora purpose retire webinar_invites
exit: 5
run: leadvault purpose retire webinar_invites
stdout-is: retired purpose webinar_invites
run: leadvault purpose list | awk '$1 == "webinar_invites" {print $3}'
stdout-is: retired
run: leadvault --json purpose list | lvtool pluck purposes name,retired | grep '^webinar_invites '
stdout-match: ^webinar_invites [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$

# New reveals are denied, by get and find, for every role that had it.
run: lv_as bob lead get $ID --purpose webinar_invites
exit: 5
stderr-has: denied: purpose webinar_invites is retired
stdout-empty
run: leadvault lead get $ID --purpose webinar_invites --fields email
exit: 5
stderr-has: denied: purpose webinar_invites is retired
stdout-empty
run: lv_as bob lead find --email ann@example.com --purpose webinar_invites
exit: 5
stderr-has: denied: purpose webinar_invites is retired
stdout-empty

# New grants are denied, on a lead with history and on one without.
run: lv_as bob consent grant $ID webinar_invites --evidence 'yet another sign-up'
exit: 5
stderr-has: denied: purpose webinar_invites is retired
run: leadvault consent grant $BEN webinar_invites --evidence 'sign-up'
exit: 5
stderr-has: denied: purpose webinar_invites is retired
run: lv_as cora consent grant $BEN webinar_invites --evidence 'sign-up'
exit: 5

# The history stays readable, evidence and reasons included.
run: lv_as cora --json consent show $ID > h.json && lvtool pluck history purpose,state,by,notice_version h.json | paste -sd '|'
stdout-is: webinar_invites granted bob w1|webinar_invites withdrawn bob null|webinar_invites granted bob null
run: lvtool field-is h.json history.0.evidence 'webinar sign-up 2026-04' && lvtool field-is h.json history.1.reason 'too many mails' && lvtool field-is h.json history.2.evidence 'opted in again at the fair'
run: leadvault consent show $ID
stdout-has: webinar_invites      granted   by bob  notice w1
stdout-has: evidence: opted in again at the fair
run: leadvault --json consent show $BEN
stdout-is: {"lead":"$BEN","history":[]}
# A person can still withdraw consent given for a retired purpose.
run: lv_as bob consent withdraw $ID webinar_invites --reason 'after retirement'
run: lv_as cora --json consent show $ID | lvtool pluck history state | paste -sd ' '
stdout-is: granted withdrawn granted withdrawn
# The subject access export carries the history too.
run: lv_as cora subject export $ID --request SAR-1 --out sar.json && grep -c webinar_invites sar.json
stdout-match: ^[1-9][0-9]*$

# A retired purpose stays retired: no second retirement, and its name is
# never reused.
run: leadvault purpose retire webinar_invites
exit: 2
stderr-has: already retired
run: leadvault purpose add webinar_invites --basis consent --fields first_name --roles sales
exit: 1
stderr-has: already exists

# Other purposes are unaffected; the vault checks out.
run: lv_as bob --json lead get $ID --purpose sales_followup --fields email | lvtool json fields.email
stdout-is: ann@example.com
run: leadvault check
stdout-has: ok: 2 leads
run: lv_as cora --json audit show --action consent.grant | lvtool pluck entries actor,purpose,outcome | paste -sd '|'
stdout-is: bob webinar_invites ok|bob webinar_invites ok|bob webinar_invites denied|alice webinar_invites denied|cora webinar_invites denied
