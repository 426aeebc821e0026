desc: no value of a lead (any field, email2 and phone2, consent evidence and reasons, import data, looked-up values) nor a passphrase is in the audit tables, the JSONL export or audit show
# Acceptance (audit) 4. Distinctive canaries in every field, written, read,
# searched for (found and not found), granted and withdrawn, imported,
# exported (in bulk and for the subject) and erased; then the audit tables
# (sqlite3 .dump and a plain SELECT), the JSON Lines export (raw, and every
# string of it decoded) and audit show (text and JSON) are scanned for
# every canary in many encodings (lvtool scan: case, NFC/NFD, UTF-16, hex,
# base64).
setup: vault
setup: user comp compliance
setup: user aud auditor
setup: user bob sales
run: leadvault purpose add qa_every --basis legitimate_interest --fields first_name,last_name,email,phone,company,title,website,address,notes,email2,phone2 --roles admin,sales,compliance

# Canaries: the values as given and the forms the vault derives (the
# lower-cased email of the index, the normalized phone), and the
# passphrases of every user.
run: printf '%s\n' 'Qzfirst4Kanarie' 'Qzlast4Kanarie' 'Qz.Mail4Kanarie@Example.com' 'qz.mail4kanarie@example.com' '+4915144440001' '15144440001' 'Qzco4Kanarie' 'Qztitle4Kanarie' 'qzweb4kanarie.example' 'Qzaddr4Kanarie' 'Qznotes4Kanarie' 'qz.second4kanarie@example.org' '+4915144440002' 'Qznewnotes4Kanarie' 'qz.newmail4kanarie@example.net' 'Qzevidence4Kanarie' 'Qzreason4Kanarie' 'Qzimpfirst4Kanarie' 'qz.imp4kanarie@example.com' '+4915144440003' 'Qzimpevidence4Kanarie' 'qz.absent4kanarie@example.com' '+4915144440009' 'Qzथ्री4कनारी' 'Qz佐藤4カナリア' > canaries.txt && for u in alice comp aud bob; do head -n 1 $u.pass; done >> canaries.txt && wc -l < canaries.txt
stdout-is: 29

run: leadvault lead add --first-name Qzfirst4Kanarie --last-name Qzlast4Kanarie --email ' Qz.Mail4Kanarie@Example.com ' --phone '+49 151 44440001' --company Qzco4Kanarie --title Qztitle4Kanarie --website https://qzweb4kanarie.example/ --address Qzaddr4Kanarie --notes Qznotes4Kanarie --email2 qz.second4kanarie@example.org --phone2 '+4915144440002'
save: A
run: lv_as bob lead add --first-name 'Qzथ्री4कनारी' --last-name 'Qz佐藤4カナリア' --phone '+4915144440009'
save: B
run: leadvault --json lead get $A --purpose qa_every --fields phone | lvtool json fields.phone
stdout-is: +4915144440001
run: leadvault lead update $A --notes Qznewnotes4Kanarie --email qz.newmail4kanarie@example.net
run: leadvault lead get $A --purpose qa_every
run: lv_as bob lead get $B --purpose sales_followup
run: leadvault lead find --email QZ.NEWMAIL4KANARIE@example.net --purpose qa_every
run: leadvault lead find --email qz.second4kanarie@example.org --purpose qa_every
run: leadvault lead find --phone '+4915144440002' --purpose qa_every
run: leadvault lead find --email qz.absent4kanarie@example.com --purpose qa_every
exit: 4
run: lv_as aud lead find --email qz.mail4kanarie@example.com --purpose qa_every
exit: 5
run: leadvault consent grant $A email_marketing --evidence Qzevidence4Kanarie
run: leadvault consent withdraw $A email_marketing --reason Qzreason4Kanarie
run: lv_as comp consent show $A
stdout-has: Qzevidence4Kanarie
run: printf 'first_name,email,phone\nQzimpfirst4Kanarie,qz.imp4kanarie@example.com,+4915144440003\n' > in.csv && leadvault import in.csv --consent email_marketing --evidence Qzimpevidence4Kanarie
stdout-has: 1 imported
run: lv_as comp subject export --email qz.newmail4kanarie@example.net --request REQ-41 --out subject.json
run: leadvault export --purpose qa_every --format jsonl --out all.jsonl && lvtool scan canaries.txt all.jsonl
exit: 1
stdout-has: FOUND 'qz.second4kanarie@example.org'
run: lv_as comp erase --email qz.imp4kanarie@example.com --request REQ-42
run: leadvault erase --phone '+4915144440009' --request REQ-43 --no-suppress
run: lv_as aud erase $A --request REQ-44
exit: 5
run: leadvault check
run: leadvault audit checkpoint --out cp.txt

# ---- collect what the log holds ---------------------------------------------------------
run: sqlite3 vault.lv ".dump audit" > audit.sql && sqlite3 vault.lv ".dump audit_lead" >> audit.sql && sqlite3 vault.lv ".dump audit_checkpoint" >> audit.sql && grep -c '^INSERT INTO audit VALUES' audit.sql
stdout-match: ^[2-9][0-9]$
run: sqlite3 -header vault.lv "SELECT * FROM audit" > audit.txt && sqlite3 -header vault.lv "SELECT *, hex(lead_id) FROM audit_lead" >> audit.txt && sqlite3 -header vault.lv "SELECT *, hex(head), hex(signature) FROM audit_checkpoint" >> audit.txt
run: lv_as aud audit export --out log.jsonl && lvtool audit-jsonl-text log.jsonl > log.txt && grep -c '"action"' log.jsonl
stdout-match: ^[2-9][0-9]$
run: lv_as aud audit show > show.txt && lv_as aud --json audit show > show.json && grep -c 'lead.find' show.txt
stdout-is: 5

# ---- scan -------------------------------------------------------------------------------
run: lvtool scan canaries.txt audit.sql audit.txt log.jsonl log.txt show.txt show.json cp.txt
stdout-has: scanned audit.sql
stdout-has: scanned log.jsonl
stdout-has: scanned show.json
stdout-lacks: FOUND
# The guards: the scanner finds a canary put into a copy of the log, as
# JSON text and as hex of a blob; and the subject export, made from the
# same leads, is full of them.
run: sed 's/"purpose":"qa_every"/"purpose":"Qzco4Kanarie"/' log.jsonl > tainted.jsonl && lvtool scan canaries.txt tainted.jsonl
exit: 1
stdout-has: FOUND 'Qzco4Kanarie'
run: printf "INSERT INTO audit_lead VALUES(X'%s',1);\n" "$(printf 'Qz佐藤4カナリア' | od -An -tx1 | tr -d ' \n')" > tainted.sql && lvtool scan canaries.txt tainted.sql
exit: 1
stdout-has: (hex)
run: lvtool scan canaries.txt subject.json
exit: 1
stdout-has: FOUND 'Qzevidence4Kanarie'
stdout-has: FOUND 'qz.second4kanarie@example.org'
