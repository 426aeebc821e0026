desc: KDF settings are stored per keyslot and honoured: user list --json shows each slot's own, and each unlocks
# Acceptance 6 (per slot).
setup: vault
run: lv_user dave sales --kdf-memory 32
run: lv_user erin auditor --kdf-memory 20 --kdf-iterations 3 --kdf-parallelism 2
run: lv_user fred compliance --kdf-memory 24 --kdf-iterations 2 --kdf-parallelism 1

run: leadvault --json user list > users.json
run: lvtool json users.length users.json
stdout-is: 4
run: lvtool json users.0 users.json
stdout-has: "name": "alice"
stdout-has: "memory_kib": 19456
stdout-has: "iterations": 2
stdout-has: "parallelism": 4
run: lvtool json users.1.name users.json
stdout-is: dave
run: lvtool json users.1.kdf users.json
stdout-is: {"memory_kib": 32768, "iterations": 2, "parallelism": 4}
run: lvtool json users.2.name users.json
stdout-is: erin
run: lvtool json users.2.kdf users.json
stdout-is: {"memory_kib": 20480, "iterations": 3, "parallelism": 2}
run: lvtool json users.3.kdf users.json
stdout-is: {"memory_kib": 24576, "iterations": 2, "parallelism": 1}
run: leadvault user list
stdout-match: ^dave +sales +all +32/2/4$
stdout-match: ^erin +auditor +all +20/3/2$
stdout-match: ^alice +admin +all +19/2/4$

# What the file holds is what was asked.
run: sqlite3 vault.lv "SELECT name, kdf_memory, kdf_iterations, kdf_parallelism FROM keyslot ORDER BY name"
stdout-has: dave|32768|2|4
stdout-has: erin|20480|3|2
stdout-has: fred|24576|2|1

# Each user unlocks with their own slot's parameters.
run: lv_as dave lead add --first-name Made-by-dave
save: ID
run: lv_as erin check
stdout-has: ok: 1 leads
run: lv_as fred lead get $ID --purpose qa_all --fields first_name
stdout-has: first_name: Made-by-dave
run: leadvault lead list
stdout-has: $ID

# The parameters are bound to the slot: edited in the file, it no longer
# unlocks (the key derived differs, or the slot fails its integrity check).
run: sqlite3 vault.lv "UPDATE keyslot SET kdf_memory = 19456 WHERE name = 'dave'"
run: lv_as dave lead list; rc=$?; echo "exit $rc"; [ $rc = 3 ] || [ $rc = 6 ]
stdout-lacks: $ID
# A slot edited below the floor is refused as tampered, without a KDF run.
run: sqlite3 vault.lv "UPDATE keyslot SET kdf_memory = 1024, kdf_iterations = 1 WHERE name = 'dave'"
run: lv_as dave lead list
exit: 6
stderr-has: keyslot of user 'dave' has invalid KDF parameters
run: sqlite3 vault.lv "UPDATE keyslot SET kdf_memory = 32768, kdf_iterations = 2 WHERE name = 'dave'"
run: lv_as dave lead list
stdout-has: $ID

# passwd keeps the slot's own settings, unless told otherwise.
run: printf 'dave two\n' > dave.new && lv_as dave user passwd --new-passphrase-file dave.new
run: sqlite3 vault.lv "SELECT kdf_memory, kdf_iterations, kdf_parallelism FROM keyslot WHERE name = 'dave'"
stdout-is: 32768|2|4
run: leadvault --user dave --passphrase-file dave.new user passwd --new-passphrase-file dave.new --kdf-memory 21 --kdf-iterations 3
run: leadvault --json user list | lvtool json users.1.kdf
stdout-is: {"memory_kib": 21504, "iterations": 3, "parallelism": 4}
run: leadvault --user dave --passphrase-file dave.new lead list
stdout-has: $ID
