desc: init, upgrade, rekey and user role given --server are refused before anything is sent: they run on the vault file, on the server's machine
run: leadvault --server unix:$WORK/no-server.sock --user alice rekey
exit: 2
stderr-has: not through --server
run: leadvault --server unix:$WORK/no-server.sock --user alice rekey --reencrypt
exit: 2
stderr-has: not through --server
run: leadvault --server unix:$WORK/no-server.sock --user alice upgrade
exit: 2
stderr-has: not through --server
run: leadvault --server unix:$WORK/no-server.sock --user alice user role bob auditor
exit: 2
stderr-has: not through --server
run: leadvault --server unix:$WORK/no-server.sock --user alice init --admin alice
exit: 2
stderr-has: without --server
