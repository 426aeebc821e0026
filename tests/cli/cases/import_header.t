desc: duplicate headers are refused; a BOM and padded or upper-case headers import; empty and header-only files
setup: vault
# Two columns for one field, spelled alike or not: refused, nothing stored.
run: printf 'First Name,Email,email\nD1,d1@example.com,d1b@example.com\n' > dup.csv
run: leadvault import dup.csv
exit: 2
stdout-empty
stderr-has: columns 2 and 3
stderr-has: --map
stderr-lacks: d1@example.com
run: printf 'E-mail,First Name,Email Address\nd2@example.com,D2,d2b@example.com\n' > dup2.csv
run: leadvault import dup2.csv
exit: 2
stderr-has: columns 1 and 3
# ... and --map chooses.
run: leadvault --json import dup2.csv --map 'Email Address=email2' | lvtool json imported
stdout-is: 1
run: leadvault --json lead find --email d2b@example.com --purpose qa_all | lvtool json leads.0.fields.email
stdout-is: d2@example.com
run: lv_count
stdout-is: 1

# UTF-8 BOM, headers with spaces around them and in capitals.
run: printf '\xef\xbb\xbf Email ,FIRST NAME,  last name\t,NOTES\nbom@example.com,Bom,Ström,"a, b"\n' > bom.csv
run: leadvault --json import bom.csv > b.json
stderr-empty
run: lvtool jget b.json rows imported rejected
stdout-is: 1 1 0
run: lvtool json unknown_columns b.json
stdout-empty
run: leadvault --json lead find --email bom@example.com --purpose qa_all > bom.json
run: lvtool field-is bom.json leads.0.fields.first_name Bom
run: lvtool field-is bom.json leads.0.fields.last_name Ström
run: lvtool field-is bom.json leads.0.fields.notes 'a, b'
run: lvtool field-is bom.json leads.0.fields.email bom@example.com

# An empty file is refused; a header alone is 0 rows, whatever its ending.
run: : > empty.csv
run: leadvault import empty.csv
exit: 2
stderr-has: empty
run: printf '\xef\xbb\xbf' > bomonly.csv
run: leadvault import bomonly.csv
exit: 2
stderr-has: empty
run: printf 'First Name,Email\n' > hdr.csv
run: leadvault --json import hdr.csv | lvtool json rows
stdout-is: 0
run: printf 'First Name,Email' > hdr-noeol.csv
run: leadvault --json import hdr-noeol.csv | lvtool json rows
stdout-is: 0
run: printf 'First Name,Email\r\n\r\n\r\n' > hdr-blank.csv
run: leadvault --json import hdr-blank.csv | lvtool json rows
stdout-is: 0
run: lv_count
stdout-is: 2
