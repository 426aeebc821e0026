desc: user-supplied text with control characters, invalid UTF-8 or over its limit is refused (exit 2) before anything is recorded, a failed unlock records only "invalid user name", and audit show never prints a control byte, even one a file writer put into the log
# Issue 14, acceptance 5. Every rejected text carries the marker Qzcan, which
# must not reach the log in any form.
setup: vault
setup: user comp compliance
setup: user aud auditor
setup: user bob sales
run: leadvault lead add --first-name Ann --email ann@example.com
save: A
run: sqlite3 vault.lv "SELECT count(*) FROM audit" > count.before

# ---- purpose names ----
run: leadvault lead get $A --purpose $'qa_all\e[2JQzcan'
exit: 2
run: leadvault lead find --email ann@example.com --purpose $'Qzcan\x01'
exit: 2
run: leadvault export --purpose $'qa\xffQzcan'
exit: 2
run: leadvault purpose add $'qz\nQzcan' --basis consent --fields email --roles sales
exit: 2
run: leadvault purpose retire $'qa_all\tQzcan'
exit: 2
run: lv_as comp consent grant $A $'qa\x1bQzcan' --evidence 'web form'
exit: 2
# A role that would be denied gets the same refusal, before the denial is recorded.
run: lv_as aud consent withdraw $A $'qa\x07Qzcan'
exit: 2
run: lv_as bob purpose add $'x\rQzcan' --basis consent --fields email --roles sales
exit: 2
# ---- request references ----
run: lv_as comp erase $A --request $'REQ\x07Qzcan'
exit: 2
run: lv_as comp erase $A --request "Qzcan$(printf 'r%.0s' $(seq 1 130))"
exit: 2
run: lv_as aud subject export $A --request $'\xc3Qzcan' --out s.json
exit: 2
run: lv_as comp subject export $A --request $'Qzcan\x7f' --out s.json
exit: 2
run: lv_as bob retention run --request $'Qzcan\e]0;title\a'
exit: 2
run: lv_as comp erase $A --request REQ-1 --ground $'Qzcan\x1b[1m'
exit: 2
# ---- rule names, user names, hold reasons, evidence (a NUL cannot pass through argv:
# the text ends there; import_nul.t covers NUL in imported rows) ----
run: lv_as comp retention add $'old\x1bQzcan' --older-than 1d
exit: 2
run: lv_as bob retention remove $'Qzcan\x1b'
exit: 2
run: leadvault user add $'eve\x1bQzcan' --role sales --new-passphrase-file comp.pass "${LV_KDF[@]}"
exit: 2
run: lv_as comp hold set $A --reason $'case\x1b[8mQzcan'
exit: 2
run: lv_as comp consent grant $A qa_all --evidence $'form\x1bQzcan'
exit: 2
run: sqlite3 vault.lv "SELECT count(*) FROM audit" | diff count.before -

# A user name that is not a user name: the failed unlock is recorded, without it.
run: leadvault --user $'Qzcan\e[31m' lead list
exit: 3
run: sqlite3 vault.lv "SELECT actor FROM audit ORDER BY seq DESC LIMIT 1"
stdout-is: invalid user name
run: sqlite3 vault.lv "SELECT count(*) FROM audit WHERE instr(actor || subject || purpose || request || os_user || action, 'Qzcan') > 0"
stdout-is: 0

# ---- audit show escapes what a file writer planted ----
run: sqlite3 vault.lv "UPDATE audit SET subject = 'x' || char(27) || '[2J' || char(10) || '99 forged line' || char(13) || char(9) || char(127) || char(155) || '\\' || 'é' WHERE seq = 2; UPDATE audit SET request = CAST(x'41ff9b1b42' AS TEXT) WHERE seq = 3;"
run: lv_as aud audit show > shown.txt
run: python3 -c 'import sys; d = open("shown.txt", "rb").read(); print(sum(1 for b in d if (b < 32 and b != 10) or b == 127), d.count(b"\x9b"), d.count(b"\xff"), d.endswith(b"\n"))'
stdout-is: 0 0 0 True
run: grep -c '' shown.txt
save: LINES
run: sqlite3 vault.lv "SELECT count(*) FROM audit WHERE seq <= $LINES"
stdout-is: $LINES
run: grep '^2 ' shown.txt
stdout-has: subject=x\x1B[2J\x0A99 forged line\x0D\x09\x7F\xC2\x9B\\é
run: grep '^3 ' shown.txt
stdout-has: request=A\xFF\x9B\x1BB
# JSON keeps the text exact (here the first entry, whose bytes are valid UTF-8).
run: lv_as aud --json audit show | lvtool json entries.1.subject | od -An -c | tr -s ' ' | head -n 1
stdout-has: x 033 [ 2 J \n 9 9
# The planted entries fail verification, as any edit does.
run: lv_as aud audit verify
exit: 6
