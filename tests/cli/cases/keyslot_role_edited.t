desc: a keyslot whose role or date is edited in the file (a sales user making herself admin) unlocks nothing: exit 6, named, audited; put back, it works again
setup: vault
setup: user bob sales
setup: user carl compliance
run: lv_as bob user list
exit: 5

# The wrapped master key still opens under bob's passphrase; the slot's MAC
# under the master key is what refuses the new role.
run: sqlite3 vault.lv "UPDATE keyslot SET role = 1 WHERE name = 'bob'"
run: lv_as bob user list
exit: 6
stderr-is: leadvault user list: keyslot of user 'bob' failed its integrity check (role or parameters altered)
stdout-empty
run: leadvault check
exit: 6
stderr-has: keyslot of user 'bob' failed its integrity check
run: lv_as carl audit show --action vault.unlock
stdout-match: ^[0-9]+ [-0-9T:.Z]+ bob vault\.unlock error code=-6 
run: lv_as carl audit verify
stdout-has: ok:

run: sqlite3 vault.lv "UPDATE keyslot SET role = 2 WHERE name = 'bob'"
run: lv_as bob lead list
run: sqlite3 vault.lv "UPDATE keyslot SET created = created + 1 WHERE name = 'bob'"
run: lv_as bob lead list
exit: 6
stderr-has: keyslot of user 'bob' failed its integrity check
