desc: an exported log verifies offline with only the public key (and a checkpoint), with the vault moved away; any one changed byte of it fails with exit 6
# Acceptance (audit) 5. The checkpoint is taken before the export, so that
# it signs exactly the entries the export holds (the export's own entry
# comes after them).
setup: vault
setup: user aud auditor
run: leadvault lead add --first-name Ann --email ann@example.com --phone '+4930123456'
save: A
run: leadvault lead get $A --purpose qa_all --fields email
run: leadvault audit pubkey --out pub.txt
run: leadvault audit checkpoint --out cp.txt > /dev/null && sed -n 2p cp.txt
stdout-is: 5
run: lv_as aud audit export --out log.jsonl && { stat -c %a log.jsonl; wc -l < log.jsonl; } | paste -sd ' '
stdout-is: 600 11

# ---- offline: no vault, no user, no passphrase ---------------------------------------
run: mv vault.lv away.lv && ls
stdout-lacks: vault.lv
run: (unset LEADVAULT_VAULT LEADVAULT_USER LEADVAULT_PASSPHRASE_FILE; leadvault audit verify --log log.jsonl --pubkey pub.txt --checkpoint cp.txt)
stdout-is: ok: 5 entries, 5 checkpoint signatures verified; the log extends the given checkpoint
stderr-empty
run: (unset LEADVAULT_VAULT LEADVAULT_USER LEADVAULT_PASSPHRASE_FILE; leadvault --json audit verify --log log.jsonl --pubkey pub.txt)
stdout-is: {"ok":true,"entries":5,"checkpoints":5,"signed_size":5,"unsigned_tail":0,"extends_checkpoint":false}
run: (unset LEADVAULT_VAULT; leadvault audit verify --log log.jsonl)
exit: 2
stderr-has: --log needs --pubkey

# ---- one byte changed, at 500 positions spread over the file -----------------------------
# Low bit flipped (never a change of letter case). Every one must exit 6,
# saying why: never 0, never a crash (a sanitizer report or a signal is
# another status).
run: lvtool audit-mutants log.jsonl mut 500
stdout-is: 500
run: n=0; for f in mut/*; do leadvault audit verify --log "$f" --pubkey pub.txt --checkpoint cp.txt > /dev/null 2> err.txt; rc=$?; n=$((n + 1)); [ $rc = 6 ] && grep -q 'FAILED at entry [0-9]*: .' err.txt || echo "byte ${f#mut/}: exit $rc: $(head -c 300 err.txt)"; done; echo "$n checked"
stdout-is: 500 checked
# (Every position, without the outside checkpoint, in-process:
# tests/unit/audit.c.)

# ---- whole lines removed, repeated or swapped ---------------------------------------------
# The last entry and its checkpoint (line 6) removed: consistent on its own,
# caught by the outside checkpoint.
run: sed '6d;$d' log.jsonl > cut.jsonl && leadvault audit verify --log cut.jsonl --pubkey pub.txt
stdout-is: ok: 4 entries, 4 checkpoint signatures verified
run: leadvault audit verify --log cut.jsonl --pubkey pub.txt --checkpoint cp.txt
exit: 6
stderr-has: FAILED at entry 5: log truncated or rolled back
# Only the last entry removed: its checkpoint is still in the file.
run: sed '$d' log.jsonl > cut.jsonl && leadvault audit verify --log cut.jsonl --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 5: log truncated
# A middle entry removed, repeated, or two entries swapped.
run: sed '9d' log.jsonl > cut.jsonl && leadvault audit verify --log cut.jsonl --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 3: entry missing (deleted)
run: sed '9p' log.jsonl > dup.jsonl && leadvault audit verify --log dup.jsonl --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 4:
run: { sed -n '1,7p' log.jsonl; sed -n 9p log.jsonl; sed -n 8p log.jsonl; sed -n '10,$p' log.jsonl; } > swap.jsonl && cmp -s <(sort log.jsonl) <(sort swap.jsonl) && leadvault audit verify --log swap.jsonl --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 2:
# Another vault's key, and the empty file.
run: leadvault --vault other.lv init --admin alice "${LV_KDF[@]}" > /dev/null && leadvault --vault other.lv audit pubkey --out other.pub > /dev/null && leadvault audit verify --log log.jsonl --pubkey other.pub
exit: 6
stderr-has: FAILED at entry 1: the public key belongs to another vault
run: : > empty.jsonl && leadvault audit verify --log empty.jsonl --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 1: the log file is empty

# The vault back in place: the log it exports still verifies.
run: mv away.lv vault.lv && lv_as aud audit export --out log2.jsonl && leadvault audit verify --log log2.jsonl --pubkey pub.txt --checkpoint cp.txt
stdout-has: the log extends the given checkpoint
