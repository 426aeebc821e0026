desc: lead add on a full disk (a file size limit of 40 KiB: every write past it fails with EFBIG) exits 8 saying storage is full, stores nothing, and leaves a vault that checks and verifies; without the limit the same command succeeds
# The limit (ulimit -f, in KiB) stands in for a full disk: this suite runs
# as root without mount rights. SIGXFSZ is ignored so that the write fails
# instead of killing the process. 40 KiB leaves room for the -shm file
# (32 KiB) and for an audit entry, but not for a lead with 30 kB of notes,
# which alone needs more than 40 KiB of write-ahead log.
setup: vault
run: leadvault lead add --first-name Ann --email ann@example.com
save: ANN
run: lvtool gen-text 30000 > notes.txt
run: lv_dump > before.dump && lv_count
stdout-is: 1

run: ( trap '' XFSZ; ulimit -f 40; leadvault lead add --first-name Big --email big@example.com --notes "$(cat notes.txt)" )
exit: 8
stderr-has: leadvault lead add: storage full while
stderr-has: the disk, or a file size limit, has no room (File too large)
stderr-has: the changes were rolled back
stdout-empty

# Nothing of the lead: the same rows as before, and the vault is whole.
run: lv_dump > after.dump && cmp before.dump after.dump
run: lv_count
stdout-is: 1
run: leadvault lead find --email big@example.com --purpose qa_all
exit: 4
run: leadvault check
stdout-has: ok: 1 lead
run: leadvault audit verify
stdout-has: ok:

# The same command, with room again.
run: leadvault lead add --first-name Big --email big@example.com --notes "$(cat notes.txt)"
save: BIG
run: lv_count
stdout-is: 2
run: leadvault --json lead get $BIG --purpose qa_all --fields notes > got.json && lvtool field-is got.json fields.notes "$(cat notes.txt)"
run: leadvault check
stdout-has: ok: 2 leads
run: leadvault audit verify
stdout-has: ok:
