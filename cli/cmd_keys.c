/* cmd_keys.c - leadvault rekey, upgrade: the vault's keys and format. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ops.h"
#include "wire.h"

int cmd_upgrade(const cli *c, int argc, char **argv)
{
    cli_args a;
    int rc = args_exact(&a, c, NULL, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    if (cli_ops->remote)
        return cli_local_only(c, "upgrade");
    lv_open_options opts;
    passphrase pass;
    if ((rc = cli_open_options(&opts, &pass, c)) != 0)
        return rc;
    int upgraded = 0;
    rc = lv_vault_upgrade(c->vault_path, &opts, &upgraded);
    passphrase_free(&pass);
    if (rc != 0)
        return fail(c, rc);
    if (c->json)
        return print_json(json_pack("{s:b, s:i}", "upgraded", upgraded, "format", 2));
    if (upgraded)
        printf("upgraded %s to vault format 2; other users' keyslots convert at their next "
               "unlock\n",
               c->vault_path);
    else
        printf("%s is already of vault format 2: nothing to upgrade\n", c->vault_path);
    return EXIT_OK;
}

int cmd_rekey(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {{"reencrypt", 0}, {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    /* Through a server too: it ends every other session (their keys are of
     * the dropped generation); this one goes on with the new keys. */
    lv_vault *vault = NULL;
    if ((rc = cli_open_vault(&vault, c)) != 0)
        return rc;
    lv_rekey_report r;
    rc = cli_ops->vault_rekey(vault, args_has(&a, "reencrypt") ? LV_REKEY_REENCRYPT : 0, &r);
    if (rc != 0)
        return cli_close_vault(c, vault, fail(c, rc));
    int code = EXIT_OK;
    if (c->json)
        code = print_json(wire_rekey_report_json(&r));
    else
        printf("%s key generation %lu (generation %lu dropped): %llu lead data keys re-wrapped, "
               "%llu leads re-encrypted, %llu consent records re-sealed, %llu index tags "
               "recomputed, %llu users given new envelopes\n",
               r.resumed ? "finished rekey to" : "rekeyed to", (unsigned long)r.generation,
               (unsigned long)r.dropped, (unsigned long long)r.leads,
               (unsigned long long)r.reencrypted, (unsigned long long)r.consents,
               (unsigned long long)r.tags, (unsigned long long)r.envelopes);
    return cli_close_vault(c, vault, code);
}
