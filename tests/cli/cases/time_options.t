desc: every time option takes the same forms (dates, zoned date-times, now, 24h, 7d, 1d) and refuses anything else with exit 2 and a message naming the accepted forms
# Issue 18, acceptance 3 (accepting 1d, consistently with 7d: one day ago).
# Each refusal loop prints the exit statuses and counts the lines that name
# the forms, so a command that accepted one bad value, or refused it with
# another message, fails the case.
setup: vault
setup: user carol compliance
run: leadvault lead add --first-name Ann
save: A

# ---- refused everywhere: 1x, yesterday, 2026-13-45, empty, and more ----
run: for t in 1x yesterday 2026-13-45 '' 7m 2026-12-01T10:00:00 -7d; do leadvault lead add --first-name X --last-contact "$t" 2>>err; echo $?; done | paste -sd ' '
stdout-is: 2 2 2 2 2 2 2
run: grep -c '^leadvault lead add: --last-contact: expected a date (2026-12-01), a date and time with its zone (2026-12-01T10:00:00Z, 2026-12-01T10:00:00.250+02:00), now, or an age in hours, days or weeks before now (24h, 7d, 2w; +7d is 7 days after now)$' err
stdout-is: 7
run: rm -f err; for t in 1x yesterday 2026-13-45 '' 7m; do leadvault lead update $A --last-contact "$t" 2>>err; echo $?; done | paste -sd ' '
stdout-is: 2 2 2 2 2
run: grep -c 'lead update: --last-contact: expected a date (2026-12-01), .*now, or an age' err
stdout-is: 5
run: rm -f err; for t in 1x yesterday 2026-13-45 '' 7m; do leadvault consent grant $A email_marketing --evidence form --expires "$t" 2>>err; echo $?; done | paste -sd ' '
stdout-is: 2 2 2 2 2
run: grep -c 'consent grant: --expires: expected a date (2026-12-01), .*now, or an age' err
stdout-is: 5
run: rm -f err; for t in 1x yesterday 2026-13-45 '' 7m; do leadvault retention plan --as-of "$t" 2>>err; echo $?; done | paste -sd ' '
stdout-is: 2 2 2 2 2
run: grep -c 'retention plan: --as-of: expected a date (2026-12-01), .*now, or an age' err
stdout-is: 5
run: rm -f err; for o in since until; do for t in 1x yesterday 2026-13-45 '' 7m; do lv_as carol audit show --$o "$t" 2>>err; echo $?; done; done | paste -sd ' '
stdout-is: 2 2 2 2 2 2 2 2 2 2
run: grep -c 'audit show: --\(since\|until\): expected a date (2026-12-01), .*now, or an age' err
stdout-is: 10
run: rm -f err; for o in since until; do for t in 1x yesterday 2026-13-45 '' 7m; do lv_as carol audit export --$o "$t" --out x.jsonl 2>>err; echo $?; done; done | paste -sd ' '
stdout-is: 2 2 2 2 2 2 2 2 2 2
run: grep -c 'audit export: --\(since\|until\): expected a date (2026-12-01), .*now, or an age' err && test ! -e x.jsonl
stdout-is: 10
# Nothing was stored by the refusals.
run: lv_count
stdout-is: 1

# ---- accepted everywhere: 7d, 24h, 1d, now, a date, a zoned date-time ----
run: for t in 7d 24h 1d now 2026-12-01 2026-12-01T10:00:00Z 2026-12-01T12:00:00.250+02:00 '2026-12-01 10:00'; do leadvault lead update $A --last-contact "$t" > /dev/null; echo $?; done | paste -sd ' '
stdout-is: 0 0 0 0 0 0 0 0
run: for t in 7d 24h 1d now 2026-12-01 2026-12-01T10:00:00Z; do leadvault lead add --first-name Y --last-contact "$t" > /dev/null; echo $?; done | paste -sd ' '
stdout-is: 0 0 0 0 0 0
run: for t in 7d 24h 1d now 2026-12-01 2026-12-01T10:00:00Z; do leadvault retention plan --as-of "$t" > /dev/null; echo $?; done | paste -sd ' '
stdout-is: 0 0 0 0 0 0
run: for o in since until; do for t in 7d 24h 1d now 2026-12-01 2026-12-01T10:00:00Z; do lv_as carol audit show --$o "$t" > /dev/null; echo $?; done; done | paste -sd ' '
stdout-is: 0 0 0 0 0 0 0 0 0 0 0 0
run: for o in since until; do for t in 7d 24h 1d now 2026-12-01 2026-12-01T10:00:00Z; do lv_as carol audit export --$o "$t" > /dev/null; echo $?; done; done | paste -sd ' '
stdout-is: 0 0 0 0 0 0 0 0 0 0 0 0
# An expiry is parsed the same way, but must lie ahead: +30d and a future
# date are taken; 7d (a week ago) is refused by the consent rule, not as
# a malformed time.
run: leadvault consent grant $A email_marketing --evidence form --expires +30d && leadvault consent grant $A phone_outreach --evidence form --expires 2099-12-01T10:00:00+02:00 && leadvault --json consent show $A | lvtool pluck history purpose,expires
stdout-match: ^email_marketing 20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z$
stdout-has: phone_outreach 2099-12-01T08:00:00.000Z
run: leadvault consent grant $A profiling --evidence form --expires 7d
exit: 2
stderr-has: expires: must be in the future (+30d is 30 days from now; 30d was 30 days ago)
stderr-lacks: expected a date

# ---- the values: offsets and fractions land on the right instant ----
run: leadvault lead update $A --last-contact 2026-12-01T12:00:00.250+02:00 > /dev/null && leadvault --json lead list | lvtool pluck leads id,last_contact | grep $A
stdout-is: $A 2026-12-01T10:00:00.250Z
run: leadvault lead update $A --last-contact 2026-11-30T20:30:00-04:00 > /dev/null && leadvault --json lead list | lvtool pluck leads id,last_contact | grep $A
stdout-is: $A 2026-12-01T00:30:00.000Z
run: leadvault lead update $A --last-contact 2028-02-29 > /dev/null && leadvault --json lead list | lvtool pluck leads id,last_contact | grep $A
stdout-is: $A 2028-02-29T00:00:00.000Z
# now and 1d are read from the clock: now lies between two readings of it.
run: date -u +%s > t0 && leadvault lead update $A --last-contact now > /dev/null && date -u +%s > t1 && leadvault --json lead list | lvtool pluck leads id,last_contact | grep $A | cut -d' ' -f2 > lc && test "$(date -u -d "$(cat lc)" +%s)" -ge "$(cat t0)" && test "$(date -u -d "$(cat lc)" +%s)" -le "$(cat t1)"
run: leadvault lead update $A --last-contact 1d > /dev/null && leadvault --json lead list | lvtool pluck leads id,last_contact | grep $A | cut -d' ' -f2 > lc && d=$(( $(date -u +%s) - $(date -u -d "$(cat lc)" +%s) )) && test $d -ge 86400 && test $d -le 86460
