desc: a refused subject export or erasure never truncates or deletes a file that was already at --out / --receipt
# style.md: files are created 0600 with O_EXCL|O_NOFOLLOW. A refused export
# (wrong role) must leave an existing file as it was, and a receipt must not
# replace an earlier one.
setup: vault
setup: user carol compliance
run: leadvault lead add --first-name Xavier --email xavier@example.com
save: ID
run: printf 'precious, not an export\n' > notes.txt && cp notes.txt notes.orig
run: leadvault subject export $ID --request R-1 --out notes.txt
exit: 5
run: cmp notes.txt notes.orig
run: lv_as carol subject export $ID --request R-1 --out notes.txt
exit: 1
run: cmp notes.txt notes.orig
run: printf 'an earlier receipt\n' > receipt.json && cp receipt.json receipt.orig
run: lv_as carol erase $ID --request R-2 --receipt receipt.json
exit: 1
run: cmp receipt.json receipt.orig
run: leadvault --json lead get $ID --purpose qa_all | lvtool json fields.first_name
stdout-is: Xavier
