/* cmd_login.c - leadvault login | logout: a session of the --server whose
 * token is cached (client.c) so that later commands need no passphrase. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "client.h"
#include "ops.h"

static int need_server(const cli *c)
{
    if (!cli_ops->remote)
        return usage_error(c, "no server given (--server URL or LEADVAULT_SERVER)");
    if (c->user == NULL)
        return usage_error(c, "no user given (--user NAME or LEADVAULT_USER)");
    return 0;
}

int cmd_login(const cli *c, int argc, char **argv)
{
    cli_args a;
    int rc = args_exact(&a, c, NULL, argc, argv, 0, NULL);
    if (rc != 0 || (rc = need_server(c)) != 0)
        return rc;
    char probe[128];
    /* Where the token will go is checked before the passphrase is asked. */
    rc = token_cache_read(c->user, probe, sizeof probe);
    sodium_memzero(probe, sizeof probe);
    if (rc != 0 && rc != LV_ENOTFOUND)
        return usage_error(c, "%s", client_error());
    passphrase pass;
    if ((rc = passphrase_read(&pass, c, "Vault passphrase: ")) != 0)
        return rc;
    json_t *reply = NULL;
    rc = client_post("/v1/login", NULL,
                     json_pack("{s:s, s:s%, s:s?}", "user", c->user, "passphrase", pass.text,
                               pass.len, "os_user", os_user_name()),
                     &reply);
    passphrase_free(&pass);
    if (rc != 0)
        return fail(c, rc);
    const char *token = json_string_value(json_object_get(reply, "token"));
    const char *role = json_string_value(json_object_get(reply, "role"));
    json_int_t idle = json_integer_value(json_object_get(reply, "idle_seconds"));
    json_int_t max = json_integer_value(json_object_get(reply, "max_seconds"));
    if (token == NULL || role == NULL) {
        json_decref(reply);
        return usage_error(c, "the server's login reply is malformed");
    }
    if (token_cache_write(c->user, token) != 0) {
        /* Not kept: end the session at once rather than leave it live. */
        json_t *ignored = NULL;
        (void)client_post("/v1/logout", token, json_object(), &ignored);
        json_decref(ignored);
        json_decref(reply);
        (void)fprintf(stderr, "leadvault login: %s\n", client_error());
        return EXIT_ERROR;
    }
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:s, s:s, s:s, s:I, s:I}", "server", client_url(), "user",
                                    c->user, "role", role, "idle_seconds", idle, "max_seconds",
                                    max));
    else
        printf("logged in to %s as %s (%s); the session ends after %lld s idle, %lld s at most\n",
               client_url(), c->user, role, (long long)idle, (long long)max);
    json_decref(reply);
    return code;
}

int cmd_logout(const cli *c, int argc, char **argv)
{
    cli_args a;
    int rc = args_exact(&a, c, NULL, argc, argv, 0, NULL);
    if (rc != 0 || (rc = need_server(c)) != 0)
        return rc;
    char token[128];
    rc = token_cache_read(c->user, token, sizeof token);
    if (rc == LV_ENOTFOUND) {
        (void)fprintf(stderr, "leadvault logout: no session of %s at %s\n", c->user,
                      client_url());
        return EXIT_NOTFOUND;
    }
    if (rc != 0)
        return usage_error(c, "%s", client_error());
    json_t *reply = NULL;
    rc = client_post("/v1/logout", token, json_object(), &reply);
    sodium_memzero(token, sizeof token);
    json_decref(reply);
    /* The token goes either way: an expired session is as good as ended. */
    (void)token_cache_remove(c->user);
    if (rc != 0 && rc != LV_EAUTH)
        return fail(c, rc);
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:s, s:s}", "logged_out", c->user, "server", client_url()));
    else
        printf("logged out %s from %s\n", c->user, client_url());
    return code;
}
