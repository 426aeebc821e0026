desc: a 5 MiB field rejects its row as too long; a record over 16 MiB stops the import, keeping earlier batches
setup: vault
run: { printf 'First Name,Email,Notes\nF1,f1@example.com,"'; head -c 5242880 /dev/zero | tr '\0' x; printf '"\nF2,f2@example.com,after\n'; } > big5.csv
run: leadvault --json import big5.csv > b5.json
stderr-match: ^line 2: rejected: notes: longer than [0-9]+ bytes$
stderr-lacks: xxxxxxxx
run: lvtool jget b5.json rows imported rejected
stdout-is: 2 1 1
run: leadvault --json lead find --email f2@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: after

# 25000 good rows (two whole batches of 10000 and part of a third), then a
# 17 MiB record: the import stops with an error naming its line; the two
# committed batches stay, whole and audited; the check passes.
run: { echo 'First Name,Email,Notes'; seq 1 25000 | sed 's/.*/G&,g&@example.com,n&/'; printf 'H1,h1@example.com,"'; head -c 17825792 /dev/zero | tr '\0' y; printf '"\nH2,h2@example.com,after\n'; } > big17.csv
run: leadvault import big17.csv
exit: 2
stdout-empty
stderr-has: line 25002
stderr-has: 16 MiB
stderr-has: stopped
stderr-lacks: yyyyyyyy
run: lv_count
stdout-is: 20001
run: leadvault --json lead find --email g20000@example.com --purpose qa_all | lvtool json leads.0.fields.notes
stdout-is: n20000
run: leadvault lead find --email g20001@example.com --purpose qa_all
exit: 4
run: leadvault lead find --email h2@example.com --purpose qa_all
exit: 4
run: leadvault check
stdout-has: 20001 leads
run: leadvault audit verify
# The same for JSON Lines.
run: { printf '{"email":"k1@example.com","notes":"'; head -c 17825792 /dev/zero | tr '\0' z; printf '"}\n{"email":"k2@example.com"}\n'; } > big17.jsonl
run: leadvault import big17.jsonl
exit: 2
stderr-has: line 1
stderr-has: 16 MiB
stderr-lacks: zzzzzzzz
