desc: report usage errors exit 2 before the vault is opened and leave no file: unknown kind or format, --from after --to, a bad time, no --out, an existing --out (never overwritten); sales and admin are refused (exit 5)
setup: vault
setup: user cora compliance
run: lv_as cora report nonsense --out x.html
exit: 2
stderr-has: expected one of processing, access, consent, retention, erasure
run: lv_as cora report access --format pdf --out x.pdf
exit: 2
stderr-has: --format: expected html, csv or json
run: lv_as cora report access --from 2026-10-02 --to 2026-10-01 --out x.html
exit: 2
stderr-has: --from is after --to
run: lv_as cora report access --from yesterdayish --out x.html
exit: 2
stderr-has: --from: expected a time
run: lv_as cora report access
exit: 2
stderr-has: --out FILE is required
run: echo keep > existing.html && lv_as cora report access --out existing.html
exit: 2
stderr-has: already exists
run: cat existing.html
stdout-is: keep
run: leadvault report access --out admin.html
exit: 5
stderr-has: may not generate compliance reports
run: test ! -e x.html && test ! -e x.pdf && test ! -e admin.html
run: lv_as cora report access --from 2026-01-01 --to 2099-12-31 --format csv --out ok.csv
stdout-is: wrote ok.csv
run: stat -c %a ok.csv
stdout-is: 600
run: lv_as cora --json report consent --format json --out ok.json | lvtool json report
stdout-is: consent
