/* vault.c - create, open (unlock), close and check a vault. */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "error.h"
#include "hold.h"
#include "keyslot.h"
#include "lead_ops.h"
#include "lead.h"
#include "policy.h"
#include "purpose.h"
#include "consent.h"
#include "seal.h"
#include "vault_internal.h"

static int library_init(void)
{
    if (sodium_init() < 0)
        return err_set(LV_ERROR, "libsodium failed to initialize");
    return 0;
}

int64_t vault_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void lv_time_format(char out[32], int64_t unix_ms)
{
    if (unix_ms <= 0) {
        out[0] = '\0';
        return;
    }
    time_t secs = (time_t)(unix_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    /* Bounded fields keep the compiler's length analysis (and the text)
     * to exactly 24 characters. */
    (void)snprintf(
        out, 32, "%04u-%02u-%02uT%02u:%02u:%02u.%03uZ", (unsigned)(tm.tm_year + 1900) % 10000u,
        (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u, (unsigned)tm.tm_hour % 100u,
        (unsigned)tm.tm_min % 100u, (unsigned)tm.tm_sec % 100u, (unsigned)(unix_ms % 1000));
}

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* Exactly count ASCII digits (sscanf's %d would also take a sign or
 * spaces): 1 with their value in *out, 0 at the first other character. */
static int parse_digits(const char *text, int count, int *out)
{
    int value = 0;
    for (int i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9')
            return 0;
        value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return 1;
}

int lv_time_parse(int64_t *out, const char *text)
{
    static const int days_in[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
    size_t len = text != NULL ? strlen(text) : 0;
    int ok = len >= 10 && parse_digits(text, 4, &y) && text[4] == '-' &&
             parse_digits(text + 5, 2, &mo) && text[7] == '-' && parse_digits(text + 8, 2, &d);
    if (ok && len > 10) {
        char sep = text[10];
        ok = (sep == 'T' || sep == ' ') && len >= 19 && parse_digits(text + 11, 2, &h) &&
             text[13] == ':' && parse_digits(text + 14, 2, &mi) && text[16] == ':' &&
             parse_digits(text + 17, 2, &s);
        const char *rest = ok ? text + 19 : text + len;
        if (ok && rest[0] == '.' && parse_digits(rest + 1, 3, &ms))
            rest += 4;
        ok = ok && (strcmp(rest, sep == 'T' ? "Z" : "") == 0);
    }
    if (ok) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        ok = y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
             d <= days_in[mo - 1] + (mo == 2 && leap) && h <= 23 && mi <= 59 && s <= 59;
    }
    if (!ok)
        return err_set(LV_EINVAL, "date: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
    *out = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms;
    return 0;
}

void vault_id_to_hex(char out[LV_ID_STRLEN + 1], const unsigned char id[LV_ID_BYTES])
{
    sodium_bin2hex(out, LV_ID_STRLEN + 1, id, LV_ID_BYTES);
}

int vault_id_from_hex(unsigned char out[LV_ID_BYTES], const char *hex)
{
    size_t bin_len = 0;
    const char *end = NULL;
    if (hex == NULL || strlen(hex) != LV_ID_STRLEN ||
        sodium_hex2bin(out, LV_ID_BYTES, hex, LV_ID_STRLEN, NULL, &bin_len, &end) != 0 ||
        bin_len != LV_ID_BYTES)
        return err_set(LV_EINVAL, "not a lead id (expected 32 hexadecimal characters)");
    return 0;
}

/* The text of vault_json_dumps as it grows, in jansson's allocator. */
typedef struct json_text {
    char *text;
    size_t len, cap;
    int failed; /* once set, every later write fails too */
} json_text;

static int json_text_append(const char *data, size_t size, void *ctx)
{
    json_text *t = ctx;
    if (t->failed)
        return -1;
    if (size >= t->cap - t->len) {
        json_malloc_t jmalloc = NULL;
        json_free_t jfree = NULL;
        json_get_alloc_funcs(&jmalloc, &jfree);
        size_t cap = t->cap ? t->cap : 256;
        while (cap - t->len <= size && cap < SIZE_MAX / 2)
            cap *= 2;
        char *grown = cap - t->len > size ? jmalloc(cap) : NULL;
        if (grown == NULL) {
            t->failed = 1;
            return -1;
        }
        if (t->text != NULL) {
            memcpy(grown, t->text, t->len);
            sodium_memzero(t->text, t->len);
            jfree(t->text);
        }
        t->text = grown;
        t->cap = cap;
    }
    memcpy(t->text + t->len, data, size);
    t->len += size;
    t->text[t->len] = '\0';
    return 0;
}

char *vault_json_dumps(const json_t *json, size_t flags)
{
    json_text t = {NULL, 0, 0, 0};
    if (json_dump_callback(json, json_text_append, &t, flags) != 0 || t.failed) {
        vault_json_free(t.text);
        return NULL;
    }
    return t.text;
}

void vault_json_free(char *text)
{
    if (text == NULL)
        return;
    /* An application may have installed its own jansson allocators. */
    json_free_t jfree = NULL;
    json_get_alloc_funcs(NULL, &jfree);
    sodium_memzero(text, strlen(text));
    jfree(text);
}

int vault_require_unlocked(const lv_vault *vault)
{
    if (vault == NULL || vault->keys == NULL)
        return err_set(LV_EDENIED, "the vault is locked: unlock it as a user first");
    return 0;
}

void lv_vault_id(const lv_vault *vault, char out[LV_ID_STRLEN + 1])
{
    vault_id_to_hex(out, vault->id);
}

int lv_vault_whoami(const lv_vault *vault, const char **name, lv_role *role)
{
    int rc = vault_require_unlocked(vault);
    if (rc != 0)
        return rc;
    *name = vault->user;
    *role = vault->role;
    return 0;
}

static lv_vault *vault_new(store *st, const char *os_user)
{
    lv_vault *vault = calloc(1, sizeof *vault);
    if (vault == NULL)
        return NULL;
    vault->store = st;
    (void)snprintf(vault->os_user, sizeof vault->os_user, "%s",
                   os_user != NULL && lead_user_name_valid(os_user) ? os_user : "unknown");
    return vault;
}

unsigned char *vault_scratch(lv_vault *vault, size_t need)
{
    if (need > vault->secure_cap) {
        size_t cap = need < 4096 ? 4096 : need;
        unsigned char *grown = sodium_malloc(cap);
        if (grown == NULL)
            return NULL;
        if (vault->secure != NULL)
            sodium_free(vault->secure);
        vault->secure = grown;
        vault->secure_cap = cap;
    }
    return vault->secure;
}

static void vault_free(lv_vault *vault)
{
    if (vault == NULL)
        return;
    if (vault->secure != NULL)
        sodium_free(vault->secure);
    store_close(vault->store);
    keyring_free(vault->keys);
    free(vault);
}

/* Remove a half-created vault and its SQLite side files. */
static void remove_vault_files(const char *path)
{
    char side[4096];
    unlink(path);
    /* A cut-off name would be some other file: skip it (SQLite could not
     * have opened a path that long anyway). */
    if (snprintf(side, sizeof side, "%s-wal", path) < (int)sizeof side)
        unlink(side);
    if (snprintf(side, sizeof side, "%s-shm", path) < (int)sizeof side)
        unlink(side);
}

int lv_vault_create(lv_vault **out, const char *path, const lv_create_options *opts)
{
    err_clear();
    *out = NULL;
    int rc = library_init();
    if (rc != 0)
        return rc;
    if (opts == NULL || opts->version != LV_CREATE_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "create options: wrong version");
    if (opts->admin_name == NULL || !lead_user_name_valid(opts->admin_name))
        return err_set(LV_EINVAL, "user name: 1 to %d characters of A-Z a-z 0-9 . _ -",
                       LV_NAME_MAX);
    if (opts->passphrase == NULL || opts->passphrase_len == 0)
        return err_set(LV_EINVAL, "the passphrase is empty");
    lv_kdf_params kdf = opts->kdf;
    if ((rc = kdf_params_resolve(&kdf)) != 0)
        return rc;

    store *st = NULL;
    if ((rc = store_create(&st, path)) != 0)
        return rc;
    lv_vault *vault = vault_new(st, opts->os_user);
    if (vault == NULL) {
        store_close(st);
        remove_vault_files(path);
        return err_set(LV_ERROR, "out of memory");
    }
    randombytes_buf(vault->id, LV_ID_BYTES);
    vault->keys = keyring_new(NULL);
    (void)snprintf(vault->user, sizeof vault->user, "%s", opts->admin_name);
    vault->role = LV_ROLE_ADMIN;

    store_keyslot slot;
    int64_t created = vault_now_ms();
    unsigned char created_be[8];
    for (int i = 0; i < 8; i++)
        created_be[i] = (unsigned char)((uint64_t)created >> (56 - 8 * i));
    audit_event event = {.action = "vault.create"};
    if (vault->keys == NULL)
        rc = err_set(LV_ERROR, "out of memory");
    else if ((rc = keyslot_make(&slot, vault->keys, vault->id, opts->admin_name, LV_ROLE_ADMIN,
                                opts->passphrase, opts->passphrase_len, &kdf, created)) == 0 &&
             (rc = store_begin(st)) == 0) {
        if ((rc = store_meta_put(st, "vault_id", vault->id, LV_ID_BYTES)) != 0 ||
            (rc = store_meta_put(st, "created", created_be, sizeof created_be)) != 0 ||
            (rc = store_keyslot_insert(st, &slot)) != 0 ||
            (rc = purpose_install_defaults(vault)) != 0 || (rc = audit_append(vault, &event)) != 0 ||
            (rc = store_commit(st)) != 0)
            store_rollback(st);
    }
    if (rc != 0) {
        vault_free(vault);
        remove_vault_files(path);
        return rc;
    }
    *out = vault;
    return 0;
}

/* Record a failed unlock. Without the master key the entry cannot be
 * signed now; the next successful session's checkpoint covers it. */
static void audit_failed_unlock(lv_vault *vault, const char *user, int code)
{
    (void)snprintf(vault->user, sizeof vault->user, "%s",
                   lead_user_name_valid(user) ? user : "(invalid user name)");
    audit_event event = {.action = "vault.unlock", .code = code};
    audit_record_failure(vault, &event);
    vault->user[0] = '\0';
    vault->appended = 0;
}

int lv_vault_open(lv_vault **out, const char *path, const lv_open_options *opts)
{
    err_clear();
    *out = NULL;
    int rc = library_init();
    if (rc != 0)
        return rc;
    if (opts == NULL || opts->version != LV_OPEN_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "open options: wrong version");
    store *st = NULL;
    if ((rc = store_open(&st, path, opts->busy_timeout_ms)) != 0)
        return rc;
    lv_vault *vault = vault_new(st, opts->os_user);
    if (vault == NULL) {
        store_close(st);
        return err_set(LV_ERROR, "out of memory");
    }
    size_t id_len = 0;
    rc = store_meta_get(st, "vault_id", vault->id, LV_ID_BYTES, &id_len);
    if (rc == 0 && id_len != LV_ID_BYTES)
        rc = LV_ECORRUPT;
    if (rc != 0) {
        vault_free(vault);
        /* Busy, out of memory, an I/O error: as the store said it. */
        if (rc == LV_ENOTFOUND || rc == LV_ECORRUPT)
            return err_set(LV_ECORRUPT, "the vault id is missing or malformed");
        return rc;
    }
    if (opts->user == NULL) {
        *out = vault;
        return 0;
    }

    store_keyslot slot;
    rc = store_keyslot_get(st, opts->user, &slot);
    if (rc == LV_ENOTFOUND) {
        /* Pay the same KDF cost as a real slot, so timing does not tell
         * whether a user exists. */
        lv_kdf_params kdf = {0, 0, 0};
        if (store_keyslot_any_kdf(st, &kdf) != 0 || kdf_params_resolve(&kdf) != 0)
            kdf = (lv_kdf_params){0, 0, 0}, (void)kdf_params_resolve(&kdf);
        unsigned char *scratch = sodium_malloc(KEY_BYTES);
        unsigned char salt[SALT_BYTES];
        randombytes_buf(salt, sizeof salt);
        if (scratch != NULL) {
            (void)kdf_derive(scratch, opts->passphrase != NULL ? opts->passphrase : "",
                             opts->passphrase_len, salt, &kdf);
            sodium_free(scratch);
        }
        rc = err_set(LV_EAUTH, "wrong passphrase or unknown user");
    } else if (rc == 0) {
        rc = keyslot_unlock(&vault->keys, &slot, vault->id,
                            opts->passphrase != NULL ? opts->passphrase : "",
                            opts->passphrase_len);
    }
    if (rc != 0) {
        if (rc == LV_EAUTH || rc == LV_ECORRUPT)
            audit_failed_unlock(vault, opts->user, rc);
        vault_free(vault);
        return rc;
    }
    (void)snprintf(vault->user, sizeof vault->user, "%s", slot.name);
    vault->role = (lv_role)slot.role;
    if (lv_role_name(vault->role) == NULL) {
        vault_free(vault);
        return err_set(LV_ECORRUPT, "keyslot of user '%s' holds an unknown role", slot.name);
    }
    *out = vault;
    return 0;
}

int lv_vault_close(lv_vault *vault)
{
    if (vault == NULL)
        return 0;
    int rc = audit_sign_checkpoint(vault);
    vault_free(vault);
    return rc;
}

/* ---- check ---- */

typedef struct check_ctx {
    lv_vault *vault;
    lv_check_fn fn;
    void *user_ctx;
    uint64_t leads;
    uint64_t problems;
    unsigned char *plain;
    size_t plain_cap;
} check_ctx;

static void report(check_ctx *c, const char *lead_id, const char *field, const char *problem)
{
    c->problems++;
    if (c->fn != NULL)
        c->fn(c->user_ctx, lead_id, field, problem);
}

static void report_integrity(void *ctx, const char *problem)
{
    report(ctx, NULL, NULL, problem);
}

static int check_slot(void *ctx, const store_keyslot *slot)
{
    check_ctx *c = ctx;
    if (!keyslot_mac_valid(slot, c->vault->keys, c->vault->id)) {
        char problem[128];
        (void)snprintf(problem, sizeof problem, "keyslot of user '%s' failed its integrity check",
                       slot->name);
        report(c, NULL, NULL, problem);
    }
    return 0;
}

static int check_lead(void *ctx, const store_lead *lead)
{
    check_ctx *c = ctx;
    char id[LV_ID_STRLEN + 1];
    vault_id_to_hex(id, lead->id);
    c->leads++;
    if (lead_mac_check(c->vault, lead) != 0)
        report(c, id, "metadata", "metadata or consent head altered (MAC mismatch)");
    else if (consent_each_verified(c->vault, lead, NULL, NULL) != 0)
        report(c, id, "consent", "consent history incomplete, reordered or altered");
    unsigned char *key = sodium_malloc(KEY_BYTES);
    if (key == NULL)
        return err_set(LV_ERROR, "out of memory");
    unsigned char ad[LEADKEY_AD_BYTES];
    seal_leadkey_ad(ad, c->vault->id, lead->id);
    if (key_unwrap(key, lead->wrapped_key, c->vault->keys->subkey[SUBKEY_DATA_WRAP], ad,
                   sizeof ad) != 0) {
        report(c, id, "data_key", "the lead's data key fails to unwrap");
        sodium_free(key);
        return 0;
    }
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (lead->sealed[f] == NULL)
            continue;
        size_t need = lead->sealed_len[f] >= SEAL_OVERHEAD ? lead->sealed_len[f] - SEAL_OVERHEAD : 0;
        if (need > c->plain_cap) {
            unsigned char *grown = sodium_malloc(need);
            if (grown == NULL) {
                sodium_free(key);
                return err_set(LV_ERROR, "out of memory");
            }
            sodium_free(c->plain);
            c->plain = grown;
            c->plain_cap = need;
        }
        if (seal_open_field(c->plain, lead->sealed[f], lead->sealed_len[f], key, c->vault->id,
                            lead->id, (lv_field)f) != 0)
            report(c, id, lv_field_name((lv_field)f), "sealed value fails to open (tampered, "
                                                      "moved or corrupt)");
        else
            sodium_memzero(c->plain, need);
    }
    sodium_free(key);
    return 0;
}

static int check_purpose(void *ctx, const store_purpose *p)
{
    check_ctx *c = ctx;
    if (!purpose_mac_valid(c->vault, p)) {
        char problem[128];
        (void)snprintf(problem, sizeof problem, "purpose %s failed its integrity check", p->name);
        report(c, NULL, NULL, problem);
    }
    return 0;
}

static int check_consent(void *ctx, const store_consent *consent)
{
    check_ctx *c = ctx;
    if (!consent_mac_valid(c->vault, consent)) {
        char id[LV_ID_STRLEN + 1];
        vault_id_to_hex(id, consent->lead_id);
        report(c, id, "consent", "a consent record failed its integrity check");
    }
    return 0;
}

static int check_hold(void *ctx, const store_hold *h)
{
    check_ctx *c = ctx;
    if (hold_check(c->vault, h) != 0) {
        char id[LV_ID_STRLEN + 1];
        vault_id_to_hex(id, h->lead_id);
        report(c, id, "hold", "the legal hold failed its integrity check");
    }
    return 0;
}

static int check_rule(void *ctx, const store_rule *r)
{
    check_ctx *c = ctx;
    if (retention_rule_check(c->vault, r) != 0)
        report(c, NULL, NULL, lv_error_last());
    return 0;
}

int lv_vault_check(lv_vault *vault, lv_check_fn fn, void *ctx, uint64_t *leads_checked)
{
    err_clear();
    int rc = vault_require_unlocked(vault);
    if (rc == 0)
        rc = policy_check(vault->role, POLICY_CHECK);
    if (rc != 0)
        return rc;
    check_ctx c = {.vault = vault, .fn = fn, .user_ctx = ctx};
    rc = store_integrity(vault->store, report_integrity, &c);
    if (rc == 0 || rc == LV_ECORRUPT) {
        int walk = store_keyslot_each(vault->store, check_slot, &c);
        if (walk == 0)
            walk = store_purpose_each(vault->store, check_purpose, &c);
        if (walk == 0)
            walk = store_consent_all(vault->store, check_consent, &c);
        if (walk == 0)
            walk = store_hold_each(vault->store, check_hold, &c);
        if (walk == 0)
            walk = store_rule_each(vault->store, check_rule, &c);
        if (walk == 0)
            walk = store_lead_each(vault->store, NULL, 1, check_lead, &c);
        if (walk != 0 && walk != LV_ECORRUPT)
            rc = walk;
        else if (walk == LV_ECORRUPT)
            report(&c, NULL, NULL, lv_error_last());
    }
    sodium_free(c.plain);
    if (leads_checked != NULL)
        *leads_checked = c.leads;
    if (rc == 0 && c.problems > 0)
        rc = err_set(LV_ECORRUPT, "integrity check found %llu problem(s)",
                     (unsigned long long)c.problems);
    audit_event event = {.action = "vault.check", .code = rc};
    if (rc == 0) {
        if ((rc = store_begin(vault->store)) == 0) {
            if ((rc = audit_append(vault, &event)) != 0 || (rc = store_commit(vault->store)) != 0)
                store_rollback(vault->store);
        }
    } else if (rc != LV_EBUSY)
        audit_record_failure(vault, &event);
    return rc;
}
