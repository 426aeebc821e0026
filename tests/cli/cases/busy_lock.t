desc: a vault whose write lock another process holds: exit 7 after a bounded wait (about 5 s), nothing stored; the same command works once the lock is gone
setup: vault
run: leadvault lead add --email before@example.com > /dev/null
# A second process takes the write lock and keeps it for 10 s.
run: python3 -c "import os, sqlite3, time; c = sqlite3.connect(os.environ['LEADVAULT_VAULT'], isolation_level=None); c.execute('BEGIN IMMEDIATE'); open('locked', 'w').close(); time.sleep(10)" & for _ in $(seq 200); do [ -e locked ] && break; sleep 0.05; done; s=$(date +%s); leadvault lead add --email during@example.com; rc=$?; e=$(( $(date +%s) - s )); echo "exit $rc, waited $([ $e -ge 4 ] && [ $e -le 9 ] && echo 'about 5 s' || echo "$e s")"; wait
stdout-is: exit 7, waited about 5 s
stderr-has: vault is busy
run: leadvault --json lead list | lvtool json count
stdout-is: 1
run: leadvault lead add --email during@example.com > /dev/null
run: leadvault --json lead list | lvtool json count
stdout-is: 2
run: leadvault check
exit: 0
