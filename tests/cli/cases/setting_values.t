desc: settings: admin only, names and values validated (exit 2: unknown name, control character, over 256 bytes), "" clears, the audit log names the setting but never its value
setup: vault
setup: user sam sales
run: leadvault setting set controller 'Kanarie Holding B.V.'
stdout-is: set controller
run: leadvault setting set dpo_contact 'dpo@kanarie.example'
run: leadvault setting list
stdout-has: controller: Kanarie Holding B.V.
stdout-has: dpo_contact: dpo@kanarie.example
stdout-has: representative: (not set)
run: leadvault --json setting list | lvtool json settings.dpo_contact
stdout-is: dpo@kanarie.example
run: leadvault setting set controler 'typo'
exit: 2
stderr-has: unknown name
run: leadvault setting set controller $'two\nlines'
exit: 2
stderr-has: control character
run: leadvault setting set controller "$(printf 'x%.0s' $(seq 257))"
exit: 2
stderr-has: longer than 256 bytes
run: leadvault setting set controller "$(printf 'x%.0s' $(seq 256))"
run: leadvault setting set controller
exit: 2
run: lv_as sam setting set controller 'Sales Inc'
exit: 5
stderr-has: may not manage vault settings
run: leadvault setting set dpo_contact ''
run: leadvault setting list
stdout-has: dpo_contact: (not set)
# Four sets and sam's denied one; values refused as input are not audited.
run: lv_user cora compliance >/dev/null && lv_as cora --json audit show --action setting.set | lvtool json entries.length
stdout-is: 5
run: lv_as cora audit show --action setting.set
stdout-has: subject=dpo_contact
stdout-lacks: Kanarie
stdout-lacks: kanarie
