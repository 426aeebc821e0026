desc: a phone stored in national form stays findable, deduplicated and suppressible after the lead's country is set
setup: vault
# No country: the phone is stored as its bare digits.
run: leadvault lead add --first-name Nat --phone '07700 900123'
save: L
run: leadvault lead update $L --country GB
run: leadvault --json lead find --phone '07700900123' --purpose qa_all > f.json
run: lvtool jget f.json leads.length leads.0.id leads.0.fields.phone
stdout-is: 1 $L 07700900123
# An import of the same number is its duplicate.
run: printf 'First Name,Phone\nAgain,07700 900123\n' > p.csv
run: leadvault --json import p.csv > i.json
run: lvtool jget i.json imported duplicates
stdout-is: 0 1
# Erased with suppression: the same number, given again without a
# country, is refused.
run: leadvault erase $L --request REQ-1 --receipt r.json
run: leadvault lead add --first-name Back --phone '07700 900123'
exit: 5
stderr-match: suppression list
