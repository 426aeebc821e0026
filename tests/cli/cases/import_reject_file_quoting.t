desc: a row rejected for bad quoting reaches the reject file whole, so that it can be fixed
# Today only the cells read before the bad quote are written (here
# "Quote","quote@example.com",""): the notes are lost, and the "fixed" file
# is rejected again for too few fields.
setup: vault
run: printf 'First Name,Email,Notes\nGood,good@example.com,fine\nQuote,quote@example.com,say "hi" now\nAfter,after@example.com,"closed"tail\n' > in.csv
run: leadvault --json import --reject-file rejects.csv in.csv > r.json
stderr-has: line 3: rejected: malformed quoting
stderr-has: line 4: rejected: malformed quoting
run: lvtool jget r.json rows imported rejected
stdout-is: 3 1 2
run: lvtool csv-dump rejects.csv | wc -l
stdout-is: 3
run: lvtool csv-dump rejects.csv | sed -n 2p
stdout-has: Quote
stdout-has: say
stdout-has: now
run: lvtool csv-dump rejects.csv | sed -n 3p
stdout-has: After
stdout-has: closed
stdout-has: tail
# Fixed (the stray quotes removed, whatever form the file keeps them in), it imports.
run: sed -e 's/say ""\?hi""\? now/say hi now/' -e 's/""\?closed""\?tail/closed tail/' rejects.csv > fixed.csv
run: leadvault --json import fixed.csv | lvtool json imported
stdout-is: 2
run: leadvault --json lead find --email quote@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: say hi now
