desc: the reject file keeps every column of a wide export (70 here), header and rows alike
# CRM exports often have over 64 columns. Today the header and each
# rejected row are cut to their first 64 cells: here the Notes column (the
# 70th) is lost, and the fixed file imports without it.
setup: vault
run: { printf 'First Name,Email'; for i in $(seq 1 67); do printf ',X%d' $i; done; printf ',Notes\n'; printf 'W,not-an-email'; for i in $(seq 1 67); do printf ',v%d' $i; done; printf ',wide note\n'; } > wide.csv
run: leadvault --json import --reject-file rejects.csv wide.csv | lvtool json rejected
stdout-is: 1
run: lvtool csv-dump rejects.csv | while read -r row; do echo "$row" | lvtool json length; echo; done | paste -sd ' '
stdout-is: 70 70
run: sed 's/not-an-email/w@example.com/' rejects.csv > fixed.csv && leadvault --json import fixed.csv | lvtool json imported
stdout-is: 1
run: leadvault --json lead find --email w@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: wide note
