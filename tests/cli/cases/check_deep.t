desc: check relies on the state digest and says so; check --deep opens every sealed value; a flipped ciphertext byte is named by lead and field either way (the digest catches it, then each lead is checked)
setup: vault
setup: user carl auditor
run: leadvault lead add --first-name Qzann7Kanarie --email qz.ann7kanarie@example.com
save: A
run: leadvault lead add --first-name Qzben7Kanarie --phone '+442079460958'
save: B
run: leadvault check
stdout-is: ok: 2 leads, every row as the vault wrote it (state digest; --deep opens every sealed value)
run: leadvault check --deep
stdout-is: ok: 2 leads, every sealed value opens
run: leadvault --json check --deep | lvtool json leads_checked
stdout-is: 2
# An auditor holds the digest key but no data key: --deep checks every MAC.
run: lv_as carl check
stdout-has: ok: 2 leads, every row as the vault wrote it
run: lv_as carl check --deep
stdout-has: ok: 2 leads, every record MAC holds
run: leadvault check --deep extra
exit: 2

# One byte of A's sealed email flipped with plain SQL (after the format
# byte and the nonce: the ciphertext).
run: lv_flip $A email 30
run: leadvault check
exit: 6
stderr-has: lead $A, field email: sealed value fails to open
stderr-has: the vault's state does not match its digest
stderr-lacks: lead $B
stderr-has: 2 leads checked
stderr-lacks: Kanarie
run: leadvault check --deep
exit: 6
stderr-has: lead $A, field email: sealed value fails to open
stderr-has: the vault's state does not match its digest
