desc: stage and channel names ignore case and are stored canonically; an unknown one exits 2 with the valid names and a close match, in lead add/update/list, export and retention add
setup: vault
run: leadvault lead add --first-name Ann --stage Qualified --source Trade_Show
save: A
run: leadvault lead add --first-name Ben --stage new --source referral
save: B
run: leadvault --json lead list | lvtool pluck leads id,stage,source | grep $A
stdout-is: $A qualified trade_show
run: leadvault lead update $B --stage CONTACTED --source Webinar > /dev/null && leadvault --json lead list | lvtool pluck leads id,stage,source | grep $B
stdout-is: $B contacted webinar
# Filters take the same names, any case.
run: leadvault --json lead list --stage QUALIFIED | lvtool pluck leads id
stdout-is: $A
run: leadvault --json lead list --source Webinar --stage contacted | lvtool pluck leads id
stdout-is: $B
run: leadvault export --purpose qa_all --stage Qualified --format jsonl | lvtool json id
stdout-is: $A

# Unknown names: exit 2 with the list, and a suggestion when one is close.
run: leadvault lead list --stage qualifed
exit: 2
stderr-is: leadvault lead list: stage: unknown stage (did you mean qualified?); expected one of new, contacted, qualified, unqualified, nurturing, converted, lost
run: leadvault lead list --stage bogus
exit: 2
stderr-is: leadvault lead list: stage: unknown stage; expected one of new, contacted, qualified, unqualified, nurturing, converted, lost
run: leadvault lead list --source tradeshow
exit: 2
stderr-has: source: unknown channel (did you mean trade_show?); expected one of advertising, trade_show, direct_mail,
stderr-has: website_form, other
run: leadvault export --purpose qa_all --stage bogus --out x.csv
exit: 2
stderr-has: stage: unknown stage; expected one of new, contacted
run: test ! -e x.csv
run: leadvault export --purpose qa_all --source refferal --out x.csv
exit: 2
stderr-has: (did you mean referral?)
run: leadvault lead add --first-name Cem --stage wonn
exit: 2
stderr-has: stage: unknown stage; expected one of new,
run: leadvault lead update $A --source Linkedin
exit: 2
stderr-has: source: unknown channel; expected one of advertising
# What was typed is never quoted back (it could be pasted personal data).
run: leadvault lead list --stage 'ann@example.com'
exit: 2
stderr-has: stage: unknown stage; expected one of
stderr-lacks: ann@
# Retention rules store the canonical names too.
run: leadvault retention add lost_old --stage LOST --source Trade_Show --older-than 90d > /dev/null && leadvault --json retention list | lvtool pluck rules name,stage,source
stdout-is: lost_old lost trade_show
run: leadvault retention add bad_rule --stage gone --older-than 90d
exit: 2
stderr-has: stage: unknown stage;
# Nothing else changed.
run: lv_count
stdout-is: 2
