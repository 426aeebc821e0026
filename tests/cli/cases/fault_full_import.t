desc: import on a full disk (a file size limit) exits 8 and keeps exactly the batches committed before the failure, whole: none when the first batch fails, 10000 leads when the second does; the vault checks and verifies, running the import again stores the rest, and an export that cannot be written exits 8 too
# ulimit -f (KiB) stands in for a full disk (see fault_full_add.t). The
# 12000 generated rows take about 12 MiB of write-ahead log, about 1 KiB a
# row, written at each batch's commit (batches of 10000): 2000 KiB stops the
# first batch; 11000 KiB lets the first batch (about 10 MiB) commit and
# stops the second.
setup: vault
run: leadvault lead add --first-name Ann --email ann@example.com > /dev/null
run: lvtool data genleads.py && python3 genleads.py --rows 12000 --seed 7 > leads.csv
run: lv_dump > before.dump && lv_count
stdout-is: 1

# The first batch fails: nothing stored.
run: ( trap '' XFSZ; ulimit -f 2000; leadvault import leads.csv )
exit: 8
stderr-has: leadvault import: storage full while
stderr-has: (File too large)
stderr-lacks: were stored
stdout-empty
run: lv_dump > after.dump && cmp before.dump after.dump
run: lv_count
stdout-is: 1
run: leadvault check
stdout-has: ok: 1 lead
run: leadvault audit verify
stdout-has: ok:

# The second batch fails: the first stays, whole.
run: ( trap '' XFSZ; ulimit -f 11000; leadvault import leads.csv )
exit: 8
stderr-has: leadvault import: storage full while
stderr-has: 10000 leads were stored and 0 updated before the failure
stdout-empty
run: lv_count
stdout-is: 10001
run: leadvault check --deep
stdout-has: ok: 10001 leads, every sealed value opens
run: leadvault audit verify
stdout-has: ok:

# With room again, the same import stores the rest.
run: leadvault --json import leads.csv > again.json
run: lvtool jget again.json rows imported duplicates rejected
stdout-is: 12000 2000 10000 0
run: lv_count
stdout-is: 12001
run: leadvault check
stdout-has: ok: 12001 leads

# An output that does not fit: exit 8, and no half-written file is left.
# The export's audit entry takes about 1.7 MiB of write-ahead log, its
# JSON Lines about 3.2 MiB: 2600 KiB lets the first through, not the second.
run: ( trap '' XFSZ; ulimit -f 2600; leadvault export --purpose qa_all --format jsonl --out all.jsonl )
exit: 8
stderr-has: leadvault export: cannot write the export: File too large
run: test ! -e all.jsonl
run: leadvault export --purpose qa_all > /dev/full
exit: 8
stderr-has: No space left on device
run: leadvault audit verify
stdout-has: ok:
