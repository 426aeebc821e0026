desc: a semicolon file whose rows quote a cell gets the --delimiter hint, not a quoting error
# Spreadsheets that save with ';' quote every cell holding a ';' or ','.
# Read with ',', the header is one unidentifiable cell and the first data
# row has a quote inside an unquoted field: the header is the problem to
# report, with the hint, not "malformed quoting in the header" at line 1.
setup: vault
run: printf 'First Name;Last Name;Email;Company\nJane;Doe;jane@example.com;"Doe, Smith; Partners"\n' > semi.csv
run: leadvault import semi.csv
exit: 2
stdout-empty
stderr-has: --delimiter
stderr-lacks: malformed quoting
stderr-lacks: Partners
run: lv_count
stdout-is: 0
