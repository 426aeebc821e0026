desc: lead find --email ignores case and surrounding white space and never returns a wrong lead
# Acceptance 8.
setup: vault
run: leadvault lead add --first-name Target --email Ann.Lee@Example.com
save: T
run: leadvault lead add --first-name NearTld --email ann.lee@example.co
save: N1
run: leadvault lead add --first-name NearSub --email ann.lee@example.com.au
run: leadvault lead add --first-name NearDot --email annlee@example.com
run: leadvault lead add --first-name NearPlus --email ann.lee+x@example.com
run: leadvault lead add --first-name NearShort --email nn.lee@example.com
run: leadvault lead add --first-name NearHost --email ann.lee@mail.example.com
run: leadvault lead add --first-name NearLocal --email ann.leee@example.com
run: leadvault lead add --first-name NoEmail --phone '+12125550123'
run: leadvault lead add --first-name Umlaut --email '  Ärger.Öl@Exämple.DE	'
save: U

# Exactly the target, whatever the case and the white space around it.
run: leadvault --json lead find --email Ann.Lee@Example.com --purpose qa_all > f1.json
run: lvtool json leads.length f1.json
stdout-is: 1
run: lvtool json leads.0.id f1.json
stdout-is: $T
run: lvtool json leads.0.fields.first_name f1.json
stdout-is: Target
run: leadvault --json lead find --email '   ANN.LEE@EXAMPLE.COM	 ' --purpose qa_all | lvtool json leads
stdout-has: "id": "$T"
stdout-lacks: Near
run: leadvault --json lead find --email $'\n ann.lee@example.com \n' --purpose qa_all | lvtool json leads.length
stdout-is: 1
run: leadvault --json lead find --email 'aNN.lEE@eXAMPLE.cOM' --purpose qa_all | lvtool json leads.0.id
stdout-is: $T
run: leadvault lead find --email ' ann.lee@example.com ' --purpose qa_all
stdout-has: id: $T
stdout-has: first_name: Target
stdout-lacks: Near
stdout-lacks: NoEmail
# The near misses are each found as themselves only.
run: leadvault --json lead find --email ANN.LEE@EXAMPLE.CO --purpose qa_all | lvtool json leads
stdout-has: "id": "$N1"
stdout-lacks: $T
stdout-lacks: NearSub
run: leadvault --json lead find --email ann.lee+x@example.com --purpose qa_all | lvtool json leads.length
stdout-is: 1

# Unicode: case-folded and NFC, stored with its case and trimmed.
run: leadvault --json lead find --email 'ärger.öl@exämple.de' --purpose qa_all > u.json
run: lvtool json leads.0.id u.json
stdout-is: $U
run: lvtool field-is u.json leads.0.fields.email 'Ärger.Öl@Exämple.DE'
run: leadvault --json lead find --email "$(lvtool nfd 'ÄRGER.ÖL@EXÄMPLE.DE')" --purpose qa_all | lvtool json leads.0.id
stdout-is: $U

# No match: exit 4 and nothing on stdout.
run: leadvault lead find --email nobody@example.com --purpose qa_all
exit: 4
stdout-empty
stderr-has: no matching lead
run: leadvault lead find --email ann.lee@example.org --purpose qa_all
exit: 4
stdout-empty
run: leadvault lead find --email 'ann lee@example.com' --purpose qa_all
exit: 2
stdout-empty
run: leadvault --json lead find --email nobody@example.com --purpose qa_all
exit: 4
stdout-is: {"leads":[]}

# After an update the old address finds nothing and the new one the lead.
run: leadvault lead update $T --email Ann.Lee@NewCorp.example
run: leadvault lead find --email ann.lee@example.com --purpose qa_all
exit: 4
stdout-empty
run: leadvault --json lead find --email ANN.LEE@NEWCORP.EXAMPLE --purpose qa_all | lvtool json leads.0.id
stdout-is: $T
# A cleared email is no longer found.
run: leadvault lead update $T --email ''
run: leadvault lead find --email ann.lee@newcorp.example --purpose qa_all
exit: 4
stdout-empty
# Two leads with one address: both, and only them.
run: leadvault lead add --first-name Twin --email ANN.LEE@example.co
save: N2
run: leadvault --json lead find --email ann.lee@example.co --purpose qa_all | lvtool json leads
stdout-has: $N1
stdout-has: $N2
run: leadvault --json lead find --email ann.lee@example.co --purpose qa_all | lvtool json leads.length
stdout-is: 2

# A secondary email (email2) is searched like the primary, and the two
# index entries of one lead live and die separately.
run: leadvault lead add --first-name Second --email primary@two.example --email2 Backup@Two.example
save: S
run: leadvault --json lead find --email BACKUP@two.example --purpose qa_all | lvtool json leads
stdout-has: "id": "$S"
stdout-lacks: Target
run: leadvault lead update $S --email changed@two.example
run: leadvault --json lead find --email backup@two.example --purpose qa_all | lvtool json leads.0.id
stdout-is: $S
run: leadvault lead find --email primary@two.example --purpose qa_all
exit: 4
stdout-empty
run: leadvault lead update $S --email2 ''
run: leadvault lead find --email backup@two.example --purpose qa_all
exit: 4
stdout-empty
run: leadvault --json lead find --email changed@two.example --purpose qa_all | lvtool json leads.0.id
stdout-is: $S
