desc: every command that touches leads or users leaves exactly the expected audit entries (action, lead ids, fields, purpose, subject, outcome), denied ones included
# Acceptance (audit) 2, as a table: each row runs one command, then appends
# the entries it must leave to the file want, one SPEC a line. At the end of
# each section the auditor reads the log, and lvtool audit-expect checks that
# the entries after the previous check (less that check's own audit.show)
# are exactly those of want, in order. In a SPEC, keys not given must be
# empty (subject, fields, purpose, request, leads), outcome is ok and code 0
# unless given ("denied": code -5); actor and role are checked when given.
# The mark of the last checked entry is kept in the file m.
setup: vault
setup: user aud auditor

# ---- init (setup: vault = init + purpose add qa_all) -----------------------------
run: lv_as aud --json audit show | lvtool audit-expect m "vault.create actor=alice role=admin" "purpose.add actor=alice role=admin subject=qa_all" "user.add actor=alice role=admin subject=aud"
stdout-has: ok seq 3 user.add ok

# ---- users -----------------------------------------------------------------------
run: lv_user comp compliance
run: printf '%s\n' "user.add actor=alice role=admin subject=comp" >> want
run: lv_user bob sales
run: printf '%s\n' "user.add actor=alice subject=bob" >> want
run: leadvault user list
run: printf '%s\n' "user.list actor=alice" >> want
run: printf 'bob new passphrase %s\n' "$RANDOM" > bob.new && lv_as bob user passwd --new-passphrase-file bob.new "${LV_KDF[@]}" && mv bob.new bob.pass
run: printf '%s\n' "user.passwd actor=bob role=sales subject=bob" >> want
run: lv_as bob user add eve --role admin --new-passphrase-file bob.pass "${LV_KDF[@]}"
exit: 5
run: printf '%s\n' "user.add actor=bob role=sales subject=eve outcome=denied" >> want
run: lv_as bob user list
exit: 5
run: printf '%s\n' "user.list actor=bob outcome=denied" >> want

run: lv_as aud --json audit show | lvtool audit-expect m -f want && rm want

# ---- leads -----------------------------------------------------------------------
run: leadvault lead add --first-name Ann --last-name Lee --email Ann@Example.com --phone '+4930111111' --company Acme --title Chief --website https://acme.example/ --address 'Main St 1' --notes 'met at fair' --email2 ann.private@example.org --phone2 '+4930222222'
save: A
run: printf '%s\n' "lead.add actor=alice role=admin leads=$A fields=first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2" >> want
run: lv_as bob lead add --first-name Ben --email ben@example.com
save: B
run: printf '%s\n' "lead.add actor=bob role=sales leads=$B fields=first_name,email" >> want
run: leadvault lead update $A --notes 'call back' --phone2 '+4930333333' --stage contacted
run: printf '%s\n' "lead.update actor=alice leads=$A fields=notes,phone2" >> want
run: leadvault lead get $A --purpose qa_all --fields email,phone
run: printf '%s\n' "lead.get actor=alice leads=$A purpose=qa_all fields=email,phone" >> want
# No --fields: the purpose's fields are what was revealed.
run: leadvault lead get $A --purpose qa_all
run: printf '%s\n' "lead.get leads=$A purpose=qa_all fields=first_name,last_name,email,phone,company,title,website,address,notes" >> want
run: lv_as bob lead get $B --purpose sales_followup --fields email
run: printf '%s\n' "lead.get actor=bob role=sales leads=$B purpose=sales_followup fields=email" >> want
run: lv_as aud lead get $A --purpose qa_all --fields email
exit: 5
run: printf '%s\n' "lead.get actor=aud role=auditor leads=$A purpose=qa_all fields=email outcome=denied" >> want
run: lv_as bob lead get $A --purpose subject_request
exit: 5
run: printf '%s\n' "lead.get actor=bob leads=$A purpose=subject_request outcome=denied" >> want
run: leadvault lead find --email ' ANN@example.com ' --purpose qa_all --fields first_name
run: printf '%s\n' "lead.find.email actor=alice leads=$A purpose=qa_all fields=first_name" >> want
run: leadvault lead find --email ann.private@example.org --purpose qa_all --fields email
run: printf '%s\n' "lead.find.email leads=$A purpose=qa_all fields=email" >> want
run: leadvault lead find --phone '+49 30 111111' --purpose qa_all --fields phone
run: printf '%s\n' "lead.find.phone leads=$A purpose=qa_all fields=phone" >> want
run: leadvault lead find --phone '+4930333333' --purpose qa_all --fields last_name
run: printf '%s\n' "lead.find.phone leads=$A purpose=qa_all fields=last_name" >> want
run: lv_as aud lead find --email ann@example.com --purpose qa_all
exit: 5
run: printf '%s\n' "lead.find.email actor=aud purpose=qa_all outcome=denied" >> want
run: leadvault lead list
run: printf '%s\n' "lead.list actor=alice" >> want

run: lv_as aud --json audit show | lvtool audit-expect m -f want && rm want

# ---- consent ---------------------------------------------------------------------
run: leadvault consent grant $A email_marketing --evidence 'web form 12'
run: printf '%s\n' "consent.grant actor=alice leads=$A purpose=email_marketing" >> want
run: lv_as comp consent show $A
run: printf '%s\n' "consent.show actor=comp role=compliance leads=$A" >> want
run: lv_as bob consent withdraw $A email_marketing --reason 'asked by phone'
run: printf '%s\n' "consent.withdraw actor=bob leads=$A purpose=email_marketing" >> want
run: lv_as bob consent show $A
exit: 5
run: printf '%s\n' "consent.show actor=bob leads=$A outcome=denied" >> want

run: lv_as aud --json audit show | lvtool audit-expect m -f want && rm want

# ---- purposes --------------------------------------------------------------------
run: leadvault purpose add qz_survey --basis consent --fields email --roles sales
run: printf '%s\n' "purpose.add actor=alice subject=qz_survey" >> want
run: leadvault purpose retire qz_survey
run: printf '%s\n' "purpose.retire actor=alice subject=qz_survey" >> want
run: lv_as bob purpose retire sales_followup
exit: 5
run: printf '%s\n' "purpose.retire actor=bob subject=sales_followup outcome=denied" >> want

run: lv_as aud --json audit show | lvtool audit-expect m -f want && rm want

# ---- holds and erasure -------------------------------------------------------------
run: lv_as comp hold set $A --reason 'case 7'
run: printf '%s\n' "hold.set actor=comp leads=$A" >> want
run: leadvault erase $A --request REQ-HELD
exit: 5
run: printf '%s\n' "lead.erase actor=alice leads=$A request=REQ-HELD outcome=denied" >> want
run: leadvault hold clear $A
run: printf '%s\n' "hold.clear actor=alice leads=$A" >> want
run: leadvault erase $B --request REQ-2 --ground 'art 17(1)(b)'
run: printf '%s\n' "lead.erase actor=alice leads=$B request=REQ-2 subject='art 17(1)(b)' fields=first_name,email" >> want
# (A role that may not erase at all: tests/cli/cases/audit_denied_erase.t.)

run: lv_as aud --json audit show | lvtool audit-expect m -f want && rm want

# ---- import ----------------------------------------------------------------------
run: printf 'first_name,email,phone\r\nIra,ira@example.com,+4930444444\r\nJo,jo@example.com,\r\n' > two.csv && leadvault import two.csv
run: leadvault --json lead find --email ira@example.com --purpose qa_all --fields email | lvtool json leads.0.id
save: IRA
run: leadvault --json lead find --email jo@example.com --purpose qa_all --fields email | lvtool json leads.0.id
save: JO
run: printf '%s\n' "lead.import actor=alice leads=$IRA,$JO fields=first_name,email,phone" "lead.find.email leads=$IRA purpose=qa_all fields=email" "lead.find.email leads=$JO purpose=qa_all fields=email" >> want
run: printf 'first_name,email\nKim,kim@example.com\n' > one.csv && lv_as bob import one.csv --consent email_marketing --evidence 'fair sign-up sheet'
run: printf '%s\n' "lead.import actor=bob nleads=1 fields=first_name,email purpose=email_marketing" >> want
run: lv_as aud import one.csv
exit: 5
run: printf '%s\n' "lead.import actor=aud outcome=denied" >> want
# Erasing by email: one entry per lead erased.
run: lv_as comp erase --email jo@example.com --request REQ-4 --no-suppress
run: printf '%s\n' "lead.erase actor=comp leads=$JO request=REQ-4 fields=first_name,email" >> want

run: lv_as aud --json audit show | lvtool audit-expect m -f want && rm want

# ---- subject access, backup, restore, stats, check ----------------------------------
run: lv_as comp subject export --email ann@example.com --request REQ-5 --out subject.json
run: printf '%s\n' "subject.export actor=comp role=compliance leads=$A purpose=subject_request request=REQ-5 fields=first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2" >> want
run: lv_as bob subject export $A --request REQ-6 --out denied.json
exit: 5
run: printf '%s\n' "subject.export actor=bob purpose=subject_request request=REQ-6 outcome=denied" >> want
run: leadvault backup --out backup.lv
run: printf '%s\n' "vault.backup actor=alice" >> want
run: leadvault restore backup.lv
run: printf '%s\n' "vault.restore actor=alice" >> want
run: lv_as bob restore backup.lv
exit: 5
run: printf '%s\n' "vault.restore actor=bob outcome=denied" >> want
run: lv_as bob stats
run: printf '%s\n' "stats actor=bob role=sales" >> want
run: lv_as aud check
run: printf '%s\n' "vault.check actor=aud role=auditor" >> want

run: lv_as aud --json audit show | lvtool audit-expect m -f want && rm want

# ---- export ------------------------------------------------------------------------
# Left: Ann (stage contacted), Ira, and Kim (imported with consent).
run: leadvault export --purpose qa_all --stage contacted --out contacted.csv
run: printf '%s\n' "lead.export actor=alice leads=$A purpose=qa_all fields=first_name,last_name,email,phone,company,title,website,address,notes" >> want
run: lv_as bob export --purpose sales_followup --format jsonl --out all.jsonl && wc -l < all.jsonl
stdout-is: 3
run: printf '%s\n' "lead.export actor=bob role=sales nleads=3 purpose=sales_followup fields=*" >> want
# Consent basis: only Kim's consent is active (Ann's was withdrawn).
run: leadvault export --purpose email_marketing --out consented.csv
run: printf '%s\n' "lead.export actor=alice nleads=1 purpose=email_marketing fields=*" >> want
run: lv_as aud export --purpose qa_all --out denied.csv
exit: 5
run: printf '%s\n' "lead.export actor=aud role=auditor purpose=qa_all outcome=denied" >> want

run: lv_as aud --json audit show | lvtool audit-expect m -f want && rm want

# ---- a user removed, then unable to unlock ---------------------------------------------
run: leadvault user remove bob
run: printf '%s\n' "user.remove actor=alice subject=bob" >> want
run: lv_as bob lead list
exit: 3
run: printf '%s\n' "vault.unlock actor=bob role= outcome=error code=-3" >> want

run: lv_as aud --json audit show | lvtool audit-expect m -f want && rm want

# Audit reads are audited, and the whole log still verifies.
# (one audit.show per check above: the init check and nine sections)
run: lv_as aud --json audit show --action audit.show | lvtool json entries.length
stdout-is: 10
run: leadvault audit verify
stdout-match: ^ok: [0-9]+ entries
