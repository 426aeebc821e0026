desc: audit show and export filters (lead, user, action prefix or glob, purpose, outcome, time) combine with AND; unknown actions, purposes and outcomes exit 2 naming the valid ones; CSV export has one row per entry and lead id; audit actions explains every action the log holds
setup: vault
setup: user bob sales
setup: user carol compliance
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: lv_as bob lead add --first-name Ben --email ben@example.com
save: B
# bob: one reveal allowed, two denied (a purpose sales may not use, and a
# consent purpose without consent), one for a purpose that does not exist.
run: lv_as bob lead get $A --purpose qa_all --fields email
run: lv_as bob lead get $A --purpose subject_request
exit: 5
run: lv_as bob lead get $B --purpose email_marketing
exit: 5
run: lv_as bob lead get $B --purpose made_up
exit: 5
run: lv_as bob lead find --email ann@example.com --purpose qa_all --fields email
# (a lookup that finds nothing exits 4 but is recorded as ok, with no lead)
run: leadvault lead find --phone '+4930111111' --purpose qa_all
exit: 4
run: leadvault export --purpose qa_all --out all.csv
run: lv_as bob export --purpose subject_request --out no.csv
exit: 5

# s ARGS: "action actor outcome purpose leads" of each entry carol sees,
# joined with |; audit reads themselves (audit.show) are left out.
run: printf 's() { lv_as carol --json audit show "$@" | lvtool pluck entries action,actor,outcome,purpose,lead_ids | { grep -v "^audit\\.show " || true; } | tr "\\n" "|" | sed "s/|$//"; }\n' > s.sh

# ---- each filter alone ----
run: . ./s.sh && s --user bob --action lead.get
stdout-is: lead.get bob ok qa_all $A|lead.get bob denied subject_request $A|lead.get bob denied email_marketing $B|lead.get bob denied made_up $B
run: . ./s.sh && s --outcome denied --action lead
stdout-is: lead.get bob denied subject_request $A|lead.get bob denied email_marketing $B|lead.get bob denied made_up $B|lead.export bob denied subject_request 
run: . ./s.sh && s --purpose subject_request
stdout-is: lead.get bob denied subject_request $A|lead.export bob denied subject_request 
# ---- combined: every condition must hold ----
run: . ./s.sh && s --user bob --outcome denied --purpose email_marketing
stdout-is: lead.get bob denied email_marketing $B
run: . ./s.sh && s --lead $A --user bob --action lead.get --outcome ok
stdout-is: lead.get bob ok qa_all $A
run: . ./s.sh && s --lead $A --user bob --action lead.get --outcome denied --purpose qa_all
stdout-empty
run: . ./s.sh && s --lead $B --user alice
stdout-is: lead.export alice ok qa_all $A,$B
run: . ./s.sh && s --lead $B --action lead.export --since 1h --until now --outcome OK
stdout-is: lead.export alice ok qa_all $A,$B
run: . ./s.sh && s --lead $B --action lead.export --since +1h
stdout-empty
# ---- --action: exact, a prefix of whole parts, a glob ----
run: . ./s.sh && s --action lead.find
stdout-is: lead.find.email bob ok qa_all $A|lead.find.phone alice ok qa_all 
run: . ./s.sh && s --action lead.find.email
stdout-is: lead.find.email bob ok qa_all $A
run: . ./s.sh && s --action '*.export' --user alice
stdout-is: lead.export alice ok qa_all $A,$B
run: . ./s.sh && s --action 'lead.*' --user bob --outcome ok | tr '|' '\n' | cut -d' ' -f1 | paste -sd ' '
stdout-is: lead.add lead.get lead.find.email
run: lv_as carol audit show --action lead.fi
exit: 2
stderr-has: action: no action matches (did you mean lead.find?); give an action, a prefix (lead.find) or a glob (lead.*) of: audit, consent, erase, hold, lead, purpose, report, retention, setting, stats, subject, suppress, user, vault
# ---- --purpose: the vault's purposes, and any the log names ----
run: . ./s.sh && s --purpose made_up
stdout-is: lead.get bob denied made_up $B
run: lv_as carol audit show --purpose qa_al
exit: 2
stderr-has: purpose: unknown purpose (did you mean qa_all?); expected one of
stderr-has: email_marketing
stdout-empty
run: lv_as carol audit export --purpose qa_al --out never.jsonl
exit: 2
run: test ! -e never.jsonl
# ---- --outcome: ok, denied, error (case ignored) ----
run: lv_as carol audit show --outcome failed
exit: 2
stderr-has: outcome: unknown outcome; expected one of ok, denied, error
stdout-empty

# ---- audit export: the same filters; CSV one row per entry and lead ----
# cols FILE N,N,...: those columns (from 0) of each CSV row, | between
# cells, one row a line (python's csv module reads RFC 4180).
run: printf 'cols() { python3 -c "import csv,sys\nfor r in csv.reader(open(sys.argv[1], newline=\\"\\")): print(\\"|\\".join(r[int(i)] for i in sys.argv[2].split(\\",\\")))" "$@"; }\n' > cols.sh
run: lv_as carol audit export --format csv --action lead.export --out e.csv && . ./cols.sh && cols e.csv 5,7,8,9,10,11 | paste -sd '#'
stdout-is: action|lead_id|fields|purpose|outcome|error#lead.export|$A|first_name,last_name,email,phone,company,title,website,address,notes|qa_all|ok|#lead.export|$B|first_name,last_name,email,phone,company,title,website,address,notes|qa_all|ok|#lead.export|||subject_request|denied|denied by policy
# CRLF line ends (RFC 4180), and both rows of the export share seq and hash.
run: tr -cd '\r' < e.csv | wc -c
stdout-is: 4
run: . ./cols.sh && cols e.csv 0,13 | sed -n '2p;3p' | uniq | wc -l
stdout-is: 1
run: lv_as carol audit export --format csv --user bob --outcome denied --purpose email_marketing > d.csv && . ./cols.sh && cols d.csv 2,5,7 | paste -sd '#'
stdout-is: actor|action|lead_id#bob|lead.get|$B
run: lv_as carol audit export --format xml
exit: 2
stderr-has: --format: expected jsonl or csv
# A filtered JSON Lines export is a selection: no checkpoints, not verifiable.
run: lv_as carol audit export --user bob --action lead.get --out sel.jsonl && head -1 sel.jsonl | lvtool json type && tail -n +2 sel.jsonl | grep -c '"action":"lead.get"'
stdout-is: leadvault-audit-selection4
run: grep -c checkpoint sel.jsonl
exit: 1
stdout-is: 0
run: leadvault audit pubkey --out pub.txt > /dev/null && leadvault audit verify --log sel.jsonl --pubkey pub.txt
exit: 6
# Unfiltered, the whole verifiable log, as before.
run: lv_as carol audit export --out all.jsonl && head -1 all.jsonl | lvtool json type && leadvault audit verify --log all.jsonl --pubkey pub.txt > /dev/null
stdout-is: leadvault-audit-export

# ---- audit actions: every action the log holds is listed, with a meaning ----
run: leadvault audit actions | grep -E '^lead\.find\.email +leads were looked up by email'
run: leadvault --json audit actions | lvtool pluck actions action | sort > listed && lv_as carol --json audit show | lvtool pluck entries action | sort -u > used && comm -23 used listed
stdout-empty
run: wc -l < used
stdout-match: ^ *1[0-9]$
# No vault, user or passphrase needed, and nothing is audited.
run: ( unset LEADVAULT_VAULT LEADVAULT_USER LEADVAULT_PASSPHRASE_FILE; leadvault audit actions ) | awk '{print $1}' | sort | diff listed -
stdout-empty
run: wc -l < listed
stdout-match: ^ *[4-9][0-9]$
