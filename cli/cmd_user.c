/* cmd_user.c - leadvault user add | list | remove | passwd */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ops.h"

static int user_add(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {
        {"role", 1},       {"scope", 1},          {"new-passphrase-file", 1},
        {"kdf-memory", 1}, {"kdf-iterations", 1}, {"kdf-parallelism", 1},
        {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 1, "user NAME");
    if (rc != 0)
        return rc;
    lv_role role;
    if (!args_has(&a, "role"))
        return usage_error(c, "--role is required (admin, sales, compliance, auditor)");
    if (lv_role_parse(&role, args_get(&a, "role")) != 0)
        return usage_error(c, "--role: must be admin, sales, compliance or auditor");
    lv_scope scope = LV_SCOPE_ALL;
    const char *scope_name = args_has(&a, "scope") ? args_get(&a, "scope") : "all";
    if (strcmp(scope_name, "own") == 0)
        scope = LV_SCOPE_OWN;
    else if (strcmp(scope_name, "all") != 0)
        return usage_error(c, "--scope: must be own or all");
    if (scope == LV_SCOPE_OWN && role != LV_ROLE_SALES)
        return usage_error(c, "--scope own: only for the sales role");
    lv_kdf_params kdf;
    if ((rc = parse_kdf(c, &a, &kdf)) != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    passphrase pass;
    if ((rc = passphrase_read_new(&pass, args_get(&a, "new-passphrase-file"),
                                  "Passphrase for the new user: ")) != 0)
        return cli_close_vault(c, vault, rc);
    rc = cli_ops->user_add_scoped(vault, a.positional[0], role, scope, pass.text, pass.len, &kdf);
    passphrase_free(&pass);
    if (rc != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (c->json)
        code = print_json(json_pack("{s:s, s:s, s:s}", "user", a.positional[0], "role",
                                    lv_role_name(role), "scope", scope_name));
    else if (scope == LV_SCOPE_OWN)
        printf("added user %s (%s, own leads only)\n", a.positional[0], lv_role_name(role));
    else
        printf("added user %s (%s)\n", a.positional[0], lv_role_name(role));
    return cli_close_vault(c, vault, code);
}

static int user_list(const cli *c, int argc, char **argv)
{
    lv_vault *vault = NULL;
    int rc = open_without_args(c, argc, argv, &vault);
    if (rc != 0)
        return rc;
    lv_user_info *users = NULL;
    size_t count = 0;
    if ((rc = cli_ops->user_list(vault, &users, &count)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (c->json) {
        json_t *list = json_array();
        for (size_t i = 0; i < count; i++) {
            char created[32];
            lv_time_format(created, users[i].created);
            json_array_append_new(
                list, json_pack("{s:s, s:s, s:s, s:{s:I, s:I, s:I}, s:s}", "name", users[i].name,
                                "role", lv_role_name(users[i].role), "scope",
                                users[i].scope == LV_SCOPE_OWN ? "own" : "all", "kdf", "memory_kib",
                                (json_int_t)users[i].kdf.memory_kib, "iterations",
                                (json_int_t)users[i].kdf.iterations, "parallelism",
                                (json_int_t)users[i].kdf.parallelism, "created", created));
        }
        code = print_json(json_pack("{s:o}", "users", list));
    } else {
        printf("%-24s %-11s %-5s %s\n", "NAME", "ROLE", "SCOPE",
               "KDF (MiB/iterations/parallelism)");
        for (size_t i = 0; i < count; i++)
            printf("%-24s %-11s %-5s %u/%u/%u\n", users[i].name, lv_role_name(users[i].role),
                   users[i].scope == LV_SCOPE_OWN ? "own" : "all", users[i].kdf.memory_kib / 1024u,
                   users[i].kdf.iterations, users[i].kdf.parallelism);
    }
    cli_ops->user_list_free(users);
    return cli_close_vault(c, vault, code);
}

static int remove_user(lv_vault *vault, const char *name)
{
    return cli_ops->user_remove(vault, name);
}

static int user_remove(const cli *c, int argc, char **argv)
{
    return run_one_arg(c, argc, argv, "user NAME", remove_user, "removed", "removed user ");
}

static int user_passwd(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"new-passphrase-file", 1},
                                    {"kdf-memory", 1},
                                    {"kdf-iterations", 1},
                                    {"kdf-parallelism", 1},
                                    {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    lv_kdf_params kdf;
    if ((rc = parse_kdf(c, &a, &kdf)) != 0)
        return rc;
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    passphrase pass;
    if ((rc = passphrase_read_new(&pass, args_get(&a, "new-passphrase-file"),
                                  "New passphrase: ")) != 0)
        return cli_close_vault(c, vault, rc);
    rc = cli_ops->user_passwd(vault, pass.text, pass.len, &kdf);
    passphrase_free(&pass);
    if (rc != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    return cli_report(c, vault, "passphrase_changed", c->user, "passphrase changed for ");
}

static int user_role(const cli *c, int argc, char **argv)
{
    cli_args a;
    int rc = args_exact(&a, c, NULL, argc, argv, 2, "user role NAME ROLE");
    if (rc != 0)
        return rc;
    lv_role role;
    if (lv_role_parse(&role, a.positional[1]) != 0)
        return usage_error(c, "ROLE: must be admin, sales, compliance or auditor");
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    if ((rc = cli_ops->user_set_role(vault, a.positional[0], role)) != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (c->json)
        code = print_json(
            json_pack("{s:s, s:s}", "user", a.positional[0], "role", lv_role_name(role)));
    else
        printf("user %s now has the role %s\n", a.positional[0], lv_role_name(role));
    return cli_close_vault(c, vault, code);
}

int cmd_user(const cli *c, int argc, char **argv)
{
    static const subcommand subs[] = {{"add", user_add, "user add"},
                                      {"list", user_list, "user list"},
                                      {"remove", user_remove, "user remove"},
                                      {"passwd", user_passwd, "user passwd"},
                                      {"role", user_role, "user role"}};
    return dispatch(c, "user", subs, sizeof subs / sizeof subs[0], argc, argv);
}
