/* handlers.c - one endpoint per operation of the public API: decode the
 * request (wire.c), call lv_* on the session's vault, encode the result.
 * Policy, audit and error semantics are the library's own. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "server.h"
#include "wire.h"

#define BAD(c, what) call_fail((c), WIRE_BAD_REQUEST, "%s", (what))

static int lookup_member(call *c, lv_lookup *by, const char **value)
{
    const char *name = NULL;
    if (wire_string(c->in, "by", 1, &name) != 0 || wire_string(c->in, "value", 1, value) != 0)
        return BAD(c, "expected \"by\" (email or phone) and \"value\"");
    if (strcmp(name, "email") == 0)
        *by = LV_LOOKUP_EMAIL;
    else if (strcmp(name, "phone") == 0)
        *by = LV_LOOKUP_PHONE;
    else
        return BAD(c, "\"by\" is email or phone");
    return 0;
}

static int mask_member(call *c, const char *key, uint32_t *out)
{
    long long v = 0;
    if (wire_int(c->in, key, 0, &v) != 0 || v < 0 || v > 0xffffffffLL)
        return BAD(c, "a field mask is a whole number");
    *out = (uint32_t)v;
    return 0;
}

/* ---- vault ---- */

static int h_whoami(call *c)
{
    const char *name = NULL;
    lv_role role;
    int rc = lv_vault_whoami(c->session->vault, &name, &role);
    if (rc == 0)
        c->out = json_pack("{s:s, s:s}", "user", name, "role", lv_role_name(role));
    return rc;
}

static void on_problem(void *ctx, const char *lead_id, const char *field, const char *problem)
{
    json_array_append_new(ctx, json_pack("{s:s?, s:s?, s:s}", "lead", lead_id, "field", field,
                                         "problem", problem));
}

static int h_check(call *c)
{
    lv_check_options opts = LV_CHECK_OPTIONS_INIT;
    if (wire_bool(c->in, "deep", &opts.deep) != 0)
        return call_fail(c, WIRE_BAD_REQUEST, "check: deep is true or false");
    json_t *problems = json_array();
    uint64_t leads = 0;
    int rc = lv_vault_check_with(c->session->vault, &opts, on_problem, problems, &leads);
    if (rc != 0 && rc != LV_ECORRUPT) {
        json_decref(problems);
        return rc;
    }
    c->out = json_pack("{s:b, s:I, s:o}", "ok", rc == 0, "leads_checked", (json_int_t)leads,
                       "problems", problems);
    return 0;
}

/* ---- leads ---- */

static int h_lead_add(call *c)
{
    lv_lead_input in;
    if (wire_lead_input_from_json(&in, c->in) != 0)
        return BAD(c, "not a lead");
    char id[LV_ID_STRLEN + 1];
    int rc = lv_lead_add(c->session->vault, id, &in);
    if (rc == 0)
        c->out = json_pack("{s:s}", "id", id);
    return rc;
}

static int h_lead_update(call *c)
{
    lv_lead_input in;
    const char *id = NULL;
    if (wire_string(c->in, "id", 1, &id) != 0 || wire_lead_input_from_json(&in, c->in) != 0)
        return BAD(c, "expected \"id\" and the changes");
    int rc = lv_lead_update(c->session->vault, id, &in);
    if (rc == 0)
        c->out = json_pack("{s:s}", "updated", id);
    return rc;
}

static int h_lead_get(call *c)
{
    const char *id = NULL, *purpose = NULL;
    uint32_t mask = 0;
    if (wire_string(c->in, "id", 1, &id) != 0 || wire_string(c->in, "purpose", 0, &purpose) != 0)
        return BAD(c, "expected \"id\" and \"purpose\"");
    if (mask_member(c, "fields", &mask) != 0)
        return WIRE_BAD_REQUEST;
    lv_lead *lead = NULL;
    int rc = lv_lead_get(&lead, c->session->vault, id, purpose, mask);
    if (rc == 0)
        c->out = wire_lead_json(lead);
    lv_lead_free(lead);
    return rc;
}

static json_t *leads_json(lv_lead **leads, size_t count)
{
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, wire_lead_json(leads[i]));
    return json_pack("{s:o}", "leads", list);
}

static int h_lead_find(call *c)
{
    lv_lookup by = LV_LOOKUP_EMAIL;
    const char *value = NULL, *purpose = NULL;
    uint32_t mask = 0;
    int rc = lookup_member(c, &by, &value);
    if (rc != 0 || (rc = mask_member(c, "fields", &mask)) != 0)
        return rc;
    if (wire_string(c->in, "purpose", 0, &purpose) != 0)
        return BAD(c, "\"purpose\" is a string");
    lv_lead **leads = NULL;
    size_t count = 0;
    rc = lv_lead_find(&leads, &count, c->session->vault, by, value, purpose, mask);
    if (rc == 0)
        c->out = leads_json(leads, count);
    lv_lead_list_free(leads, count);
    return rc;
}

static int h_lead_search(call *c)
{
    const char *text = NULL, *purpose = NULL;
    long long limit = 0;
    if (wire_string(c->in, "text", 1, &text) != 0 ||
        wire_string(c->in, "purpose", 0, &purpose) != 0 ||
        wire_int(c->in, "limit", 0, &limit) != 0 || limit < 0)
        return BAD(c, "expected \"text\", \"purpose\" and \"limit\"");
    lv_lead **leads = NULL;
    size_t count = 0;
    int rc = lv_lead_search(&leads, &count, c->session->vault, text, purpose, (size_t)limit);
    if (rc == 0)
        c->out = leads_json(leads, count);
    lv_lead_list_free(leads, count);
    return rc;
}

static int meta_to_array(void *ctx, const lv_lead_meta *meta)
{
    return json_array_append_new(ctx, wire_meta_json(meta));
}

static int lead_to_array(void *ctx, const lv_lead *lead)
{
    return json_array_append_new(ctx, wire_lead_json(lead));
}

/* The whole listing comes back as one array (the client walks it). */
static int h_lead_list(call *c)
{
    lv_lead_filter filter = {NULL, NULL, NULL};
    const char *purpose = NULL;
    uint32_t mask = 0;
    if (wire_string(c->in, "stage", 0, &filter.stage) != 0 ||
        wire_string(c->in, "source", 0, &filter.source) != 0 ||
        wire_string(c->in, "owner", 0, &filter.owner) != 0 ||
        wire_string(c->in, "purpose", 0, &purpose) != 0)
        return BAD(c, "filters are strings");
    if (mask_member(c, "fields", &mask) != 0)
        return WIRE_BAD_REQUEST;
    json_t *list = json_array();
    int rc = mask != 0 ? lv_lead_list_reveal(c->session->vault, &filter, purpose, mask,
                                             lead_to_array, list)
                       : lv_lead_list(c->session->vault, &filter, meta_to_array, list);
    if (rc != 0) {
        json_decref(list);
        return rc;
    }
    c->out = json_pack("{s:o}", "leads", list);
    return 0;
}

static int h_lead_assign(call *c)
{
    const char *id = NULL, *user = NULL;
    if (wire_string(c->in, "id", 1, &id) != 0 || wire_string(c->in, "user", 1, &user) != 0)
        return BAD(c, "expected \"id\" and \"user\"");
    return lv_lead_assign(c->session->vault, id, user);
}

/* ---- purposes ---- */

static int h_purpose_add(call *c)
{
    const char *name = NULL;
    long long basis = 0, fields = 0, roles = 0;
    if (wire_string(c->in, "name", 1, &name) != 0 || wire_int(c->in, "basis", 1, &basis) != 0 ||
        wire_int(c->in, "fields", 1, &fields) != 0 || wire_int(c->in, "roles", 1, &roles) != 0 ||
        fields < 0 || roles < 0 || fields > 0xffffffffLL || roles > 0xffffffffLL)
        return BAD(c, "expected \"name\", \"basis\", \"fields\" and \"roles\"");
    return lv_purpose_add(c->session->vault, name, (lv_basis)basis, (uint32_t)fields,
                          (uint32_t)roles);
}

static int h_purpose_retire(call *c)
{
    const char *name = NULL;
    if (wire_string(c->in, "name", 1, &name) != 0)
        return BAD(c, "expected \"name\"");
    return lv_purpose_retire(c->session->vault, name);
}

static int h_purpose_list(call *c)
{
    lv_purpose_info *list = NULL;
    size_t count = 0;
    int rc = lv_purpose_list(c->session->vault, &list, &count);
    if (rc != 0)
        return rc;
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, json_pack("{s:s, s:i, s:I, s:I, s:I, s:I}", "name",
                                               list[i].name, "basis", (int)list[i].basis,
                                               "fields", (json_int_t)list[i].fields, "roles",
                                               (json_int_t)list[i].roles, "created",
                                               (json_int_t)list[i].created, "retired",
                                               (json_int_t)list[i].retired));
    lv_purpose_list_free(list);
    c->out = json_pack("{s:o}", "purposes", array);
    return 0;
}

/* ---- consent ---- */

static int h_consent_grant(call *c)
{
    const char *id = NULL, *purpose = NULL, *evidence = NULL, *notice = NULL;
    long long expires = 0;
    if (wire_string(c->in, "id", 0, &id) != 0 || wire_string(c->in, "purpose", 1, &purpose) != 0 ||
        wire_string(c->in, "evidence", 0, &evidence) != 0 ||
        wire_string(c->in, "notice_version", 0, &notice) != 0 ||
        wire_int(c->in, "expires", 0, &expires) != 0)
        return BAD(c, "expected \"id\" (or \"by\" and \"value\"), \"purpose\", \"evidence\"");
    char found[LV_ID_STRLEN + 1] = "";
    int rc;
    if (id != NULL) {
        rc = lv_consent_grant(c->session->vault, id, purpose, evidence, notice, expires);
        (void)snprintf(found, sizeof found, "%s", id);
    } else {
        lv_lookup by = LV_LOOKUP_EMAIL;
        const char *value = NULL;
        if ((rc = lookup_member(c, &by, &value)) != 0)
            return rc;
        rc = lv_consent_grant_by(c->session->vault, found, by, value, purpose, evidence, notice,
                                 expires);
    }
    if (rc == 0)
        c->out = json_pack("{s:s}", "id", found);
    return rc;
}

static int h_consent_withdraw(call *c)
{
    const char *id = NULL, *purpose = NULL, *reason = NULL;
    if (wire_string(c->in, "id", 0, &id) != 0 || wire_string(c->in, "purpose", 1, &purpose) != 0 ||
        wire_string(c->in, "reason", 0, &reason) != 0)
        return BAD(c, "expected \"id\" (or \"by\" and \"value\"), \"purpose\"");
    char found[LV_ID_STRLEN + 1] = "";
    int rc;
    if (id != NULL) {
        rc = lv_consent_withdraw(c->session->vault, id, purpose, reason);
        (void)snprintf(found, sizeof found, "%s", id);
    } else {
        lv_lookup by = LV_LOOKUP_EMAIL;
        const char *value = NULL;
        if ((rc = lookup_member(c, &by, &value)) != 0)
            return rc;
        rc = lv_consent_withdraw_by(c->session->vault, found, by, value, purpose, reason);
    }
    if (rc == 0)
        c->out = json_pack("{s:s}", "id", found);
    return rc;
}

static int h_consent_history(call *c)
{
    const char *id = NULL;
    if (wire_string(c->in, "id", 1, &id) != 0)
        return BAD(c, "expected \"id\"");
    lv_consent_record *records = NULL;
    size_t count = 0;
    int rc = lv_consent_history(&records, &count, c->session->vault, id);
    if (rc != 0)
        return rc;
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++) {
        const lv_consent_record *r = &records[i];
        json_t *o = json_pack("{s:s, s:b, s:I, s:I, s:s, s:s}", "purpose", r->purpose, "granted",
                              r->granted, "time", (json_int_t)r->time, "expires",
                              (json_int_t)r->expires, "actor", r->actor, "notice_version",
                              r->notice_version);
        json_object_set_new(o, "evidence",
                            r->evidence ? json_stringn(r->evidence, r->evidence_len) : json_null());
        json_object_set_new(o, "reason",
                            r->reason ? json_stringn(r->reason, r->reason_len) : json_null());
        json_array_append_new(array, o);
    }
    lv_consent_history_free(records, count);
    c->out = json_pack("{s:o}", "records", array);
    return 0;
}

/* ---- users ---- */

static int kdf_member(call *c, lv_kdf_params *kdf)
{
    memset(kdf, 0, sizeof *kdf);
    const json_t *o = json_object_get(c->in, "kdf");
    if (o == NULL)
        return 0;
    long long m = 0, t = 0, p = 0;
    if (!json_is_object(o) || wire_int(o, "memory_kib", 0, &m) != 0 ||
        wire_int(o, "iterations", 0, &t) != 0 || wire_int(o, "parallelism", 0, &p) != 0 ||
        m < 0 || t < 0 || p < 0 || m > 0xffffffffLL || t > 0xffffffffLL || p > 0xffffffffLL)
        return BAD(c, "\"kdf\" is {memory_kib, iterations, parallelism}");
    kdf->memory_kib = (uint32_t)m;
    kdf->iterations = (uint32_t)t;
    kdf->parallelism = (uint32_t)p;
    return 0;
}

static int h_user_add(call *c)
{
    const char *name = NULL, *role_name = NULL, *scope_name = NULL, *pass = NULL;
    lv_kdf_params kdf;
    int rc = kdf_member(c, &kdf);
    if (rc != 0)
        return rc;
    if (wire_string(c->in, "name", 1, &name) != 0 || wire_string(c->in, "role", 1, &role_name) != 0 ||
        wire_string(c->in, "scope", 0, &scope_name) != 0 ||
        wire_string(c->in, "passphrase", 1, &pass) != 0)
        return BAD(c, "expected \"name\", \"role\", \"passphrase\"");
    lv_role role;
    if (lv_role_parse(&role, role_name) != 0)
        return LV_EINVAL;
    lv_scope scope = scope_name != NULL && strcmp(scope_name, "own") == 0 ? LV_SCOPE_OWN
                                                                          : LV_SCOPE_ALL;
    size_t len = json_string_length(json_object_get(c->in, "passphrase"));
    return lv_user_add_scoped(c->session->vault, name, role, scope, pass, len, &kdf);
}

static int h_user_remove(call *c)
{
    const char *name = NULL;
    if (wire_string(c->in, "name", 1, &name) != 0)
        return BAD(c, "expected \"name\"");
    int rc = lv_user_remove(c->session->vault, name);
    if (rc == 0) /* a removed user's sessions end with the keyslot */
        sessions_revoke_user(&c->srv->sessions, name, NULL);
    return rc;
}

static int h_user_passwd(call *c)
{
    const char *pass = NULL;
    lv_kdf_params kdf;
    int rc = kdf_member(c, &kdf);
    if (rc != 0)
        return rc;
    if (wire_string(c->in, "passphrase", 1, &pass) != 0)
        return BAD(c, "expected \"passphrase\"");
    size_t len = json_string_length(json_object_get(c->in, "passphrase"));
    rc = lv_user_passwd(c->session->vault, pass, len, &kdf);
    if (rc == 0) /* the user's other sessions were opened with the old passphrase */
        sessions_revoke_user(&c->srv->sessions, c->session->user, c->session);
    return rc;
}

static int h_user_list(call *c)
{
    lv_user_info *users = NULL;
    size_t count = 0;
    int rc = lv_user_list(c->session->vault, &users, &count);
    if (rc != 0)
        return rc;
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(
            array, json_pack("{s:s, s:s, s:s, s:{s:I, s:I, s:I}, s:I}", "name", users[i].name,
                             "role", lv_role_name(users[i].role), "scope",
                             users[i].scope == LV_SCOPE_OWN ? "own" : "all", "kdf", "memory_kib",
                             (json_int_t)users[i].kdf.memory_kib, "iterations",
                             (json_int_t)users[i].kdf.iterations, "parallelism",
                             (json_int_t)users[i].kdf.parallelism, "created",
                             (json_int_t)users[i].created));
    lv_user_list_free(users);
    c->out = json_pack("{s:o}", "users", array);
    return 0;
}

/* ---- counts, audit ---- */

static void on_count(void *ctx, const char *group, const char *key, uint64_t count)
{
    json_array_append_new(ctx, json_pack("{s:s, s:s, s:I}", "group", group, "key", key, "count",
                                         (json_int_t)count));
}

static int h_stats(call *c)
{
    json_t *counts = json_array();
    uint64_t total = 0;
    int rc = lv_stats(c->session->vault, &total, on_count, counts);
    if (rc != 0) {
        json_decref(counts);
        return rc;
    }
    c->out = json_pack("{s:I, s:o}", "total", (json_int_t)total, "counts", counts);
    return 0;
}

static int h_audit_pubkey(call *c)
{
    char text[LV_AUDIT_TEXT_MAX], fingerprint[48];
    int rc = lv_audit_pubkey(c->session->vault, text, fingerprint);
    if (rc == 0)
        c->out = json_pack("{s:s, s:s}", "text", text, "fingerprint", fingerprint);
    return rc;
}

static int h_audit_checkpoint(call *c)
{
    char text[LV_AUDIT_TEXT_MAX];
    int rc = lv_audit_checkpoint(c->session->vault, text);
    if (rc == 0)
        c->out = json_pack("{s:s}", "text", text);
    return rc;
}

static int h_audit_verify(call *c)
{
    const char *pubkey = NULL, *checkpoint = NULL;
    if (wire_string(c->in, "pubkey", 0, &pubkey) != 0 ||
        wire_string(c->in, "checkpoint", 0, &checkpoint) != 0)
        return BAD(c, "\"pubkey\" and \"checkpoint\" are texts");
    lv_audit_report r;
    memset(&r, 0, sizeof r);
    int rc = lv_audit_verify(c->session->vault, pubkey, checkpoint, &r);
    if (rc != 0 && rc != LV_ECORRUPT)
        return rc;
    c->out = json_pack("{s:b, s:s, s:{s:I, s:I, s:I, s:I, s:b, s:I, s:s}}", "ok", rc == 0,
                       "message", rc != 0 ? lv_error_last() : "", "report", "entries",
                       (json_int_t)r.entries, "checkpoints", (json_int_t)r.checkpoints,
                       "signed_size", (json_int_t)r.signed_size, "unsigned_tail",
                       (json_int_t)r.unsigned_tail, "extends_checkpoint", r.extends_checkpoint,
                       "first_bad_seq", (json_int_t)r.first_bad_seq, "reason", r.reason);
    return 0;
}

/* ---- holds, settings ---- */

static int h_hold_set(call *c)
{
    const char *id = NULL, *reason = NULL;
    if (wire_string(c->in, "id", 1, &id) != 0 || wire_string(c->in, "reason", 0, &reason) != 0)
        return BAD(c, "expected \"id\" and \"reason\"");
    return lv_hold_set(c->session->vault, id, reason);
}

static int h_hold_clear(call *c)
{
    const char *id = NULL;
    if (wire_string(c->in, "id", 1, &id) != 0)
        return BAD(c, "expected \"id\"");
    return lv_hold_clear(c->session->vault, id);
}

static int h_hold_list(call *c)
{
    lv_hold_info *holds = NULL;
    size_t count = 0;
    int rc = lv_hold_list(c->session->vault, &holds, &count);
    if (rc != 0)
        return rc;
    json_t *array = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(array, json_pack("{s:s, s:s, s:s, s:I}", "lead_id",
                                               holds[i].lead_id, "reason", holds[i].reason,
                                               "actor", holds[i].actor, "time",
                                               (json_int_t)holds[i].time));
    lv_hold_list_free(holds);
    c->out = json_pack("{s:o}", "holds", array);
    return 0;
}

static int h_setting_set(call *c)
{
    const char *name = NULL, *value = NULL;
    if (wire_string(c->in, "name", 1, &name) != 0 || wire_string(c->in, "value", 1, &value) != 0)
        return BAD(c, "expected \"name\" and \"value\"");
    return lv_setting_set(c->session->vault, name, value);
}

static void on_setting(void *ctx, const char *name, const char *value)
{
    json_array_append_new(ctx, json_pack("{s:s, s:s}", "name", name, "value", value));
}

static int h_setting_list(call *c)
{
    json_t *array = json_array();
    int rc = lv_setting_list(c->session->vault, on_setting, array);
    if (rc != 0) {
        json_decref(array);
        return rc;
    }
    c->out = json_pack("{s:o}", "settings", array);
    return 0;
}

/* The endpoints: POST /v1/GROUP/VERB after the CLI's commands (GET only
 * for health). Every value travels in the body, never in the path. */
static const endpoint endpoints[] = {
    {"/v1/health", handle_health, 0, 0},
    {"/v1/login", handle_login, 0, 0},
    {"/v1/logout", handle_logout, ENDPOINT_SESSION, 0},
    {"/v1/whoami", h_whoami, ENDPOINT_SESSION, 0},
    {"/v1/check", h_check, ENDPOINT_SESSION, 0},
    {"/v1/lead/add", h_lead_add, ENDPOINT_SESSION, 0},
    {"/v1/lead/update", h_lead_update, ENDPOINT_SESSION, 0},
    {"/v1/lead/get", h_lead_get, ENDPOINT_SESSION, 0},
    {"/v1/lead/find", h_lead_find, ENDPOINT_SESSION, 0},
    {"/v1/lead/search", h_lead_search, ENDPOINT_SESSION, 0},
    {"/v1/lead/list", h_lead_list, ENDPOINT_SESSION, 0},
    {"/v1/lead/assign", h_lead_assign, ENDPOINT_SESSION, 0},
    {"/v1/purpose/add", h_purpose_add, ENDPOINT_SESSION, 0},
    {"/v1/purpose/retire", h_purpose_retire, ENDPOINT_SESSION, 0},
    {"/v1/purpose/list", h_purpose_list, ENDPOINT_SESSION, 0},
    {"/v1/consent/grant", h_consent_grant, ENDPOINT_SESSION, 0},
    {"/v1/consent/withdraw", h_consent_withdraw, ENDPOINT_SESSION, 0},
    {"/v1/consent/history", h_consent_history, ENDPOINT_SESSION, 0},
    {"/v1/user/add", h_user_add, ENDPOINT_SESSION, 0},
    {"/v1/user/remove", h_user_remove, ENDPOINT_SESSION, 0},
    {"/v1/user/passwd", h_user_passwd, ENDPOINT_SESSION, 0},
    {"/v1/user/list", h_user_list, ENDPOINT_SESSION, 0},
    {"/v1/user/role", h_user_role, ENDPOINT_SESSION | ENDPOINT_EXCLUSIVE, 0},
    {"/v1/rekey", h_rekey, ENDPOINT_SESSION | ENDPOINT_EXCLUSIVE, 0},
    {"/v1/stats", h_stats, ENDPOINT_SESSION, 0},
    {"/v1/audit/pubkey", h_audit_pubkey, ENDPOINT_SESSION, 0},
    {"/v1/audit/checkpoint", h_audit_checkpoint, ENDPOINT_SESSION, 0},
    {"/v1/audit/verify", h_audit_verify, ENDPOINT_SESSION, 0},
    {"/v1/hold/set", h_hold_set, ENDPOINT_SESSION, 0},
    {"/v1/hold/clear", h_hold_clear, ENDPOINT_SESSION, 0},
    {"/v1/hold/list", h_hold_list, ENDPOINT_SESSION, 0},
    {"/v1/setting/set", h_setting_set, ENDPOINT_SESSION, 0},
    {"/v1/setting/list", h_setting_list, ENDPOINT_SESSION, 0},
    {"/v1/export", h_export, ENDPOINT_SESSION, 0},
    {"/v1/report", h_report, ENDPOINT_SESSION, 0},
    {"/v1/subject/export", h_subject_export, ENDPOINT_SESSION, 0},
    {"/v1/audit/show", h_audit_show, ENDPOINT_SESSION, 0},
    {"/v1/audit/export", h_audit_export, ENDPOINT_SESSION, 0},
    {"/v1/erase", h_erase, ENDPOINT_SESSION, 0},
    {"/v1/suppress/check", h_suppress_info, ENDPOINT_SESSION, 0},
    {"/v1/suppress/remove", h_suppress_remove, ENDPOINT_SESSION, 0},
    {"/v1/receipt/verify", h_receipt_verify, ENDPOINT_SESSION, SERVER_IMPORT_BODY_LIMIT},
    {"/v1/retention/add", h_retention_add, ENDPOINT_SESSION, 0},
    {"/v1/retention/remove", h_retention_remove, ENDPOINT_SESSION, 0},
    {"/v1/retention/list", h_retention_list, ENDPOINT_SESSION, 0},
    {"/v1/retention/plan", h_retention_plan, ENDPOINT_SESSION, 0},
    {"/v1/retention/run", h_retention_run, ENDPOINT_SESSION, 0},
    {"/v1/import", h_import, ENDPOINT_SESSION, SERVER_IMPORT_BODY_LIMIT},
    {"/v1/consent/import", h_consent_import, ENDPOINT_SESSION, SERVER_IMPORT_BODY_LIMIT},
    {"/v1/backup", h_backup, ENDPOINT_SESSION, 0},
    {"/v1/restore", h_restore, ENDPOINT_SESSION, 0},
};

const endpoint *endpoint_find(const char *path)
{
    for (size_t i = 0; i < sizeof endpoints / sizeof endpoints[0]; i++)
        if (strcmp(endpoints[i].path, path) == 0)
            return &endpoints[i];
    return NULL;
}
