desc: while a legal hold is set, lead update, import --on-duplicate update and consent grant and withdrawal on that lead are denied (exit 5), audited as denied, and change nothing; once compliance clears the hold they work again
# Issue 14, acceptance 4: the hold keeps the evidence it is set for.
setup: vault
setup: user comp compliance
setup: user aud auditor
run: leadvault purpose add qa_consent --basis consent --fields email --roles admin,sales,compliance
run: leadvault lead add --first-name Ann --email ann@example.com --notes 'original notes'
save: A
run: leadvault lead add --first-name Bob --email bob@example.com
save: B
run: lv_as comp consent grant $A qa_consent --evidence 'web form'
run: lv_as comp hold set $A --reason 'case 7'
run: lv_as aud --json audit show | lvtool audit-expect m --any
run: lv_dump > before.txt

run: leadvault lead update $A --notes 'rewritten'
exit: 5
stderr-has: denied: lead $A is under legal hold
run: leadvault lead update $A --email ''
exit: 5
run: lv_as comp consent withdraw $A qa_consent
exit: 5
stderr-has: denied: lead $A is under legal hold
run: lv_as comp consent grant $A qa_consent --evidence 'second form'
exit: 5
# consent import rejects the held lead's row (audited as denied) and records Bob's.
run: printf '%s\n' 'email,purpose,action,evidence' 'ann@example.com,qa_consent,withdraw,' 'bob@example.com,qa_consent,grant,paper form' > consents.csv && lv_as comp consent import consents.csv
stderr-has: line 2: rejected: denied: lead $A is under legal hold
stdout-is: 2 rows: 1 granted, 0 withdrawn, 1 rejected
run: lv_as comp consent show $B
stdout-has: qa_consent
# The import updates Bob, not Ann, and says so.
run: printf 'first_name,email,notes\nAnnie,ann@example.com,imported notes\nBobby,bob@example.com,bob notes\n' > dup.csv
run: leadvault import dup.csv --on-duplicate update
exit: 5
stderr-has: line 2: rejected: denied: lead $A is under legal hold
stderr-has: denied: 1 row(s) matched leads under legal hold and were not updated; the other rows were imported
run: leadvault lead get $B --purpose qa_all --fields notes
stdout-has: notes: bob notes
# Every row naming Ann's lead (lead, index, consent records, hold) is as it
# was; Bob's changed.
run: lv_dump > after.txt && grep -ic "$A" before.txt
stdout-match: ^[3-9]$
run: diff <(grep -i "$A" before.txt) <(grep -i "$A" after.txt)
run: diff <(grep -i "$B" before.txt) <(grep -i "$B" after.txt)
exit: 1
run: leadvault lead get $A --purpose qa_all --fields notes
stdout-has: notes: original notes
run: lv_as aud --json audit show | lvtool audit-expect m "lead.update actor=alice outcome=denied leads=$A" "lead.update actor=alice outcome=denied leads=$A" "consent.withdraw actor=comp outcome=denied purpose=qa_consent leads=$A" "consent.grant actor=comp outcome=denied purpose=qa_consent leads=$A" "consent.withdraw actor=comp outcome=denied purpose=qa_consent leads=$A" "consent.grant actor=comp purpose=qa_consent leads=$B" "consent.show actor=comp leads=$B" "lead.update actor=alice outcome=denied leads=$A" "lead.import actor=alice fields=* leads=$B" "lead.import actor=alice outcome=denied" "lead.get purpose=qa_all fields=notes leads=$B" "lead.get purpose=qa_all fields=notes leads=$A"
run: leadvault check
stdout-has: ok: 2 leads

# Erasure is refused as before.
run: lv_as comp erase $A --request REQ-1
exit: 5

# Cleared by compliance: each works again.
run: lv_as comp hold clear $A
run: leadvault lead update $A --notes 'rewritten'
run: lv_as comp consent withdraw $A qa_consent
run: leadvault import dup.csv --on-duplicate update
stdout-has: 2 updated
run: leadvault lead get $A --purpose qa_all --fields notes
stdout-has: notes: imported notes
run: leadvault check
stdout-has: ok: 2 leads
