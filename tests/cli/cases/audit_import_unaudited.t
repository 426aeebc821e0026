desc: every import run is audited, also when every row is a duplicate and on a dry run
# Acceptance (audit) 2, "every command that touches leads". An import
# compares each row with the stored leads (decrypting candidates) and
# reports how many were duplicates: run with a list of emails, it tells the
# user which people are in the vault. A lookup by email is audited
# (lead.find.email); the same answer through import must be too. (Found
# when an import wrote its entry only with a batch of stored leads, so these
# runs left nothing in the log.)
setup: vault
setup: user aud auditor
setup: user bob sales
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: lv_as aud --json audit show | lvtool audit-expect m --any
# The guard: an import that stores a lead is audited.
run: printf 'first_name,email\nCy,cy@example.com\n' > new.csv && lv_as bob import new.csv
stdout-has: 1 imported
run: lv_as aud --json audit show | lvtool audit-expect m "lead.import actor=bob nleads=1 fields=first_name,email"

run: printf 'first_name,email\nSomeone,ann@example.com\n' > known.csv && lv_as bob import known.csv
stdout-has: 1 duplicates
run: lv_as aud --json audit show | lvtool audit-expect m "lead.import actor=bob leads=* fields=*"
# A dry run stores nothing; it may have an action of its own.
run: printf 'first_name,email\nDee,dee@example.com\n' > dry.csv && lv_as bob import dry.csv --dry-run
stdout-has: dry run
run: lv_as aud --json audit show | lvtool audit-expect m "lead.import|lead.import.dry_run actor=bob leads=* fields=*"
