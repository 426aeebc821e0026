desc: a checkpoint whose signature or head has the wrong length, or whose size is 0, fails verification naming a real entry (never entry 0) and a reason
# Acceptance (audit) 1, "changing a checkpoint signature": a signature cut
# to 63 bytes (or a head to 31) is as much a changed signature as a flipped
# byte, and must be reported the same way: exit 6, "FAILED at entry N: <why>"
# with N the size the checkpoint signs, never entry 0 with no reason.
setup: vault
run: leadvault lead add --first-name Ann --email ann@example.com
run: leadvault lead list
run: leadvault audit pubkey --out pub.txt
run: sqlite3 vault.lv "SELECT size, length(signature), length(head) FROM audit_checkpoint WHERE id = 3"
stdout-is: 3|64|32
run: test ! -e vault.lv-wal && cp vault.lv orig.lv

# The guard: a flipped byte of the same checkpoint is reported as expected.
run: cp orig.lv t.lv && sqlite3 t.lv "$(lvtool audit-tamper-sql audit_checkpoint 3 signature | cut -f2)" && leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
stderr-has: FAILED at entry 3: signature of the checkpoint at size 3

run: cp orig.lv t.lv && sqlite3 t.lv "UPDATE audit_checkpoint SET signature = substr(signature, 1, 63) WHERE id = 3" && leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
stderr-match: FAILED at entry 3: .*checkpoint
stderr-lacks: FAILED at entry 0
run: leadvault --json --vault t.lv audit verify --pubkey pub.txt | lvtool json first_bad_seq
exit: 6
stdout-is: 3
run: leadvault --vault t.lv audit verify
exit: 6
stderr-match: FAILED at entry 3: .*checkpoint

run: cp orig.lv t.lv && sqlite3 t.lv "UPDATE audit_checkpoint SET head = substr(head, 1, 31) WHERE id = 3" && leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
stderr-match: FAILED at entry 3: .*checkpoint

# A checkpoint claiming size 0 (its size changed, so its signature fails):
# there is no entry 0 to name.
run: cp orig.lv t.lv && sqlite3 t.lv "UPDATE audit_checkpoint SET size = 0 WHERE id = 1" && leadvault --vault t.lv audit verify --pubkey pub.txt
exit: 6
stderr-match: FAILED at entry [1-9][0-9]*: .*checkpoint
setup: user aud auditor
run: lv_as aud audit export --out log.jsonl && sed '2s/\\n1\\n/\\n0\\n/' log.jsonl > zero.jsonl && ! cmp -s log.jsonl zero.jsonl && leadvault audit verify --log zero.jsonl --pubkey pub.txt
exit: 6
stderr-match: FAILED at entry [1-9][0-9]*: .*checkpoint
