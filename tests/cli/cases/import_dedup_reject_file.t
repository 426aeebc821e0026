desc: a row rejected by --on-duplicate error is written whole to the reject file
# It was once written as a blank row: the writer dropped the cells of
# prepared rows before reporting them.
setup: vault
run: printf 'First Name,Email,Company\nOther,other.dup@example.com,One\nOther2,"  OTHER.DUP@example.com ","Two, ""2"""\n' > dup.csv
run: leadvault --json import --on-duplicate error --reject-file rejects.csv dup.csv | lvtool json rejected
stdout-is: 1
run: lvtool csv-dump rejects.csv | paste -sd ' '
stdout-is: ["First Name", "Email", "Company"] ["Other2", "  OTHER.DUP@example.com ", "Two, \"2\""]
# Without the option that made it a duplicate, the reject file imports as
# the second row did: a duplicate, skipped.
run: leadvault --json import rejects.csv | lvtool jget - rows duplicates rejected
stdout-is: 1 1 0
