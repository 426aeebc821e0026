/* client_ops.c - the remote table: each stub sends its call to the server
 * (server/handlers.c names the endpoints) and gives back what the lv_*
 * function of the same name would, from the reply, through wire.c. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "client_session.h"
#include "ops.h"
#include "wire.h"

static _Thread_local int last_failed_remote;

static const char *remote_error_last(void)
{
    return last_failed_remote ? client_error() : lv_error_last();
}

int client_stub_call(lv_vault *vault, const char *path, json_t *body, json_t **reply)
{
    const remote_session *s = (const remote_session *)(const void *)vault;
    json_t *ignored = NULL;
    int rc = client_post(path, s->token, body != NULL ? body : json_object(),
                         reply != NULL ? reply : &ignored);
    json_decref(ignored);
    last_failed_remote = rc != 0;
    return rc;
}

static const char *lookup_name(lv_lookup by)
{
    return by == LV_LOOKUP_PHONE ? "phone" : "email";
}

/* ---- vault ---- */

static int r_vault_open(lv_vault **out, const char *path, const lv_open_options *opts)
{
    (void)path;
    last_failed_remote = 1;
    if (opts->passphrase == NULL) {
        char token[128];
        int rc = token_cache_read(opts->user, token, sizeof token);
        if (rc == LV_ENOTFOUND)
            return LV_EAUTH;
        if (rc == 0)
            rc = client_vault_attach(out, opts->user, token);
        sodium_memzero(token, sizeof token);
        last_failed_remote = rc != 0;
        return rc;
    }
    int rc =
        client_vault_login(out, opts->user, opts->passphrase, opts->passphrase_len, opts->os_user);
    last_failed_remote = rc != 0;
    return rc;
}

static int r_vault_close(lv_vault *vault)
{
    if (vault == NULL)
        return 0;
    remote_session *s = (remote_session *)(void *)vault;
    int rc = 0;
    if (s->own_login) {
        rc = client_stub_call(vault, "/v1/logout", NULL, NULL);
        /* Already ended by the server (a user who changed their own role):
         * no session is left, which is what a logout is for. */
        if (rc == LV_EAUTH)
            rc = 0;
    }
    sodium_memzero(s, sizeof *s);
    free(s);
    return rc;
}

static void r_vault_id(const lv_vault *vault, char out[LV_ID_STRLEN + 1])
{
    (void)vault;
    memset(out, '0', LV_ID_STRLEN);
    out[LV_ID_STRLEN] = '\0';
}

/* The user and role the server named at login; a session attached from
 * a cached token knows its user only. */
static int r_vault_whoami(const lv_vault *vault, const char **name, lv_role *role)
{
    const remote_session *s = (const remote_session *)(const void *)vault;
    if (!s->own_login)
        return LV_ENOTFOUND; /* the caller falls back to the general wording */
    *name = s->user;
    *role = s->role;
    return 0;
}

static int r_vault_check(lv_vault *vault, const lv_check_options *opts, lv_check_fn fn, void *ctx,
                         uint64_t *leads_checked)
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/check", json_pack("{s:b}", "deep", opts->deep != 0),
                              &reply);
    if (rc != 0)
        return rc;
    const json_t *p_list = json_object_get(reply, "problems");
    for (size_t i = 0; i < json_array_size(p_list); i++) {
        json_t *p = json_array_get(p_list, i);
        fn(ctx, json_string_value(json_object_get(p, "lead")),
           json_string_value(json_object_get(p, "field")),
           json_string_value(json_object_get(p, "problem")));
    }
    *leads_checked = (uint64_t)json_integer_value(json_object_get(reply, "leads_checked"));
    rc = json_is_true(json_object_get(reply, "ok")) ? 0 : LV_ECORRUPT;
    json_decref(reply);
    return rc;
}

/* ---- users ---- */

static json_t *kdf_json(const lv_kdf_params *kdf)
{
    return json_pack("{s:I, s:I, s:I}", "memory_kib", (json_int_t)(kdf ? kdf->memory_kib : 0),
                     "iterations", (json_int_t)(kdf ? kdf->iterations : 0), "parallelism",
                     (json_int_t)(kdf ? kdf->parallelism : 0));
}

static int r_user_add_scoped(lv_vault *vault, const char *name, lv_role role, lv_scope scope,
                             const char *passphrase, size_t passphrase_len,
                             const lv_kdf_params *kdf)
{
    return client_stub_call(
        vault, "/v1/user/add",
        json_pack("{s:o, s:s, s:s, s:o, s:o}", "name", wire_bytes(name), "role", lv_role_name(role),
                  "scope", scope == LV_SCOPE_OWN ? "own" : "all", "passphrase",
                  wire_bytesn(passphrase, passphrase_len), "kdf", kdf_json(kdf)),
        NULL);
}

static int r_user_remove(lv_vault *vault, const char *name)
{
    return client_stub_call(vault, "/v1/user/remove", json_pack("{s:o}", "name", wire_bytes(name)),
                            NULL);
}

static int r_user_passwd(lv_vault *vault, const char *new_passphrase, size_t new_passphrase_len,
                         const lv_kdf_params *kdf)
{
    return client_stub_call(vault, "/v1/user/passwd",
                            json_pack("{s:o, s:o}", "passphrase",
                                      wire_bytesn(new_passphrase, new_passphrase_len), "kdf",
                                      kdf_json(kdf)),
                            NULL);
}

static int r_user_set_role(lv_vault *vault, const char *name, lv_role role)
{
    return client_stub_call(vault, "/v1/user/role",
                            json_pack("{s:s, s:s}", "name", name, "role", lv_role_name(role)),
                            NULL);
}

static int r_vault_rekey(lv_vault *vault, unsigned flags, lv_rekey_report *report)
{
    memset(report, 0, sizeof *report);
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/rekey",
                              json_pack("{s:b}", "reencrypt", (flags & LV_REKEY_REENCRYPT) != 0),
                              &reply);
    if (rc == 0 && wire_rekey_report_from_json(report, reply) != 0)
        rc = client_stub_malformed();
    json_decref(reply);
    return rc;
}

static int r_user_list(lv_vault *vault, lv_user_info **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/user/list", NULL, &reply);
    if (rc != 0)
        return rc;
    const json_t *users = json_object_get(reply, "users");
    size_t n = json_array_size(users);
    *out = calloc(n ? n : 1, sizeof **out);
    if (*out == NULL) {
        json_decref(reply);
        return LV_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *u = json_array_get(users, i);
        lv_user_info *info = &(*out)[i];
        (void)snprintf(info->name, sizeof info->name, "%s",
                       json_string_value(json_object_get(u, "name")) ?: "");
        if (lv_role_parse(&info->role, json_string_value(json_object_get(u, "role")) ?: "") != 0)
            info->role = LV_ROLE_AUDITOR;
        const char *scope = json_string_value(json_object_get(u, "scope"));
        info->scope = scope != NULL && strcmp(scope, "own") == 0 ? LV_SCOPE_OWN : LV_SCOPE_ALL;
        const json_t *kdf = json_object_get(u, "kdf");
        info->kdf.memory_kib = (uint32_t)json_integer_value(json_object_get(kdf, "memory_kib"));
        info->kdf.iterations = (uint32_t)json_integer_value(json_object_get(kdf, "iterations"));
        info->kdf.parallelism = (uint32_t)json_integer_value(json_object_get(kdf, "parallelism"));
        info->created = json_integer_value(json_object_get(u, "created"));
    }
    *count = n;
    json_decref(reply);
    return 0;
}

static void r_user_list_free(lv_user_info *users)
{
    free(users);
}

/* ---- leads ---- */

static int r_lead_add(lv_vault *vault, char out_id[LV_ID_STRLEN + 1], const lv_lead_input *in)
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/lead/add", wire_lead_input_json(in), &reply);
    if (rc == 0)
        (void)snprintf(out_id, LV_ID_STRLEN + 1, "%s",
                       json_string_value(json_object_get(reply, "id")) ?: "");
    json_decref(reply);
    return rc;
}

static int r_lead_update(lv_vault *vault, const char *id, const lv_lead_input *in)
{
    json_t *body = wire_lead_input_json(in);
    json_object_set_new(body, "id", wire_bytes(id));
    return client_stub_call(vault, "/v1/lead/update", body, NULL);
}

static void r_lead_free(lv_lead *lead)
{
    if (lead == NULL)
        return;
    wire_lead_values_free(lead);
    sodium_memzero(lead, sizeof *lead);
    free(lead);
}

static void r_lead_list_free(lv_lead **leads, size_t count)
{
    for (size_t i = 0; leads != NULL && i < count; i++)
        r_lead_free(leads[i]);
    free(leads);
}

void client_stub_fail_local(const char *message)
{
    last_failed_remote = 1;
    client_set_error("%s", message);
}

int client_stub_malformed(void)
{
    last_failed_remote = 1;
    client_set_error("the server's reply is malformed");
    return LV_ERROR;
}

static int lead_from(lv_lead **out, const json_t *json)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return LV_ERROR;
    if (wire_lead_from_json(*out, json) != 0) {
        free(*out);
        *out = NULL;
        return client_stub_malformed();
    }
    return 0;
}

static int r_lead_get(lv_lead **out, lv_vault *vault, const char *id, const char *purpose,
                      uint32_t fields)
{
    *out = NULL;
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/lead/get",
                              json_pack("{s:o, s:o?, s:I}", "id", wire_bytes(id), "purpose",
                                        wire_bytes(purpose), "fields", (json_int_t)fields),
                              &reply);
    if (rc == 0)
        rc = lead_from(out, reply);
    json_decref(reply);
    return rc;
}

static int leads_from(lv_lead ***out, size_t *count, json_t *reply)
{
    const json_t *list = json_object_get(reply, "leads");
    size_t n = json_array_size(list);
    *out = calloc(n ? n : 1, sizeof(lv_lead *));
    *count = 0;
    if (*out == NULL)
        return LV_ERROR;
    for (size_t i = 0; i < n; i++) {
        int rc = lead_from(&(*out)[i], json_array_get(list, i));
        if (rc != 0) {
            r_lead_list_free(*out, i);
            *out = NULL;
            return rc;
        }
    }
    *count = n;
    return 0;
}

static int r_lead_find(lv_lead ***out, size_t *count, lv_vault *vault, lv_lookup by,
                       const char *value, const char *purpose, uint32_t fields)
{
    *out = NULL;
    *count = 0;
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/lead/find",
                              json_pack("{s:s, s:o, s:o?, s:I}", "by", lookup_name(by), "value",
                                        wire_bytes(value), "purpose", wire_bytes(purpose), "fields",
                                        (json_int_t)fields),
                              &reply);
    if (rc == 0)
        rc = leads_from(out, count, reply);
    json_decref(reply);
    return rc;
}

static int r_lead_search(lv_lead ***out, size_t *count, lv_vault *vault, const char *text,
                         const char *purpose, size_t limit)
{
    *out = NULL;
    *count = 0;
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/lead/search",
                              json_pack("{s:o, s:o?, s:I}", "text", wire_bytes(text), "purpose",
                                        wire_bytes(purpose), "limit", (json_int_t)limit),
                              &reply);
    if (rc == 0)
        rc = leads_from(out, count, reply);
    json_decref(reply);
    return rc;
}

static json_t *filter_json(const lv_lead_filter *filter)
{
    return json_pack("{s:o?, s:o?, s:o?}", "stage", wire_bytes(filter ? filter->stage : NULL),
                     "source", wire_bytes(filter ? filter->source : NULL), "owner",
                     wire_bytes(filter ? filter->owner : NULL));
}

static int r_lead_list(lv_vault *vault, const lv_lead_filter *filter, lv_lead_meta_fn fn, void *ctx)
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/lead/list", filter_json(filter), &reply);
    if (rc != 0)
        return rc;
    const json_t *item_list = json_object_get(reply, "leads");
    for (size_t i = 0; i < json_array_size(item_list); i++) {
        json_t *item = json_array_get(item_list, i);
        lv_lead_meta meta;
        if (wire_meta_from_json(&meta, item) != 0) {
            rc = client_stub_malformed();
            break;
        }
        if (fn(ctx, &meta) != 0)
            break;
    }
    json_decref(reply);
    return rc;
}

static int r_lead_list_reveal(lv_vault *vault, const lv_lead_filter *filter, const char *purpose,
                              uint32_t fields, lv_lead_fn fn, void *ctx)
{
    json_t *body = filter_json(filter);
    json_object_set_new(body, "purpose", purpose ? wire_bytes(purpose) : json_null());
    json_object_set_new(body, "fields", json_integer(fields ? fields : LV_FIELD_MASK_ALL));
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/lead/list", body, &reply);
    if (rc != 0)
        return rc;
    const json_t *item_list = json_object_get(reply, "leads");
    for (size_t i = 0; i < json_array_size(item_list); i++) {
        json_t *item = json_array_get(item_list, i);
        lv_lead lead;
        if (wire_lead_from_json(&lead, item) != 0) {
            rc = client_stub_malformed();
            break;
        }
        int stop = fn(ctx, &lead);
        wire_lead_values_free(&lead);
        if (stop)
            break;
    }
    json_decref(reply);
    return rc;
}

static int r_lead_assign(lv_vault *vault, const char *lead_id, const char *user)
{
    return client_stub_call(
        vault, "/v1/lead/assign",
        json_pack("{s:o, s:o}", "id", wire_bytes(lead_id), "user", wire_bytes(user)), NULL);
}

/* ---- purposes, consent ---- */

static int r_purpose_add(lv_vault *vault, const char *name, lv_basis basis, uint32_t fields,
                         uint32_t roles)
{
    return client_stub_call(vault, "/v1/purpose/add",
                            json_pack("{s:o, s:i, s:I, s:I}", "name", wire_bytes(name), "basis",
                                      (int)basis, "fields", (json_int_t)fields, "roles",
                                      (json_int_t)roles),
                            NULL);
}

static int r_purpose_retire(lv_vault *vault, const char *name)
{
    return client_stub_call(vault, "/v1/purpose/retire",
                            json_pack("{s:o}", "name", wire_bytes(name)), NULL);
}

static int r_purpose_list(lv_vault *vault, lv_purpose_info **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/purpose/list", NULL, &reply);
    if (rc != 0)
        return rc;
    const json_t *list = json_object_get(reply, "purposes");
    size_t n = json_array_size(list);
    *out = calloc(n ? n : 1, sizeof **out);
    if (*out == NULL) {
        json_decref(reply);
        return LV_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *p = json_array_get(list, i);
        lv_purpose_info *info = &(*out)[i];
        (void)snprintf(info->name, sizeof info->name, "%s",
                       json_string_value(json_object_get(p, "name")) ?: "");
        info->basis = (lv_basis)json_integer_value(json_object_get(p, "basis"));
        info->fields = (uint32_t)json_integer_value(json_object_get(p, "fields"));
        info->roles = (uint32_t)json_integer_value(json_object_get(p, "roles"));
        info->created = json_integer_value(json_object_get(p, "created"));
        info->retired = json_integer_value(json_object_get(p, "retired"));
    }
    *count = n;
    json_decref(reply);
    return 0;
}

static void r_purpose_list_free(lv_purpose_info *purposes)
{
    free(purposes);
}

static int consent_call(lv_vault *vault, const char *path, json_t *body, char *lead_id)
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, path, body, &reply);
    if (rc == 0 && lead_id != NULL)
        (void)snprintf(lead_id, LV_ID_STRLEN + 1, "%s",
                       json_string_value(json_object_get(reply, "id")) ?: "");
    json_decref(reply);
    return rc;
}

static int r_consent_grant(lv_vault *vault, const char *lead_id, const char *purpose,
                           const char *evidence, const char *notice_version, int64_t expires)
{
    return consent_call(vault, "/v1/consent/grant",
                        json_pack("{s:o, s:o, s:o?, s:o?, s:I}", "id", wire_bytes(lead_id),
                                  "purpose", wire_bytes(purpose), "evidence", wire_bytes(evidence),
                                  "notice_version", wire_bytes(notice_version), "expires",
                                  (json_int_t)expires),
                        NULL);
}

static int r_consent_withdraw(lv_vault *vault, const char *lead_id, const char *purpose,
                              const char *reason)
{
    return consent_call(vault, "/v1/consent/withdraw",
                        json_pack("{s:o, s:o, s:o?}", "id", wire_bytes(lead_id), "purpose",
                                  wire_bytes(purpose), "reason", wire_bytes(reason)),
                        NULL);
}

static int r_consent_grant_by(lv_vault *vault, char lead_id[LV_ID_STRLEN + 1], lv_lookup by,
                              const char *value, const char *purpose, const char *evidence,
                              const char *notice_version, int64_t expires)
{
    return consent_call(vault, "/v1/consent/grant",
                        json_pack("{s:s, s:o, s:o, s:o?, s:o?, s:I}", "by", lookup_name(by),
                                  "value", wire_bytes(value), "purpose", wire_bytes(purpose),
                                  "evidence", wire_bytes(evidence), "notice_version",
                                  wire_bytes(notice_version), "expires", (json_int_t)expires),
                        lead_id);
}

static int r_consent_withdraw_by(lv_vault *vault, char lead_id[LV_ID_STRLEN + 1], lv_lookup by,
                                 const char *value, const char *purpose, const char *reason)
{
    return consent_call(vault, "/v1/consent/withdraw",
                        json_pack("{s:s, s:o, s:o, s:o?}", "by", lookup_name(by), "value",
                                  wire_bytes(value), "purpose", wire_bytes(purpose), "reason",
                                  wire_bytes(reason)),
                        lead_id);
}

static char *sealed_copy(const json_t *v, size_t *len)
{
    *len = 0;
    if (!json_is_string(v))
        return NULL;
    *len = json_string_length(v);
    char *copy = sodium_malloc(*len + 1);
    if (copy != NULL)
        memcpy(copy, json_string_value(v), *len + 1);
    return copy;
}

static void r_consent_history_free(lv_consent_record *records, size_t count)
{
    for (size_t i = 0; records != NULL && i < count; i++) {
        if (records[i].evidence != NULL)
            sodium_free(records[i].evidence);
        if (records[i].reason != NULL)
            sodium_free(records[i].reason);
    }
    free(records);
}

static int r_consent_history(lv_consent_record **out, size_t *count, lv_vault *vault,
                             const char *lead_id)
{
    *out = NULL;
    *count = 0;
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/consent/history",
                              json_pack("{s:o}", "id", wire_bytes(lead_id)), &reply);
    if (rc != 0)
        return rc;
    const json_t *list = json_object_get(reply, "records");
    size_t n = json_array_size(list);
    *out = calloc(n ? n : 1, sizeof **out);
    if (*out == NULL) {
        json_decref(reply);
        return LV_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(list, i);
        lv_consent_record *rec = &(*out)[i];
        (void)snprintf(rec->purpose, sizeof rec->purpose, "%s",
                       json_string_value(json_object_get(r, "purpose")) ?: "");
        rec->granted = json_is_true(json_object_get(r, "granted"));
        rec->time = json_integer_value(json_object_get(r, "time"));
        rec->expires = json_integer_value(json_object_get(r, "expires"));
        (void)snprintf(rec->actor, sizeof rec->actor, "%s",
                       json_string_value(json_object_get(r, "actor")) ?: "");
        (void)snprintf(rec->notice_version, sizeof rec->notice_version, "%s",
                       json_string_value(json_object_get(r, "notice_version")) ?: "");
        rec->evidence = sealed_copy(json_object_get(r, "evidence"), &rec->evidence_len);
        rec->reason = sealed_copy(json_object_get(r, "reason"), &rec->reason_len);
    }
    *count = n;
    json_decref(reply);
    return 0;
}

/* ---- counts, holds, settings, audit ---- */

static int r_stats(lv_vault *vault, uint64_t *total, lv_count_fn fn, void *ctx)
{
    *total = 0;
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/stats", NULL, &reply);
    if (rc != 0)
        return rc;
    const json_t *item_list = json_object_get(reply, "counts");
    for (size_t i = 0; i < json_array_size(item_list); i++) {
        json_t *item = json_array_get(item_list, i);
        fn(ctx, json_string_value(json_object_get(item, "group")) ?: "",
           json_string_value(json_object_get(item, "key")) ?: "",
           (uint64_t)json_integer_value(json_object_get(item, "count")));
    }
    *total = (uint64_t)json_integer_value(json_object_get(reply, "total"));
    json_decref(reply);
    return 0;
}

static int r_hold_set(lv_vault *vault, const char *lead_id, const char *reason)
{
    return client_stub_call(
        vault, "/v1/hold/set",
        json_pack("{s:o, s:o?}", "id", wire_bytes(lead_id), "reason", wire_bytes(reason)), NULL);
}

static int r_hold_clear(lv_vault *vault, const char *lead_id)
{
    return client_stub_call(vault, "/v1/hold/clear", json_pack("{s:o}", "id", wire_bytes(lead_id)),
                            NULL);
}

static int r_hold_list(lv_vault *vault, lv_hold_info **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/hold/list", NULL, &reply);
    if (rc != 0)
        return rc;
    const json_t *list = json_object_get(reply, "holds");
    size_t n = json_array_size(list);
    *out = calloc(n ? n : 1, sizeof **out);
    if (*out == NULL) {
        json_decref(reply);
        return LV_ERROR;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *h = json_array_get(list, i);
        lv_hold_info *info = &(*out)[i];
        (void)snprintf(info->lead_id, sizeof info->lead_id, "%s",
                       json_string_value(json_object_get(h, "lead_id")) ?: "");
        (void)snprintf(info->reason, sizeof info->reason, "%s",
                       json_string_value(json_object_get(h, "reason")) ?: "");
        (void)snprintf(info->actor, sizeof info->actor, "%s",
                       json_string_value(json_object_get(h, "actor")) ?: "");
        info->time = json_integer_value(json_object_get(h, "time"));
    }
    *count = n;
    json_decref(reply);
    return 0;
}

static void r_hold_list_free(lv_hold_info *holds)
{
    free(holds);
}

static int r_setting_set(lv_vault *vault, const char *name, const char *value)
{
    return client_stub_call(
        vault, "/v1/setting/set",
        json_pack("{s:o, s:o}", "name", wire_bytes(name), "value", wire_bytes(value)), NULL);
}

static int r_setting_list(lv_vault *vault, lv_setting_fn fn, void *ctx)
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/setting/list", NULL, &reply);
    if (rc != 0)
        return rc;
    const json_t *item_list = json_object_get(reply, "settings");
    for (size_t i = 0; i < json_array_size(item_list); i++) {
        json_t *item = json_array_get(item_list, i);
        fn(ctx, json_string_value(json_object_get(item, "name")) ?: "",
           json_string_value(json_object_get(item, "value")) ?: "");
    }
    json_decref(reply);
    return 0;
}

static int r_audit_pubkey(lv_vault *vault, char text[LV_AUDIT_TEXT_MAX], char fingerprint[48])
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/audit/pubkey", NULL, &reply);
    if (rc == 0) {
        (void)snprintf(text, LV_AUDIT_TEXT_MAX, "%s",
                       json_string_value(json_object_get(reply, "text")) ?: "");
        (void)snprintf(fingerprint, 48, "%s",
                       json_string_value(json_object_get(reply, "fingerprint")) ?: "");
    }
    json_decref(reply);
    return rc;
}

static int r_audit_checkpoint(lv_vault *vault, char text[LV_AUDIT_TEXT_MAX])
{
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/audit/checkpoint", NULL, &reply);
    if (rc == 0)
        (void)snprintf(text, LV_AUDIT_TEXT_MAX, "%s",
                       json_string_value(json_object_get(reply, "text")) ?: "");
    json_decref(reply);
    return rc;
}

static int r_audit_verify(lv_vault *vault, const char *pubkey_text, const char *checkpoint_text,
                          lv_audit_report *report)
{
    memset(report, 0, sizeof *report);
    json_t *reply = NULL;
    int rc = client_stub_call(vault, "/v1/audit/verify",
                              json_pack("{s:o?, s:o?}", "pubkey", wire_bytes(pubkey_text),
                                        "checkpoint", wire_bytes(checkpoint_text)),
                              &reply);
    if (rc != 0)
        return rc;
    const json_t *r = json_object_get(reply, "report");
    report->entries = (uint64_t)json_integer_value(json_object_get(r, "entries"));
    report->checkpoints = (uint64_t)json_integer_value(json_object_get(r, "checkpoints"));
    report->signed_size = (uint64_t)json_integer_value(json_object_get(r, "signed_size"));
    report->unsigned_tail = (uint64_t)json_integer_value(json_object_get(r, "unsigned_tail"));
    report->extends_checkpoint = json_is_true(json_object_get(r, "extends_checkpoint"));
    report->first_bad_seq = (uint64_t)json_integer_value(json_object_get(r, "first_bad_seq"));
    (void)snprintf(report->reason, sizeof report->reason, "%s",
                   json_string_value(json_object_get(r, "reason")) ?: "");
    if (!json_is_true(json_object_get(reply, "ok"))) {
        rc = LV_ECORRUPT;
        last_failed_remote = 1;
        client_set_error("%s", json_string_value(json_object_get(reply, "message")) ?: "");
    }
    json_decref(reply);
    return rc;
}

static int r_receipt_verify(const char *receipt, size_t len, const char *pubkey_text,
                            lv_vault *vault)
{
    last_failed_remote = 0;
    if (vault == NULL) /* with a public key file: offline, here */
        return lv_receipt_verify(receipt, len, pubkey_text, NULL);
    return client_stub_call(vault, "/v1/receipt/verify",
                            json_pack("{s:o}", "receipt", wire_bytesn(receipt, len)), NULL);
}

/* ---- backups: paths on the server's machine ---- */

/* A relative path is the client's: made absolute from the current folder,
 * which means the same file when client and server share the machine
 * (docs/server.md: a backup through a server is written by the server). */
static json_t *server_path(const char *path)
{
    char cwd[4096];
    if (path[0] == '/' || getcwd(cwd, sizeof cwd) == NULL)
        return json_pack("{s:o}", "path", wire_bytes(path));
    /* Not json_sprintf: it refuses bytes that are not UTF-8, and a file
     * name may be any bytes (they travel as {"b64"}). */
    size_t len = strlen(cwd) + 1 + strlen(path);
    char *full = malloc(len + 1);
    if (full == NULL)
        return NULL;
    (void)snprintf(full, len + 1, "%s/%s", cwd, path);
    json_t *body = json_pack("{s:o}", "path", wire_bytesn(full, len));
    free(full);
    return body;
}

static int r_backup(lv_vault *vault, const char *path)
{
    return client_stub_call(vault, "/v1/backup", server_path(path), NULL);
}

static int r_restore(lv_vault *vault, const char *path, uint64_t *restored, uint64_t *skipped)
{
    json_t *reply = NULL;
    *restored = *skipped = 0;
    int rc = client_stub_call(vault, "/v1/restore", server_path(path), &reply);
    if (rc == 0) {
        *restored = (uint64_t)json_integer_value(json_object_get(reply, "restored"));
        *skipped = (uint64_t)json_integer_value(json_object_get(reply, "skipped"));
    }
    json_decref(reply);
    return rc;
}

static void r_retention_list_free(lv_retention_rule *rules)
{
    free(rules);
}

const vault_ops remote_ops = {
    .remote = 1,
    .error_last = remote_error_last,
    .vault_open = r_vault_open,
    .vault_close = r_vault_close,
    .vault_id = r_vault_id,
    .vault_whoami = r_vault_whoami,
    .vault_check = r_vault_check,
    .user_add_scoped = r_user_add_scoped,
    .user_remove = r_user_remove,
    .user_passwd = r_user_passwd,
    .user_set_role = r_user_set_role,
    .vault_rekey = r_vault_rekey,
    .user_list = r_user_list,
    .user_list_free = r_user_list_free,
    .lead_add = r_lead_add,
    .lead_update = r_lead_update,
    .lead_get = r_lead_get,
    .lead_free = r_lead_free,
    .lead_find = r_lead_find,
    .lead_list_free = r_lead_list_free,
    .lead_list = r_lead_list,
    .lead_list_reveal = r_lead_list_reveal,
    .lead_search = r_lead_search,
    .lead_assign = r_lead_assign,
    .purpose_add = r_purpose_add,
    .purpose_retire = r_purpose_retire,
    .purpose_list = r_purpose_list,
    .purpose_list_free = r_purpose_list_free,
    .consent_grant = r_consent_grant,
    .consent_withdraw = r_consent_withdraw,
    .consent_grant_by = r_consent_grant_by,
    .consent_withdraw_by = r_consent_withdraw_by,
    .consent_history = r_consent_history,
    .consent_history_free = r_consent_history_free,
    .stats = r_stats,
    .erase = r_erase,
    .suppress_info = r_suppress_info,
    .suppress_remove = r_suppress_remove,
    .receipt_verify = r_receipt_verify,
    .hold_set = r_hold_set,
    .hold_clear = r_hold_clear,
    .hold_list = r_hold_list,
    .hold_list_free = r_hold_list_free,
    .retention_add = r_retention_add,
    .retention_remove = r_retention_remove,
    .retention_list = r_retention_list,
    .retention_list_free = r_retention_list_free,
    .retention_plan = r_retention_plan,
    .retention_run = r_retention_run,
    .subject_export = r_subject_export,
    .backup = r_backup,
    .restore = r_restore,
    .setting_set = r_setting_set,
    .setting_list = r_setting_list,
    .report = r_report,
    .import = r_import,
    .consent_import = r_consent_import,
    .export = r_export,
    .audit_show = r_audit_show,
    .audit_export_entries = r_audit_export_entries,
    .audit_pubkey = r_audit_pubkey,
    .audit_checkpoint = r_audit_checkpoint,
    .audit_verify = r_audit_verify,
};
