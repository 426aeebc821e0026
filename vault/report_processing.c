/* report_processing.c - the record of processing activities (GDPR Art.
 * 30(1)): controller and DPO, purposes with their legal basis, categories
 * of personal data and of data subjects, who may access, recipients,
 * retention, and the technical measures in force. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "keyslot.h"
#include "report.h"
#include "setting.h"

static int controller(report_ctx *r)
{
    static const char *const columns[] = {"item", "value", NULL};
    static const char *const labels[] = {"Controller", "Controller contact", "DPO contact",
                                         "Representative"};
    json_t *s = report_section(r, "controller", "Controller and data protection officer",
                               "Art. 30(1)(a): set by an admin with 'leadvault setting set'.",
                               columns);
    if (s == NULL)
        return err_set(LV_ERROR, "out of memory");
    const char *const *names = lv_setting_names();
    for (size_t i = 0; names[i] != NULL; i++) {
        char value[LV_SETTING_VALUE_MAX + 1];
        int rc = setting_get(r->vault, names[i], value);
        if (rc == 0)
            rc = report_row(s, "[s, s]", labels[i], value[0] ? value : "not set");
        if (rc != 0)
            return rc;
    }
    return 0;
}

typedef struct user_list {
    report_ctx *r;
    json_t *section;
    char names[5][1024]; /* per role: comma-separated user names */
    lv_kdf_params min;
} user_list;

static int take_user(void *ctx, const store_keyslot *slot)
{
    user_list *u = ctx;
    if (!keyslot_mac_valid(slot, u->r->vault->keys, u->r->vault->id))
        return err_set(LV_ECORRUPT, "integrity failure: keyslot of user %s was altered",
                       slot->name);
    const char *role = lv_role_name((lv_role)slot->role);
    if (role == NULL)
        return err_set(LV_ECORRUPT, "integrity failure: keyslot of user %s has no role",
                       slot->name);
    char *list = u->names[slot->role];
    size_t at = strlen(list);
    (void)snprintf(list + at, sizeof u->names[0] - at, "%s%s", at ? ", " : "", slot->name);
    if (u->min.memory_kib == 0 || slot->kdf.memory_kib < u->min.memory_kib)
        u->min.memory_kib = slot->kdf.memory_kib;
    if (u->min.iterations == 0 || slot->kdf.iterations < u->min.iterations)
        u->min.iterations = slot->kdf.iterations;
    char created[32];
    lv_time_format(created, slot->created);
    return report_row(u->section, "[s, s, I, I, I, s]", slot->name, role,
                      (json_int_t)(slot->kdf.memory_kib / 1024), (json_int_t)slot->kdf.iterations,
                      (json_int_t)slot->kdf.parallelism, created);
}

static int users(report_ctx *r, user_list *u)
{
    static const char *const columns[] = {"user", "role", "KDF memory (MiB)", "KDF iterations",
                                          "KDF parallelism", "created", NULL};
    u->r = r;
    u->section = report_section(r, "users", "Who may access the data",
                                "Each user and role; what a role may do is in docs/roles.md.",
                                columns);
    if (u->section == NULL)
        return err_set(LV_ERROR, "out of memory");
    return store_keyslot_each(r->vault->store, take_user, u);
}

static int purposes(report_ctx *r, const user_list *u)
{
    static const char *const columns[] = {"purpose", "legal basis", "status", "personal data",
                                          "roles", "users", NULL};
    json_t *s = report_section(r, "purposes", "Purposes and legal bases",
                               "Art. 30(1)(b) and (c): every purpose data may be revealed for, "
                               "its lawful basis, the categories of personal data (fields) it "
                               "reveals, and who may use it.",
                               columns);
    store_purpose *list = NULL;
    size_t n = 0;
    int rc = s != NULL ? report_load_purposes(r, &list, &n) : err_set(LV_ERROR, "out of memory");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char fields[160], roles[64] = "", names[2048] = "";
        report_fields_text(fields, list[i].fields);
        for (int role = LV_ROLE_ADMIN; role <= LV_ROLE_AUDITOR; role++) {
            if (!(list[i].roles >> role & 1))
                continue;
            size_t at = strlen(roles);
            (void)snprintf(roles + at, sizeof roles - at, "%s%s", at ? "," : "",
                           lv_role_name((lv_role)role));
            if (u->names[role][0]) {
                at = strlen(names);
                (void)snprintf(names + at, sizeof names - at, "%s%s", at ? ", " : "",
                               u->names[role]);
            }
        }
        rc = report_row(s, "[s, s, s, s, s, s]", list[i].name,
                        lv_basis_name((lv_basis)list[i].basis),
                        list[i].retired ? "retired" : "active", fields, roles, names);
    }
    free(list);
    return rc;
}

typedef struct source_tally {
    json_t *counts;
    uint64_t total;
} source_tally;

static int tally_source(void *ctx, const char *stage, const char *source)
{
    (void)stage;
    source_tally *t = ctx;
    json_t *count = json_object_get(t->counts, source);
    t->total++;
    if (count != NULL)
        return json_integer_set(count, json_integer_value(count) + 1) == 0
                   ? 0
                   : err_set(LV_ERROR, "out of memory");
    return json_object_set_new_nocheck(t->counts, source, json_integer(1)) == 0
               ? 0
               : err_set(LV_ERROR, "out of memory");
}

static int subjects(report_ctx *r)
{
    static const char *const columns[] = {"lead source", "leads", "share (%)", NULL};
    json_t *s = report_section(r, "subjects", "Categories of data subjects",
                               "Art. 30(1)(c): the leads held, by where they came from.", columns);
    source_tally t = {json_object(), 0};
    int rc = s != NULL && t.counts != NULL ? store_lead_labels(r->vault->store, tally_source, &t)
                                           : err_set(LV_ERROR, "out of memory");
    for (const char *const *name = lv_source_names(); rc == 0 && *name != NULL; name++) {
        json_t *count = json_object_get(t.counts, *name);
        if (count == NULL)
            continue;
        char share[16];
        report_share(share, (uint64_t)json_integer_value(count), t.total);
        rc = report_row(s, "[s, I, s]", *name, json_integer_value(count), share);
        json_object_del(t.counts, *name);
    }
    /* Values not in today's list (edited into the file) are still counted. */
    const char *key;
    json_t *count;
    json_object_foreach(t.counts, key, count)
    {
        char share[16];
        report_share(share, (uint64_t)json_integer_value(count), t.total);
        if (rc == 0)
            rc = report_row(s, "[s, I, s]", key, json_integer_value(count), share);
    }
    if (rc == 0)
        rc = report_row(s, "[s, I, s]", "total", (json_int_t)t.total, t.total ? "100.0" : "0.0");
    if (rc == 0)
        rc = report_chart_bars(s, "Leads by source", 0, 1);
    json_decref(t.counts);
    return rc;
}

typedef struct recipient_tally {
    json_t *by_purpose; /* purpose -> [exports, leads, users {}, first, last] */
} recipient_tally;

static int tally_export(void *ctx, const store_audit *e)
{
    recipient_tally *t = ctx;
    int subject = strcmp(e->action, "subject.export") == 0;
    if ((!subject && strcmp(e->action, "lead.export") != 0) || strcmp(e->outcome, "ok") != 0)
        return 0;
    const char *key = subject ? "data subject (access requests)" : e->purpose;
    json_t *row = json_object_get(t->by_purpose, key);
    if (row == NULL) {
        row = json_pack("[I, I, {}, I, I]", (json_int_t)0, (json_int_t)0, (json_int_t)e->seq,
                        (json_int_t)e->seq);
        if (row == NULL || json_object_set_new(t->by_purpose, key, row) != 0)
            return err_set(LV_ERROR, "out of memory");
    }
    json_integer_set(json_array_get(row, 0), json_integer_value(json_array_get(row, 0)) + 1);
    json_integer_set(json_array_get(row, 1),
                     json_integer_value(json_array_get(row, 1)) + (json_int_t)e->lead_count);
    json_integer_set(json_array_get(row, 4), (json_int_t)e->seq);
    return json_object_set_new(json_array_get(row, 2), e->actor, json_true()) == 0
               ? 0
               : err_set(LV_ERROR, "out of memory");
}

static int recipients(report_ctx *r)
{
    static const char *const columns[] = {"recipient (export purpose)", "exports", "leads exported",
                                          "users", "first audit seq", "last audit seq", NULL};
    json_t *s = report_section(r, "recipients", "Recipients: exports in the period",
                               "Art. 30(1)(d): every export of lead data in the period, by "
                               "purpose, from the verified audit log.",
                               columns);
    recipient_tally t = {json_object()};
    int rc = s != NULL && t.by_purpose != NULL ? report_audit_each(r, 1, tally_export, &t)
                                               : err_set(LV_ERROR, "out of memory");
    size_t n = 0;
    const char **keys = rc == 0 ? report_sorted_keys(t.by_purpose, &n) : NULL;
    if (rc == 0 && keys == NULL)
        rc = LV_ERROR;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const json_t *row = json_object_get(t.by_purpose, keys[i]);
        char names[1024] = "";
        size_t nusers = 0;
        const char **who = report_sorted_keys(json_array_get(row, 2), &nusers);
        if (who == NULL)
            rc = LV_ERROR;
        for (size_t u = 0; u < nusers; u++) {
            size_t at = strlen(names);
            (void)snprintf(names + at, sizeof names - at, "%s%s", at ? ", " : "", who[u]);
        }
        free(who);
        if (rc == 0)
            rc = report_row(s, "[s, O, O, s, O, O]", keys[i], json_array_get(row, 0),
                            json_array_get(row, 1), names, json_array_get(row, 3),
                            json_array_get(row, 4));
    }
    free(keys);
    json_decref(t.by_purpose);
    return rc;
}

static int retention(report_ctx *r)
{
    return report_rules_section(r, "retention", "Retention",
                                "Art. 30(1)(f): leads are erased when a rule makes them due "
                                "(leadvault retention run), except under legal hold.");
}

static int measures(report_ctx *r, const user_list *u)
{
    static const char *const columns[] = {"measure", "in force", NULL};
    json_t *s = report_section(r, "measures", "Technical and organisational measures",
                               "Art. 30(1)(g) and Art. 32: the measures this vault applies.",
                               columns);
    if (s == NULL)
        return err_set(LV_ERROR, "out of memory");
    const json_t *audit = json_object_get(r->model, "audit");
    const json_t *cp = json_object_get(audit, "last_checkpoint");
    char kdf[160], log[200], checkpoint[160];
    (void)snprintf(kdf, sizeof kdf,
                   "Argon2id per user keyslot; weakest in use: %u MiB, %u iterations (floor 19 MiB, "
                   "2 iterations)",
                   u->min.memory_kib / 1024, u->min.iterations);
    (void)snprintf(log, sizeof log,
                   "BLAKE2b-256 hash chain, %lld entries verified for this report; "
                   "%lld Ed25519-signed checkpoints verified",
                   (long long)json_integer_value(json_object_get(audit, "entries_verified")),
                   (long long)json_integer_value(json_object_get(audit, "checkpoints_verified")));
    if (json_is_object(cp))
        (void)snprintf(checkpoint, sizeof checkpoint, "covers %lld entries, signed %s",
                       (long long)json_integer_value(json_object_get(cp, "size")),
                       json_string_value(json_object_get(cp, "time")));
    else
        (void)snprintf(checkpoint, sizeof checkpoint, "none signed yet");
    int rc = report_row(s, "[s, s]", "Encryption of personal data",
                        "XChaCha20-Poly1305 per field, under a random 256-bit key per lead "
                        "wrapped by the vault master key; each value bound to vault, lead and "
                        "field");
    if (rc == 0)
        rc = report_row(s, "[s, s]", "Key derivation", kdf);
    if (rc == 0)
        rc = report_row(s, "[s, s]", "Search without decryption",
                        "keyed BLAKE2b blind indexes of normalized email and phone");
    if (rc == 0)
        rc = report_row(s, "[s, s]", "Record integrity",
                        "BLAKE2b MACs under a master-key subkey on users, purposes, consent, "
                        "holds, retention rules, settings and lead metadata");
    if (rc == 0)
        rc = report_row(s, "[s, s]", "Audit log", log);
    if (rc == 0)
        rc = report_row(s, "[s, s]", "Last verified checkpoint", checkpoint);
    if (rc == 0)
        rc = report_row(s, "[s, s]", "Erasure",
                        "crypto-shredding of the lead key, secure_delete, WAL truncation, "
                        "Ed25519-signed receipts, suppression list of keyed hashes");
    if (rc == 0)
        rc = report_row(s, "[s, s]", "Access control",
                        "roles (admin, sales, compliance, auditor) and purposes enforced by the "
                        "library; every reveal audited before data is returned");
    return rc;
}

int report_processing(report_ctx *r)
{
    user_list *u = calloc(1, sizeof *u);
    if (u == NULL)
        return err_set(LV_ERROR, "out of memory");
    int rc = controller(r);
    /* The users section is filled first (the purposes name them) but
     * shown after the purposes. */
    json_t *users_section = NULL;
    if (rc == 0 && (rc = users(r, u)) == 0) {
        users_section = json_incref(u->section);
        json_array_remove(r->sections, json_array_size(r->sections) - 1);
    }
    if (rc == 0)
        rc = purposes(r, u);
    if (rc == 0)
        rc = subjects(r);
    if (rc == 0 && json_array_append(r->sections, users_section) != 0)
        rc = err_set(LV_ERROR, "out of memory");
    if (rc == 0)
        rc = recipients(r);
    if (rc == 0)
        rc = retention(r);
    if (rc == 0)
        rc = measures(r, u);
    json_decref(users_section);
    free(u);
    return rc;
}
