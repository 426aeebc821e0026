desc: a retention rule name, --stage or --source too long for the rule is refused with exit 2, never cut to fit and stored
setup: vault
run: leadvault retention add rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrx --older-than 30d
exit: 2
stderr-is: leadvault retention add: rule name: lower-case letters, digits and _ (1 to 64)
run: leadvault retention add short --stage newnewnewnewnewnew --older-than 30d
exit: 2
stderr-is: leadvault retention add: stage: unknown stage
run: leadvault retention add short --source webinarwebinarwebinarwebinarwebinar --older-than 30d
exit: 2
stderr-is: leadvault retention add: source: unknown channel
run: leadvault --json retention list | lvtool json rules.length
stdout-is: 0
# the longest name is still accepted whole
run: leadvault retention add rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr --older-than 30d
stdout-is: added retention rule rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr
