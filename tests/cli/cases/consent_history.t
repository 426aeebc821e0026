desc: consent show --json returns a lead's whole consent history across purposes, in the order recorded, with state, actor, notice version, expiry, evidence and reason exactly as given
setup: vault
setup: user bob sales
setup: user cora compliance
setup: user aud auditor
run: leadvault lead add --first-name Ann --email ann@example.com --phone '+49 30 1234567' --address 'Hauptstr. 1'
save: ID
run: leadvault lead add --first-name Other --email other@example.com
save: OTHER

# A new lead has no history.
run: leadvault --json consent show $ID
stdout-is: {"lead":"$ID","history":[]}
run: leadvault consent show $ID
stdout-is: no consent records for lead $ID

# Seven records over two purposes, by three users.
run: leadvault consent grant $ID email_marketing --evidence 'Web form /newsletter, IP 198.51.100.7, 2026-03-01' --notice-version 2026-02
run: lv_as bob consent grant $ID direct_mail --evidence 'Signed paper form «P-17», scanned' --notice-version v1
run: lv_as bob consent withdraw $ID email_marketing --reason 'Unsubscribe link in mail #42'
run: lv_as cora consent grant $ID email_marketing --evidence 'Phone call, recorded: ref C-9' --notice-version 2026-05 --expires 2099-12-31
run: lv_as cora consent withdraw $ID direct_mail
run: leadvault consent grant $ID direct_mail --evidence 'Trade fair, badge scan'
run: lv_as bob consent withdraw $ID email_marketing --reason 'Asked by phone; Ärger über Häufigkeit'
# Another lead's record must not show up.
run: leadvault consent grant $OTHER email_marketing --evidence 'other lead'

run: lv_as cora --json consent show $ID > h.json && { lvtool json lead h.json; echo; lvtool json history.length h.json; echo; } | paste -sd ' '
stdout-is: $ID 7
run: lvtool pluck history purpose,state,by,notice_version,expires h.json | paste -sd '|'
stdout-is: email_marketing granted alice 2026-02 null|direct_mail granted bob v1 null|email_marketing withdrawn bob null null|email_marketing granted cora 2026-05 2099-12-31T00:00:00.000Z|direct_mail withdrawn cora null null|direct_mail granted alice null null|email_marketing withdrawn bob null null
# Evidence on grants only, reasons on withdrawals only, byte for byte.
run: lvtool field-is h.json history.0.evidence 'Web form /newsletter, IP 198.51.100.7, 2026-03-01'
run: lvtool field-is h.json history.1.evidence 'Signed paper form «P-17», scanned'
run: lvtool field-is h.json history.2.reason 'Unsubscribe link in mail #42'
run: lvtool field-is h.json history.3.evidence 'Phone call, recorded: ref C-9'
run: lvtool field-is h.json history.5.evidence 'Trade fair, badge scan'
run: lvtool field-is h.json history.6.reason 'Asked by phone; Ärger über Häufigkeit'
run: for i in 0 1 3 5; do lvtool json history.$i.reason h.json; echo; done | paste -sd ' '
stdout-is: null null null null
run: for i in 2 4 6; do lvtool json history.$i.evidence h.json; echo; done | paste -sd ' '
stdout-is: null null null
run: lvtool json history.4.reason h.json
stdout-is: null
# Times are RFC 3339 and in the order recorded.
run: lvtool pluck history time h.json > times && grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' times && sort -c times
stdout-is: 7
# Every record has the same keys.
run: for i in 0 1 2 3 4 5 6; do lvtool keys history.$i h.json; done | sort -u
stdout-is: purpose,state,time,by,expires,notice_version,evidence,reason

# The text form says the same, oldest first.
run: leadvault consent show $ID | grep -E '^[0-9]{4}-' | awk '{print $2, $3, $5}' | paste -sd '|'
stdout-is: email_marketing granted alice|direct_mail granted bob|email_marketing withdrawn bob|email_marketing granted cora|direct_mail withdrawn cora|direct_mail granted alice|email_marketing withdrawn bob

# The resulting state: email_marketing withdrawn, direct_mail granted.
run: lv_as bob lead get $ID --purpose email_marketing
exit: 5
run: lv_as bob --json lead get $ID --purpose direct_mail | lvtool keys fields
stdout-is: first_name,address

# Who may read the history: admin and compliance; sales and auditors not.
run: lv_as bob consent show $ID
exit: 5
stderr-has: denied: role sales may not read consent records
stdout-empty
run: lv_as aud consent show $ID
exit: 5
stdout-empty
# Reading it is audited.
run: lv_as cora --json audit show --lead $ID --action consent.show | lvtool pluck entries actor,outcome | paste -sd '|'
stdout-is: alice ok|alice ok|cora ok|alice ok|bob denied|aud denied
