desc: init and upgrade given --server are refused before anything is sent: they create a vault file or change its format, on the server's machine (rekey and user role have endpoints: rekey_role_modes.t)
run: leadvault --server unix:$WORK/no-server.sock --user alice upgrade
exit: 2
stderr-has: not through --server
run: leadvault --server unix:$WORK/no-server.sock --user alice init --admin alice
exit: 2
stderr-has: without --server
