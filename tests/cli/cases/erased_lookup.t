desc: a lookup of an erased person (suppress check, subject export, erase again, by email, phone or id) answers "erased on TIME under request REF" from the erasure record, never with personal data; exit codes as before (0 for suppress check, 4 for the others)
setup: vault
setup: user carol compliance
setup: user bob sales
run: leadvault lead add --first-name Zelda --last-name Quist --email zelda.quist@example.com --phone '+44 20 7946 0123'
save: Z
run: lv_as carol erase --email Zelda.Quist@example.com --request DSR-77 --ground 'GDPR Art. 17(1)(b)'
stdout-is: erased 1 lead; added to the suppression list
run: lv_as carol --json audit show --action lead.erase | lvtool json entries.0.time
save: T

# The erasure record's time is the one reported (suppression entry and
# tombstone carry the same time).
run: sqlite3 vault.lv "SELECT count(*) FROM erasure e JOIN suppression s ON s.time = e.time"
stdout-is: 2
run: lv_as bob suppress check --email zelda.quist@example.com
stdout-match: ^suppressed: erased on 20[0-9-]+T[0-9:.]+Z under request DSR-77$
run: lv_as carol --json suppress check --phone '+442079460123' > s.json && lvtool json request s.json && lvtool json ground s.json
stdout-is: DSR-77GDPR Art. 17(1)(b)
# The erasure time is within a second of the audit entry's.
run: lvtool json erased s.json | cut -c1-19
save: E
run: test "$E" = "$(printf %s "$T" | cut -c1-19)" || test "$(date -ud "$E" +%s)" -le "$(( $(date -ud "$(printf %s "$T" | cut -c1-19)" +%s) + 1 ))"

# A repeat request: exit 4 as before, with the date and request, no PII.
run: lv_as carol erase --email zelda.quist@example.com --request DSR-78
exit: 4
stderr-match: ^leadvault erase: no lead with that email: erased on [-0-9T:.]+Z under request DSR-77$
stderr-lacks: zelda
stdout-empty
run: lv_as carol erase --phone '+44 20 7946 0123' --request DSR-78
exit: 4
stderr-match: no lead with that phone: erased on [-0-9T:.]+Z under request DSR-77$
run: lv_as carol erase $Z --request DSR-78
exit: 4
stderr-match: ^leadvault erase: no such lead: erased on [-0-9T:.]+Z under request DSR-77$
# Any command given the id of an erased lead says so.
run: leadvault lead get $Z --purpose qa_all
exit: 4
stderr-match: ^leadvault lead get: no such lead: erased on [-0-9T:.]+Z under request DSR-77$
run: leadvault consent grant $Z email_marketing --evidence 'web form'
exit: 4
stderr-has: erased on
run: leadvault lead get 0123456789abcdef0123456789abcdef --purpose qa_all
exit: 4
stderr-is: leadvault lead get: no such lead
run: lv_as carol subject export --email ZELDA.QUIST@example.com --request SAR-5 --out z.json
exit: 4
stderr-match: ^leadvault subject export: no lead with that email: erased on [-0-9T:.]+Z under request DSR-77$
run: test ! -e z.json
run: lv_as carol subject export $Z --request SAR-5 --out z.json
exit: 4
stderr-has: erased on
stderr-has: under request DSR-77

# Never erased: the plain answers.
run: lv_as carol erase --email never@example.com --request DSR-79
exit: 4
stderr-is: leadvault erase: no lead with that email
run: leadvault suppress check --email never@example.com
stdout-is: not suppressed
# Erased with --no-suppress: no suppression entry, so email lookups know
# nothing; the id still finds the tombstone.
run: leadvault lead add --first-name Yann --email yann@example.com
save: Y
run: lv_as carol erase $Y --request DSR-80 --no-suppress
run: lv_as carol subject export --email yann@example.com --request SAR-6 --out y.json
exit: 4
stderr-is: leadvault subject export: no lead with that email
run: lv_as carol subject export $Y --request SAR-6 --out y.json
exit: 4
stderr-has: under request DSR-80
# Taken off the list: no longer suppressed.
run: leadvault suppress remove --email zelda.quist@example.com
run: leadvault suppress check --email zelda.quist@example.com
stdout-is: not suppressed
