/* auth.c - POST /v1/login, POST /v1/logout, GET /v1/health. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "server.h"
#include "wire.h"

/* What the audit log records as the os_user of a server session: the
 * session id (8 hex), the client address and the operating-system user the
 * client reported, as "srvID8.ADDR.OSUSER" cut to LV_NAME_MAX bytes of
 * [A-Za-z0-9._-] (the library keeps only such names; every other byte, the
 * colons of an IPv6 address among them, becomes '-'). */
void server_audit_os_user(char out[LV_NAME_MAX + 1], const char *id, const char *client,
                          const char *os_user)
{
    (void)snprintf(out, LV_NAME_MAX + 1, "srv%.8s.%s.%s", id, client,
                   os_user != NULL && os_user[0] ? os_user : "unknown");
    for (char *p = out; *p != '\0'; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-'))
            *p = '-';
    }
}

int handle_login(call *c)
{
    const char *user = NULL, *pass = NULL, *os_user = NULL;
    if (wire_string(c->in, "user", 1, &user) != 0 ||
        wire_string(c->in, "passphrase", 1, &pass) != 0 ||
        wire_string(c->in, "os_user", 0, &os_user) != 0)
        return call_fail(c, WIRE_BAD_REQUEST,
                         "login: expected {\"user\": NAME, \"passphrase\": TEXT}");
    size_t pass_len = json_string_length(json_object_get(c->in, "passphrase"));
    if (user[0] == '\0' || strlen(user) > LV_NAME_MAX || pass_len == 0)
        return call_fail(c, LV_EAUTH, "%s", lv_strerror(LV_EAUTH));
    char user_key[RATE_KEY_MAX], addr_key[RATE_KEY_MAX];
    (void)snprintf(user_key, sizeof user_key, "u:%s", user);
    (void)snprintf(addr_key, sizeof addr_key, "a:%s", c->client);
    int64_t now = session_now_ms();
    unsigned wait_user = rate_limit_wait(&c->srv->rate, user_key, now);
    unsigned wait_addr = rate_limit_wait(&c->srv->rate, addr_key, now);
    if (wait_user > 0 || wait_addr > 0) {
        /* Refused before any unlock: not audited in the vault (an
         * unauthenticated client could otherwise grow the append-only log
         * at no cost to itself); the log line shows the 429. */
        c->retry_after = wait_user > wait_addr ? wait_user : wait_addr;
        return call_fail(c, WIRE_RATE_LIMITED,
                         "too many failed logins: try again in %u seconds", c->retry_after);
    }
    if (atomic_fetch_add(&c->srv->logins, 1) >= c->srv->max_logins) {
        atomic_fetch_sub(&c->srv->logins, 1);
        c->retry_after = 1;
        return call_fail(c, WIRE_OVERLOADED, "too many logins at once: try again");
    }
    char id[SESSION_ID_TEXT], audit_user[LV_NAME_MAX + 1];
    session_new_id(id);
    server_audit_os_user(audit_user, id, c->client, os_user);
    lv_open_options opts = LV_OPEN_OPTIONS_INIT;
    opts.user = user;
    opts.passphrase = pass;
    opts.passphrase_len = pass_len;
    opts.os_user = audit_user;
    opts.group = c->srv->group;
    lv_vault *vault = NULL;
    int rc = lv_vault_open(&vault, c->srv->vault_path, &opts);
    atomic_fetch_sub(&c->srv->logins, 1);
    memcpy(c->session_id, id, sizeof id);
    if (rc == LV_EAUTH) {
        rate_limit_fail(&c->srv->rate, user_key, now);
        rate_limit_fail(&c->srv->rate, addr_key, now);
        return rc;
    }
    if (rc != 0)
        return rc;
    rate_limit_clear(&c->srv->rate, user_key);
    const char *name = NULL;
    lv_role role = LV_ROLE_AUDITOR;
    (void)lv_vault_whoami(vault, &name, &role);
    char token[SESSION_TOKEN_TEXT];
    if ((rc = sessions_add(&c->srv->sessions, vault, user, id, token)) != 0)
        return call_fail(c, rc, "too many sessions: try again later");
    c->out = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I}", "token", token, "session", id, "user",
                       user, "role", lv_role_name(role), "idle_seconds",
                       (json_int_t)(c->srv->sessions.idle_ms / 1000), "max_seconds",
                       (json_int_t)(c->srv->sessions.max_ms / 1000));
    sodium_memzero(token, sizeof token);
    return 0;
}

int handle_logout(call *c)
{
    sessions_revoke(&c->srv->sessions, c->session);
    c->out = json_pack("{s:b}", "logged_out", 1);
    return 0;
}

int handle_health(call *c)
{
    /* Nothing about the vault, its users or its sessions. */
    c->out = json_pack("{s:s}", "status", "ok");
    return 0;
}
