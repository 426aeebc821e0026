desc: input that is not UTF-8 is refused with the conversion to run, and nothing is stored
setup: vault
# Latin-1: é as the single byte E9.
run: printf 'First Name,Email\nJos\xe9Zq7,jose@example.com\n' > latin1.csv
run: leadvault import latin1.csv
exit: 2
stdout-empty
stderr-has: not UTF-8
stderr-has: iconv
stderr-lacks: Zq7
stderr-lacks: jose@example.com
run: lv_count
stdout-is: 0
# Windows-1252: the euro sign and curly quotes (80, 93, 94).
run: printf 'First Name,Email,Notes\nCafe,cafe@example.com,\x93price \x80 5\x94\n' > cp1252.csv
run: leadvault import cp1252.csv
exit: 2
stderr-has: not UTF-8
stderr-has: iconv -f WINDOWS-1252 -t UTF-8
stderr-lacks: price
# ... and once converted as the message says, it imports, every byte right.
run: iconv -f WINDOWS-1252 -t UTF-8 cp1252.csv > fixed.csv && leadvault --json import fixed.csv | lvtool json imported
stdout-is: 1
run: leadvault --json lead find --email cafe@example.com --purpose qa_all > c.json
run: lvtool field-is c.json leads.0.fields.notes '“price € 5”'

# UTF-16 with a byte order mark, little and big endian.
run: printf 'First Name,Email\nAnn,ann16@example.com\n' | iconv -f UTF-8 -t UTF-16LE | { printf '\xff\xfe'; cat; } > le.csv
run: leadvault import le.csv
exit: 2
stderr-has: UTF-16
stderr-has: iconv -f UTF-16 -t UTF-8
run: printf 'First Name,Email\nAnn,ann16@example.com\n' | iconv -f UTF-8 -t UTF-16BE | { printf '\xfe\xff'; cat; } > be.csv
run: leadvault import be.csv
exit: 2
stderr-has: UTF-16
run: leadvault lead find --email ann16@example.com --purpose qa_all
exit: 4

# A bad byte beyond the part checked up front (the first 64 KiB) rejects
# only its row, naming the line; the rows around it are imported.
run: { echo 'First Name,Email,Notes'; for i in $(seq 1 3000); do echo "K$i,k$i@example.com,a note of some length to fill the first chunk"; done; printf 'Jos\xe9Zq7,klatin@example.com,x\nAfter,after@example.com,fine\n'; } > late.csv && test $(wc -c < late.csv) -gt 65536
run: leadvault --json import late.csv > late.json
stderr-is: line 3002: rejected: first_name: not valid UTF-8
run: lvtool jget late.json rows imported rejected
stdout-is: 3002 3001 1
run: leadvault lead find --email klatin@example.com --purpose qa_all
exit: 4
run: leadvault --json lead find --email after@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: fine
