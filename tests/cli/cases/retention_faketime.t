desc: retention rules under faketime: the plan lists exactly the due leads with the first rule that makes each due; the run erases them, skips the held one, signs a receipt and audits each erasure with its rule
# Erasure acceptance 4. Every command after the vault's creation runs under
# faketime in 2033 (no leap day before 2036, so day counts are plain).
# Leads are created on 2033-01-01 09:00 UTC; ages count from there.
setup: vault
setup: user bob sales
run: printf UTC
save: TZ
# faketime runs a file, not the runner's shell function: a small script
# that runs the binary under test (ASan wants to be the first library; with
# faketime preloaded it is not, which it need not refuse).
run: test -x "$_lv_bin" && printf '#!/bin/sh\nexport ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"\nexec "%s" "$@"\n' "$_lv_bin" > leadvault && chmod +x leadvault
run: faketime '2033-01-01 08:00:00' ./leadvault user add carol --role compliance --new-passphrase-file alice.pass "${LV_KDF[@]}"
run: cp alice.pass carol.pass && faketime '2033-01-01 08:30:00' ./leadvault --user carol --passphrase-file carol.pass --json lead list | lvtool json count
stdout-is: 0
# the clock really is in 2033 for the vault
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Probe --stage lost > probe.id && leadvault --json lead list | lvtool pluck leads created
stdout-match: ^2033-01-01T09:00:0[0-9]\.[0-9]{3}Z$
run: faketime '2033-01-01 09:00:00' ./leadvault erase "$(cat probe.id)" --request PROBE --no-suppress
stdout-is: erased 1 lead

# The leads, all created on 2033-01-01 at 09:00.
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Alan --stage lost --source trade_show
save: A
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Bea --email bea@example.com --stage lost --source webinar
save: B
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Cem --stage new --source website_form
save: C
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Dana --email dana@example.com --stage new
save: D
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Emil --stage contacted
save: E
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Fay --email fay@example.com --stage qualified
save: F
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Gus --email gus@example.com --stage nurturing
save: G
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Hal --stage lost
save: H
run: faketime '2033-01-01 09:00:00' ./leadvault lead add --first-name Tia --email tia@example.com --stage converted --source trade_show
save: T
run: faketime '2033-01-01 09:01:00' ./leadvault consent grant $B email_marketing --evidence 'form B'
run: faketime '2033-01-01 09:01:00' ./leadvault consent grant $D email_marketing --evidence 'form D'
run: faketime '2033-01-01 09:01:00' ./leadvault consent grant $F email_marketing --evidence 'form F'
run: faketime '2033-01-01 09:01:00' ./leadvault consent grant $G email_marketing --evidence 'form G' --expires 2033-03-01
run: faketime '2033-01-01 09:01:00' ./leadvault consent grant $T email_marketing --evidence 'form T'
run: faketime '2033-01-02 10:00:00' ./leadvault consent withdraw $F email_marketing --reason 'asked to stop'
# Emil was last contacted on 2033-03-01 (00:00 UTC).
run: faketime '2033-03-02 10:00:00' ./leadvault lead update $E --last-contact 2033-03-01
run: faketime '2033-01-02 11:00:00' ./leadvault --user carol --passphrase-file carol.pass hold set $H --reason 'case LIT-4711'
stdout-is: lead $H is under legal hold

# The rules (a lead's rule is the first by name that makes it due).
run: faketime '2033-01-02 12:00:00' ./leadvault retention add lost_90d --stage lost --older-than 90d
run: faketime '2033-01-02 12:00:00' ./leadvault --user carol --passphrase-file carol.pass retention add stale_180d --no-consent --inactive 180d
run: faketime '2033-01-02 12:00:00' ./leadvault retention add withdrawn_30d --consent-withdrawn --inactive 30d
run: faketime '2033-01-02 12:00:00' ./leadvault retention add fair_2y --source trade_show --older-than 2y
run: faketime '2033-01-02 12:00:00' ./leadvault --json retention list | lvtool pluck rules name,stage,source,no_consent,consent_withdrawn,older_than,inactive | paste -sd '|'
stdout-is: fair_2y  trade_show false false 730d -|lost_90d lost  false false 90d -|stale_180d   true false - 180d|withdrawn_30d   false true - 30d
run: faketime '2033-01-02 12:00:00' ./leadvault --user bob --passphrase-file bob.pass retention plan
exit: 5
run: faketime '2033-01-02 12:00:00' ./leadvault --user bob --passphrase-file bob.pass retention run
exit: 5

# ---- plans at later dates: exact sets of "lead rule" ----
run: faketime '2033-01-20 12:00:00' ./leadvault --json retention plan
stdout-is: {"due":[],"held":[]}
run: faketime '2033-01-20 12:00:00' ./leadvault retention plan
stdout-is: nothing is due
# Fay withdrew her consent: due 30 days after creation.
run: faketime '2033-01-31 08:59:00' ./leadvault --json retention plan
stdout-is: {"due":[],"held":[]}
run: faketime '2033-02-15 12:00:00' ./leadvault --json retention plan > p1.json && lvtool pluck due lead,rule p1.json | sort > got && printf '%s\n' "$F withdrawn_30d" | sort | diff - got && lvtool json held.length p1.json
stdout-is: 0
# 90 days: the boundary, seconds before and after.
run: faketime '2033-02-15 12:00:00' ./leadvault --json retention plan --as-of 2033-04-01T08:59:55Z > p2.json && lvtool pluck due lead,rule p2.json | sort > got && printf '%s\n' "$F withdrawn_30d" | sort | diff - got && lvtool json held.length p2.json
stdout-is: 0
run: faketime '2033-02-15 12:00:00' ./leadvault --json retention plan --as-of 2033-04-01T09:00:05Z > p3.json && lvtool pluck due lead,rule p3.json | sort > got && printf '%s\n' "$A lost_90d" "$B lost_90d" "$F withdrawn_30d" | sort | diff - got && lvtool pluck held lead,rule p3.json
stdout-is: $H lost_90d
# In July (the clock, no --as-of): 180 days without consent (Gus's consent
# expired on March 1st); Fay is now first due by stale_180d; Emil, last
# contacted on March 1st, is not due yet.
run: faketime '2033-07-15 12:00:00' ./leadvault --json retention plan > p4.json && lvtool pluck due lead,rule p4.json | sort > got && printf '%s\n' "$A lost_90d" "$B lost_90d" "$C stale_180d" "$F stale_180d" "$G stale_180d" | sort | diff - got && lvtool pluck held lead,rule p4.json
stdout-is: $H lost_90d
run: faketime '2033-07-15 12:00:00' ./leadvault --json retention plan --as-of 2033-08-27T23:59:00Z | lvtool pluck due lead
stdout-lacks: $E
run: faketime '2033-07-15 12:00:00' ./leadvault --json retention plan --as-of 2033-08-28T00:01:00Z > p5.json && lvtool pluck due lead,rule p5.json | sort > got && printf '%s\n' "$A lost_90d" "$B lost_90d" "$C stale_180d" "$E stale_180d" "$F stale_180d" "$G stale_180d" | sort | diff - got
# Two years on, the trade-show rule comes first by name for Alan, and Tia
# (consent, converted) is due by it alone; Dana never is.
run: faketime '2033-07-15 12:00:00' ./leadvault --json retention plan --as-of 2035-01-01T09:00:05Z > p6.json && lvtool pluck due lead,rule p6.json | sort > got && printf '%s\n' "$A fair_2y" "$B lost_90d" "$C stale_180d" "$E stale_180d" "$F stale_180d" "$G stale_180d" "$T fair_2y" | sort | diff - got && lvtool pluck held lead,rule p6.json
stdout-is: $H lost_90d
# a plan changes nothing
run: lv_count
stdout-is: 9

# ---- the run, in July ----
run: faketime '2033-07-15 12:00:00' ./leadvault --user carol --passphrase-file carol.pass --json retention run --request RET-2033-07 --receipt run.json > run-out.json && for k in erased skipped_held; do lvtool json $k run-out.json; echo; done | paste -sd ' '
stdout-is: 5 1
run: lvtool pluck leads lead,rule run-out.json | sort > got && printf '%s\n' "$A lost_90d" "$B lost_90d" "$C stale_180d" "$F stale_180d" "$G stale_180d" | sort | diff - got && lvtool pluck held lead run-out.json
stdout-is: $H
run: stat -c %a run.json
stdout-is: 600
run: leadvault audit pubkey --out pub.txt > /dev/null && leadvault receipt verify run.json --pubkey pub.txt
stdout-is: ok: the receipt's signature verifies
run: for k in kind request actor erased.length skipped_held; do lvtool json "$k" run.json; echo; done | paste -sd '|'
stdout-is: retention|RET-2033-07|carol|5|["$H"]
run: lvtool pluck erased lead_id,ground run.json | sort > got && printf '%s\n' "$A retention rule lost_90d" "$B retention rule lost_90d" "$C retention rule stale_180d" "$F retention rule stale_180d" "$G retention rule stale_180d" | sort | diff - got
run: lvtool pluck erased lead_id,suppressed run.json | cut -d' ' -f2 | sort -u
stdout-is: false
# One byte changed: refused.
run: lvtool flip-each run.json flips > /dev/null && leadvault receipt verify flips/000040 --pubkey pub.txt
exit: 6

# The audit log: one lead.erase entry per lead, the rule as its ground.
run: faketime '2033-07-15 12:05:00' ./leadvault --user carol --passphrase-file carol.pass --json audit show --action lead.erase > erase-audit.json
run: lvtool pluck entries lead_ids,subject,request,actor,outcome erase-audit.json | grep -v ' PROBE ' | sort > got && printf '%s\n' "$A retention rule lost_90d RET-2033-07 carol ok" "$B retention rule lost_90d RET-2033-07 carol ok" "$C retention rule stale_180d RET-2033-07 carol ok" "$F retention rule stale_180d RET-2033-07 carol ok" "$G retention rule stale_180d RET-2033-07 carol ok" | sort | diff - got
run: faketime '2033-07-15 12:05:00' ./leadvault --user carol --passphrase-file carol.pass --json audit show --action retention.run | lvtool pluck entries actor,request,outcome | paste -sd '|'
stdout-is: bob retention run denied|carol RET-2033-07 ok

# What is left: Dana, Emil, Hal (held), Tia.
run: leadvault --json lead list | lvtool pluck leads id | sort > got && printf '%s\n' "$D" "$E" "$H" "$T" | sort | diff - got
run: leadvault lead find --email fay@example.com --purpose qa_all
exit: 4
run: leadvault lead get $G --purpose qa_all
exit: 4
run: faketime '2033-07-15 12:10:00' ./leadvault --json retention plan --as-of 2033-09-01 > p7.json && { lvtool pluck due lead,rule p7.json; lvtool pluck held lead,rule p7.json; } | paste -sd '|'
stdout-is: $E stale_180d|$H lost_90d

# A held lead cannot be erased by hand either: exit 5, nothing erased.
run: faketime '2033-07-16 09:00:00' ./leadvault --user carol --passphrase-file carol.pass erase $H --request REQ-HAL
exit: 5
stderr-has: under legal hold
stdout-empty
run: faketime '2033-07-16 09:00:00' ./leadvault erase $H --request REQ-HAL
exit: 5
stderr-has: under legal hold
run: leadvault --json lead get $H --purpose qa_all | lvtool json fields.first_name
stdout-is: Hal
run: faketime '2033-07-16 09:00:00' ./leadvault --json hold list | lvtool pluck holds lead,reason
stdout-is: $H case LIT-4711

# September: Emil is due; Hal still skipped. Once the hold is cleared, Hal
# goes too.
run: faketime '2033-09-01 12:00:00' ./leadvault retention run --request RET-2033-09
stdout-has: $E  stale_180d  erased
stdout-has: held: skipped
stdout-has: erased 1 lead, skipped 1 held
run: faketime '2033-09-02 12:00:00' ./leadvault --user carol --passphrase-file carol.pass hold clear $H
run: faketime '2033-09-02 12:00:00' ./leadvault --json retention plan | lvtool pluck due lead,rule
stdout-is: $H lost_90d
run: faketime '2033-09-02 12:00:00' ./leadvault --json retention run --request RET-2033-09b --receipt run2.json | lvtool pluck leads lead,rule
stdout-is: $H lost_90d
run: leadvault receipt verify run2.json --pubkey pub.txt
run: leadvault --json lead list | lvtool pluck leads id | sort > got && printf '%s\n' "$D" "$T" | sort | diff - got

# The vault and its log are sound.
run: faketime '2033-09-03 12:00:00' ./leadvault check
stdout-has: ok: 2 leads
run: faketime '2033-09-03 12:00:00' ./leadvault audit verify
stdout-has: ok:
