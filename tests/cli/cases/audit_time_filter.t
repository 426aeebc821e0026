desc: audit show/export --since/--until compare times, not text: right answers on both sides of midnight, with dates, zoned times, offsets and ages; a date alone as --until is the whole day
# Issue 18, acceptance 3 (day boundary). Under faketime: Ann is added at
# 23:59:30 on 1 March 2033, Ben 60 seconds later, at 00:00:30 on 2 March;
# the questions are asked at noon on 2 March. Before this change, --since
# 1d returned the whole log and an offset time (text "...+01:00") nothing.
setup: vault
setup: user carol compliance
run: printf UTC
save: TZ
run: test -x "$_lv_bin" && printf '#!/bin/sh\nexport ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"\nexec "%s" "$@"\n' "$_lv_bin" > leadvault && chmod +x leadvault
run: faketime '2033-03-01 23:59:30' ./leadvault lead add --first-name Ann
save: A
run: faketime '2033-03-02 00:00:30' ./leadvault lead add --first-name Ben
save: B
run: faketime '2033-03-02 12:00:00' ./leadvault --user carol --passphrase-file carol.pass --json audit show --action lead.add | lvtool pluck entries time,lead_ids | paste -sd '|'
stdout-match: ^2033-03-01T23:59:3[0-9]\.[0-9]{3}Z \$?[0-9a-f]{32}\|2033-03-02T00:00:3[0-9]\.[0-9]{3}Z [0-9a-f]{32}$

# q ARGS: the lead ids of the lead.add entries audit show returns at noon.
run: printf 'q() { faketime "2033-03-02 12:00:00" ./leadvault --user carol --passphrase-file carol.pass --json audit show --action lead.add "$@" | lvtool pluck entries lead_ids | tr "\\n" " " | sed "s/ $//"; }\n' > q.sh

# Dates: --since a date is its midnight; --until a date is the end of it.
run: . ./q.sh && q --since 2033-03-02
stdout-is: $B
run: . ./q.sh && q --until 2033-03-01
stdout-is: $A
run: . ./q.sh && q --since 2033-03-01 --until 2033-03-01
stdout-is: $A
run: . ./q.sh && q --since 2033-03-02 --until 2033-03-02
stdout-is: $B
run: . ./q.sh && q --since 2033-03-01 --until 2033-03-02
stdout-is: $A $B
run: . ./q.sh && q --until 2033-02-28
stdout-empty
run: . ./q.sh && q --since 2033-03-03
stdout-empty
# Exact instants, inclusive, in UTC or with an offset.
run: . ./q.sh && q --until 2033-03-02T00:00:00Z
stdout-is: $A
run: . ./q.sh && q --since 2033-03-02T00:00:00.000Z
stdout-is: $B
run: . ./q.sh && q --since 2033-03-02T01:00:00+01:00
stdout-is: $B
run: . ./q.sh && q --until 2033-03-01T19:00:00-05:00
stdout-is: $A
run: . ./q.sh && q --since 2033-03-01T23:59:00Z --until '2033-03-02 00:01'
stdout-is: $A $B
# Ages count back from the clock (noon on 2 March).
run: . ./q.sh && q --since 12h
stdout-is: $B
run: . ./q.sh && q --since 13h
stdout-is: $A $B
run: . ./q.sh && q --since 1d
stdout-is: $A $B
run: . ./q.sh && q --since 24h --until 12h
stdout-is: $A
run: . ./q.sh && q --since 1w --until now
stdout-is: $A $B
run: . ./q.sh && q --since now
stdout-empty
# A window that cannot hold anything is a usage error, not an empty answer.
run: faketime '2033-03-02 12:00:00' ./leadvault --user carol --passphrase-file carol.pass audit show --since 2033-03-02 --until 2033-03-01
exit: 2
stderr-has: --since is after --until

# audit export filters the same way (CSV rows, one per entry and lead).
run: faketime '2033-03-02 12:00:00' ./leadvault --user carol --passphrase-file carol.pass audit export --format csv --action lead.add --until 2033-03-01 | cut -d, -f6,8 | tr -d '\r' | paste -sd '|'
stdout-is: "action","lead_id"|"lead.add","$A"
run: faketime '2033-03-02 12:00:00' ./leadvault --user carol --passphrase-file carol.pass audit export --action lead.add --since 12h | tail -n +2 | grep -o '"lead_ids":\[[^]]*\]'
stdout-is: "lead_ids":["$B"]
