/* handlers_keys.c - POST /v1/user/role and POST /v1/rekey: the endpoints
 * that change a user's role or the vault's keys. Both run alone (the
 * endpoint table marks them ENDPOINT_EXCLUSIVE: no other request is in
 * flight), so no session works on with a role or keys they replace. */
/* glibc's feature macro, for pthread_rwlockattr_setkind_np. */
#define _GNU_SOURCE // NOLINT(bugprone-reserved-identifier,cert-dcl37-c)
#include <pthread.h>
#include <string.h>

#include "handlers.h"
#include "server.h"
#include "wire.h"

void keys_lock_init(pthread_rwlock_t *lock)
{
    /* Writers first: a rekey waits for the requests in flight, not for a
     * stream of new ones behind them. */
    pthread_rwlockattr_t attr;
    pthread_rwlockattr_init(&attr);
    pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(lock, &attr);
    pthread_rwlockattr_destroy(&attr);
}

int h_user_role(call *c)
{
    const char *name = NULL, *role_name = NULL;
    if (wire_string(c->in, "name", 1, &name) != 0 || wire_string(c->in, "role", 1, &role_name) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "expected \"name\" and \"role\"");
    lv_role role;
    if (lv_role_parse(&role, role_name) != 0)
        return LV_EINVAL;
    int rc = lv_user_set_role(c->session->vault, name, role);
    if (rc != 0)
        return rc;
    /* The user's sessions hold the old role and its keys: they end (the
     * caller's own too, when an admin changed their own role). */
    sessions_revoke_user(&c->srv->sessions, name, NULL);
    c->out = json_pack("{s:s, s:s}", "user", name, "role", lv_role_name(role));
    return 0;
}

int h_rekey(call *c)
{
    int reencrypt = 0;
    if (wire_bool(c->in, "reencrypt", &reencrypt) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "\"reencrypt\" is true or false");
    /* Every other session holds keys of the generation the rekey drops: an
     * admin's rekey ends them first, so that each closes (signing its audit
     * entries) under its own generation, before the new one exists. They
     * stay ended if the rekey then fails. The caller's own handle goes on
     * with the new keys (lv_vault_rekey moves it to the new generation).
     * Another role's attempt is refused and audited by the library and
     * ends nothing. */
    const char *me = NULL;
    lv_role role = LV_ROLE_AUDITOR;
    if (lv_vault_whoami(c->session->vault, &me, &role) == 0 && role == LV_ROLE_ADMIN)
        sessions_revoke_others(&c->srv->sessions, c->session);
    lv_rekey_report report;
    int rc = lv_vault_rekey(c->session->vault, reencrypt ? LV_REKEY_REENCRYPT : 0, &report);
    if (rc == 0)
        c->out = wire_rekey_report_json(&report);
    return rc;
}
