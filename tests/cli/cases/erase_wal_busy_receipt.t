desc: an erasure that is committed while another process reads the vault still writes its receipt (the only chance to get one), and it verifies
# docs/cli.md (erase): if the WAL cannot be truncated "because another
# process is reading, the command fails with a message saying the erasure is
# committed". The person is erased then, and a second erase finds nothing
# (exit 4): without the receipt now, there is never one for this request.
setup: vault
setup: user carol compliance
run: leadvault lead add --first-name Wanda --email wanda@example.com
save: ID
run: leadvault audit pubkey --out pub.txt > /dev/null
run: lv_hold_wal
run: lv_as carol erase --email wanda@example.com --request REQ-W --receipt receipt.json
exit: 7
stderr-has: the erasure is committed
run: lv_release_wal
run: lv_as carol erase --email wanda@example.com --request REQ-W --receipt again.json
exit: 4
run: test ! -e again.json
run: stat -c '%a %s' receipt.json
stdout-match: ^600 [1-9][0-9]*$
run: leadvault receipt verify receipt.json --pubkey pub.txt
stdout-is: ok: the receipt's signature verifies
run: lvtool json erased.0.lead_id receipt.json && echo && lvtool json request receipt.json
stdout-has: $ID
stdout-has: REQ-W
