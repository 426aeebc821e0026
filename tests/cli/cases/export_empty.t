desc: an export that finds no lead still writes its --out file (0600): CSV with its header, JSON Lines empty
setup: vault
run: leadvault export --purpose email_marketing --format csv --out none.csv
stderr-has: exported 0 leads
run: stat -c %a none.csv
stdout-is: 600
run: tr -d '\r"' < none.csv
stdout-is: id,first_name,last_name,email,email2
run: leadvault export --purpose email_marketing --format jsonl --out none.jsonl
stderr-has: exported 0 leads to none.jsonl
run: stat -c '%a %s' none.jsonl
stdout-is: 600 0
run: leadvault --json export --purpose email_marketing --format jsonl --out none2.jsonl | lvtool json exported
stdout-is: 0
run: test -f none2.jsonl
