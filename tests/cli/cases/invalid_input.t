desc: invalid UTF-8, oversize fields, bad email, unknown stage or source, bad country: exit 2 naming the field, nothing stored
# Acceptance 9 (the CLI half; NUL bytes are tested through the API in
# unit.vault, since they cannot pass argv).
setup: vault
run: leadvault lead add --first-name Existing --email existing@example.com
save: ID
run: lv_count
stdout-is: 1
run: lv_dump > before.dump

# Invalid UTF-8: a lone 0xFF, a truncated sequence, an overlong encoding, a surrogate.
run: leadvault lead add --first-name $'Qzbad7Kanarie\xff'
exit: 2
stderr-has: first_name: not valid UTF-8
stderr-lacks: Qzbad7Kanarie
stdout-empty
run: leadvault lead add --first-name Ok --notes $'Qzbad7Kanarie \xe0\xa4'
exit: 2
stderr-has: notes: not valid UTF-8
run: leadvault lead add --last-name $'\xc0\xafQzbad7Kanarie'
exit: 2
stderr-has: last_name: not valid UTF-8
run: leadvault lead add --first-name Ok --company $'\xed\xa0\x80Qzbad7Kanarie'
exit: 2
stderr-has: company: not valid UTF-8
run: leadvault lead add --email $'qzbad7kanarie\xff@example.com'
exit: 2
stderr-has: email: not valid UTF-8
run: leadvault lead add --first-name Ok --address $'Main St\xfe'
exit: 2
stderr-has: address: not valid UTF-8
run: leadvault lead add --first-name Ok --title $'\x80'
exit: 2
stderr-has: title: not valid UTF-8
run: leadvault lead add --first-name Ok --website $'https://example.com/\xff'
exit: 2
stderr-has: website: not valid UTF-8
run: leadvault lead add --phone $'+1 212 555 0123\xff'
exit: 2
stderr-has: phone:
# Control characters other than TAB/LF/CR in free text.
run: leadvault lead add --first-name $'Qzbad7Kanarie\x07'
exit: 2
stderr-has: first_name: contains a control character
run: leadvault lead update $ID --first-name $'\xff'
exit: 2
stderr-has: first_name: not valid UTF-8

# Oversize: a name of 1025 bytes, a note of 65537 bytes (the limits are
# 1024 and 65536, which are accepted).
run: leadvault lead add --first-name "$(printf 'Q%.0s' $(seq 1025))"
exit: 2
stderr-has: first_name: longer than 1024 bytes
stderr-lacks: QQQQQQQQ
run: leadvault lead add --first-name Ok --last-name "$(printf 'Q%.0s' $(seq 1023))é"
exit: 2
stderr-has: last_name: longer than 1024 bytes
run: leadvault lead add --first-name Ok --notes "$(lvtool gen-text 65537)"
exit: 2
stderr-has: notes: longer than 65536 bytes
run: leadvault lead update $ID --notes "$(lvtool gen-text 65537)"
exit: 2
stderr-has: notes: longer than 65536 bytes
run: leadvault lead add --first-name Ok --email "$(printf 'a%.0s' $(seq 250))@x.io"
exit: 2
stderr-has: email:
run: lv_count
stdout-is: 1
run: lv_dump | diff before.dump -

# Bad email.
run: leadvault lead add --first-name Ok --email qzbad7kanarie.example.com
exit: 2
stderr-has: email: not a valid address
stderr-lacks: qzbad7kanarie
run: leadvault lead add --email 'qz@bad7kanarie@example.com'
exit: 2
stderr-has: email: not a valid address
run: leadvault lead add --email 'qzbad7kanarie@localhost'
exit: 2
stderr-has: email: not a valid address
run: leadvault lead update $ID --email 'not an email'
exit: 2
stderr-has: email: not a valid address
# Unknown stage or source, bad country.
run: leadvault lead add --first-name Ok --stage won
exit: 2
stderr-has: stage: unknown stage
# A near miss is named (case is ignored: tests/cli/cases/names_strict.t).
run: leadvault lead update $ID --stage Qualifed
exit: 2
stderr-has: stage: unknown stage (did you mean qualified?); expected one of new, contacted, qualified, unqualified, nurturing, converted, lost
run: leadvault lead add --first-name Ok --source carrier_pigeon
exit: 2
stderr-has: source: unknown channel
run: leadvault lead add --first-name Ok --country XX
exit: 2
stderr-has: country
run: leadvault lead add --first-name Ok --country USA
exit: 2
stderr-has: country
run: leadvault lead add --first-name Ok --country 1
exit: 2
stderr-has: country
run: leadvault lead update $ID --country ZZ
exit: 2
stderr-has: country
# Plain metadata must be clean text too.
run: leadvault lead add --first-name Ok --source-detail $'expo \xff'
exit: 2
stderr-has: source_detail: not valid UTF-8
run: leadvault lead add --first-name Ok --owner 'two words'
exit: 2
stderr-has: owner:
# Bad signal and date values are usage errors too.
run: leadvault lead add --first-name Ok --verified maybe
exit: 2
stderr-has: --verified
# A lead with no identifying field.
run: leadvault lead add --company 'Only a company'
exit: 2
stderr-has: at least one of first_name, last_name, email, phone

# Nothing was stored or changed by any of the refusals.
run: lv_count
stdout-is: 1
run: lv_dump | diff before.dump -
run: leadvault lead get $ID --purpose qa_all --fields first_name,email
stdout-has: first_name: Existing
stdout-has: email: existing@example.com
# The limits themselves are accepted.
run: leadvault lead add --first-name "$(printf 'Q%.0s' $(seq 1024))" --notes "$(lvtool gen-text 65536)"
run: lv_count
stdout-is: 2
