desc: a removed user cannot unlock; the last admin and oneself cannot be removed
# Acceptance 5 (remove).
setup: vault
setup: user dave sales
setup: user erin admin
run: leadvault lead add --first-name Kept --email kept@example.com
save: ID
run: lv_as dave lead list
stdout-has: $ID
run: lv_dump | grep -v "^'keyslot'," | grep -v "^'envelope'," > data.before

run: leadvault user remove dave
stdout-has: removed user dave
run: lv_as dave lead list
exit: 3
stderr-has: wrong passphrase or unknown user
stdout-empty
run: lv_as dave lead get $ID --purpose qa_all
exit: 3
stdout-lacks: kept@example.com
run: leadvault --json user list | lvtool json users.length
stdout-is: 2
run: leadvault user list
stdout-lacks: dave
# Re-adding the name makes a new slot: the old passphrase file opens nothing.
run: cp dave.pass dave.old && lv_user dave auditor
run: leadvault --user dave --passphrase-file dave.old lead list
exit: 3

# Not oneself, not the last admin; a sales user may not remove anyone.
run: leadvault user remove alice
exit: 5
stderr-has: cannot remove themselves
run: lv_as erin user remove alice
stdout-has: removed user alice
run: lv_as erin user remove erin
exit: 5
run: leadvault lead list
exit: 3
run: lv_as erin user remove nobody
exit: 4
run: lv_as erin lead list
stdout-has: $ID
run: lv_dump | grep -v "^'keyslot'," | grep -v "^'envelope'," | diff data.before -
