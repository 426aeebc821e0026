/* audit_verify.c - verify the audit chain and its signed checkpoints, in a
 * vault or in an exported JSON Lines log, with only the public key. */
#include <jansson.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_verify.h"
#include "checkpoint.h"
#include "envelope.h"
#include "error.h"
#include "policy.h"
#include "util_array.h"

typedef struct signed_head {
    uint64_t size;
    unsigned char head[32];
    uint64_t order;        /* the order it was stored in (the sort keeps it) */
    checkpoint_signed cp; /* verified when the walk reaches its size */
} signed_head;

/* Checkpoint signatures are checked as the walk reaches them, under the
 * key valid there: the given (or first) key, then each key a vault.rekey
 * entry names, once a checkpoint covering that entry verified under the
 * key before it (docs/format.md, "Rekey"). */
typedef struct verifier {
    unsigned char vault_id[LV_ID_BYTES];
    unsigned char pubkey[32];
    unsigned char next_key[32]; /* named by the last vault.rekey entry, not yet certified */
    uint64_t next_seq;          /* that entry's seq; 0 = none */
    signed_head *heads; /* stored checkpoints, sorted by size before entries */
    size_t nheads, cap, next;
    int have_outside;
    checkpoint_signed outside;
    uint64_t expected;
    unsigned char prev[32];
    unsigned char *buf;
    size_t bufcap;
    lv_audit_report *report;
} verifier;

static int fail_at(verifier *vf, uint64_t seq, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(verifier *vf, uint64_t seq, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(vf->report->reason, sizeof vf->report->reason, fmt, ap);
    va_end(ap);
    vf->report->first_bad_seq = seq;
    return err_set(LV_ECORRUPT, "audit log fails verification at entry %llu: %s",
                   (unsigned long long)seq, vf->report->reason);
}

static void verifier_init(verifier *vf, lv_audit_report *report)
{
    memset(vf, 0, sizeof *vf);
    memset(report, 0, sizeof *report);
    vf->report = report;
    vf->expected = 1;
}

static void verifier_free(verifier *vf)
{
    free(vf->heads);
    free(vf->buf);
}

/* Set the key and, optionally, the outside checkpoint to check against
 * (its signature is checked when the walk reaches it). */
static int verifier_keys(verifier *vf, const unsigned char pubkey[32], const char *checkpoint)
{
    memcpy(vf->pubkey, pubkey, 32);
    if (checkpoint == NULL)
        return 0;
    int rc = checkpoint_parse(&vf->outside, checkpoint);
    if (rc != 0)
        return rc;
    if (sodium_memcmp(vf->outside.vault_id, vf->vault_id, LV_ID_BYTES) != 0)
        return fail_at(vf, vf->outside.size, "the outside checkpoint belongs to another vault");
    vf->have_outside = 1;
    return 0;
}

/* A vault.rekey entry names its generation's signing key: "generation G
 * signing key HEX". */
static void note_rekey(verifier *vf, const store_audit *e)
{
    static const char marker[] = "signing key ";
    const char *at = e->subject != NULL ? strstr(e->subject, marker) : NULL;
    size_t got = 0;
    if (at == NULL || strcmp(e->action, "vault.rekey") != 0 || strcmp(e->outcome, "ok") != 0)
        return;
    at += sizeof marker - 1;
    if (strlen(at) == 64 &&
        sodium_hex2bin(vf->next_key, 32, at, 64, NULL, &got, NULL) == 0 && got == 32)
        vf->next_seq = e->seq;
}

/* cp verifies under the key valid at its size; a checkpoint that verified
 * under it at or after the last vault.rekey entry certifies that entry's
 * key, which then signs the later ones. *certified tells the caller. */
static int signed_by_chain(verifier *vf, const checkpoint_signed *cp, int *certified)
{
    if (checkpoint_signature_valid(cp, vf->pubkey)) {
        *certified = vf->next_seq != 0 && cp->size >= vf->next_seq;
        return 1;
    }
    return 0;
}

static void adopt_next_key(verifier *vf)
{
    memcpy(vf->pubkey, vf->next_key, 32);
    vf->next_seq = 0;
}

static int verifier_checkpoint(verifier *vf, const checkpoint_signed *cp)
{
    if (cp->size == 0)
        return fail_at(vf, 1, "a checkpoint covers 0 entries (no checkpoint is ever signed so)");
    if (sodium_memcmp(cp->vault_id, vf->vault_id, LV_ID_BYTES) != 0)
        return fail_at(vf, cp->size, "checkpoint at size %llu names another vault",
                       (unsigned long long)cp->size);
    signed_head *head =
        util_array_append((void **)&vf->heads, &vf->nheads, &vf->cap, sizeof *head, 64);
    if (head == NULL)
        return LV_ERROR;
    head->size = cp->size;
    head->order = vf->nheads;
    head->cp = *cp;
    memcpy(head->head, cp->head, 32);
    vf->report->checkpoints++;
    return 0;
}

static int by_size(const void *a, const void *b)
{
    const signed_head *p = a, *q = b;
    if (p->size != q->size)
        return p->size < q->size ? -1 : 1;
    return p->order < q->order ? -1 : p->order > q->order;
}

static void verifier_sort(verifier *vf)
{
    if (vf->nheads > 1)
        qsort(vf->heads, vf->nheads, sizeof *vf->heads, by_size);
}

static int verifier_entry(verifier *vf, const store_audit *e)
{
    if (e->seq != vf->expected)
        return fail_at(vf, vf->expected,
                       e->seq > vf->expected ? "entry missing (deleted), next is %llu"
                                             : "entries out of order or duplicated (found %llu)",
                       (unsigned long long)e->seq);
    if (sodium_memcmp(e->prev_hash, vf->prev, 32) != 0)
        return fail_at(vf, e->seq, "link to the previous entry is broken (entry moved, "
                                   "swapped or a predecessor removed)");
    unsigned char hash[32];
    int rc = audit_hash(hash, e, &vf->buf, &vf->bufcap);
    if (rc != 0)
        return rc;
    if (sodium_memcmp(hash, e->hash, 32) != 0)
        return fail_at(vf, e->seq, "entry content does not match its hash (entry edited)");
    note_rekey(vf, e);
    int certified = 0;
    for (; vf->next < vf->nheads && vf->heads[vf->next].size == e->seq; vf->next++) {
        if (sodium_memcmp(vf->heads[vf->next].head, hash, 32) != 0)
            return fail_at(vf, e->seq, "chain differs from the checkpoint signed at size %llu "
                                       "(log rewritten)",
                           (unsigned long long)e->seq);
        int now_certified = 0;
        if (signed_by_chain(vf, &vf->heads[vf->next].cp, &now_certified)) {
            certified |= now_certified;
            continue;
        }
        /* Not the current key: the newly certified one, from here on. */
        if (certified) {
            adopt_next_key(vf);
            certified = 0;
            if (checkpoint_signature_valid(&vf->heads[vf->next].cp, vf->pubkey))
                continue;
        }
        return fail_at(vf, e->seq,
                       "signature of the checkpoint at size %llu does not verify (altered, "
                       "or another key)",
                       (unsigned long long)e->seq);
    }
    if (certified)
        adopt_next_key(vf);
    if (vf->have_outside && vf->outside.size == e->seq &&
        (sodium_memcmp(vf->outside.head, hash, 32) != 0))
        return fail_at(vf, e->seq, "the log does not extend the outside checkpoint (rewritten "
                                   "or rolled back)");
    if (vf->have_outside && vf->outside.size == e->seq) {
        int ignored = 0;
        if (!signed_by_chain(vf, &vf->outside, &ignored) &&
            !(vf->next_seq != 0 && checkpoint_signature_valid(&vf->outside, vf->next_key)))
            return fail_at(vf, vf->outside.size,
                           "the outside checkpoint's signature does not verify under this key");
    }
    memcpy(vf->prev, hash, 32);
    vf->expected++;
    vf->report->entries++;
    return 0;
}

static int verifier_finish(verifier *vf)
{
    uint64_t entries = vf->report->entries;
    /* Every vault signs a checkpoint when it is created: a log with entries
     * and none has lost them, and an unkeyed chain alone proves nothing. */
    if (entries > 0 && vf->nheads == 0 && !vf->have_outside)
        return fail_at(vf, 1, "the log has no signed checkpoint (deleted?)");
    if (vf->next < vf->nheads)
        return fail_at(vf, entries + 1,
                       "log truncated: a checkpoint covers %llu entries, the log has %llu",
                       (unsigned long long)vf->heads[vf->nheads - 1].size,
                       (unsigned long long)entries);
    if (vf->have_outside) {
        if (vf->outside.size > entries)
            return fail_at(vf, entries + 1,
                           "log truncated or rolled back: the outside checkpoint covers %llu "
                           "entries, the log has %llu",
                           (unsigned long long)vf->outside.size, (unsigned long long)entries);
        vf->report->extends_checkpoint = 1;
    }
    vf->report->signed_size = vf->nheads ? vf->heads[vf->nheads - 1].size : 0;
    if (vf->have_outside && vf->outside.size > vf->report->signed_size)
        vf->report->signed_size = vf->outside.size;
    vf->report->unsigned_tail = entries - vf->report->signed_size;
    return 0;
}

/* ---- in a vault ---- */

static int feed_checkpoint(void *ctx, const store_checkpoint *cp)
{
    verifier *vf = ctx;
    checkpoint_signed text;
    checkpoint_from_store(&text, vf->vault_id, cp);
    return verifier_checkpoint(vf, &text);
}

static int feed_entry(void *ctx, const store_audit *e)
{
    return verifier_entry(ctx, e);
}

int lv_audit_verify(lv_vault *vault, const char *pubkey_text, const char *checkpoint_text,
                    lv_audit_report *report)
{
    err_clear();
    verifier vf;
    verifier_init(&vf, report);
    if (vault == NULL)
        return err_set(LV_EINVAL, "no vault");
    memcpy(vf.vault_id, vault->id, LV_ID_BYTES);
    unsigned char pubkey[32];
    int rc = 0;
    if (pubkey_text != NULL) {
        unsigned char key_vault[LV_ID_BYTES];
        if ((rc = pubkey_parse(pubkey, key_vault, pubkey_text)) != 0)
            return rc;
        if (sodium_memcmp(key_vault, vault->id, LV_ID_BYTES) != 0)
            return fail_at(&vf, 1, "the public key belongs to another vault");
    } else if (vault->keys != NULL) {
        /* The first key generation's: the log certifies every later one. */
        unsigned char signers[1][32];
        if ((rc = keygen_signers(vault->store, vault->keys, vault->id, signers, 1)) < 0)
            return rc;
        memcpy(pubkey, rc > 0 ? signers[0] : vault->keys->sign_public, 32);
    } else {
        return err_set(LV_EINVAL, "verifying a locked vault needs its public key");
    }
    if (vault->keys != NULL && (rc = policy_check(vault->role, POLICY_AUDIT_VERIFY)) != 0)
        return rc;
    if ((rc = verifier_keys(&vf, pubkey, checkpoint_text)) != 0)
        return rc;
    /* One transaction: checkpoints and entries from the same snapshot. */
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    /* A damaged page could hide checkpoints or the newest entries, which
     * would then read as never written. */
    if ((rc = store_check_table(vault->store, "audit_checkpoint", 0)) == 0 &&
        (rc = store_check_table(vault->store, "audit", 0)) == 0)
        rc = store_checkpoint_each(vault->store, feed_checkpoint, &vf);
    verifier_sort(&vf);
    if (rc == 0)
        rc = store_audit_each(vault->store, NULL, feed_entry, &vf);
    if (rc == 0)
        rc = verifier_finish(&vf);
    verifier_free(&vf);
    audit_event event = {.action = "audit.verify", .code = rc};
    if (vault->keys != NULL && rc != LV_EBUSY) {
        int logged = audit_append(vault, &event);
        if (logged == 0)
            logged = store_commit(vault->store);
        if (logged != 0 && rc == 0)
            rc = logged;
    }
    store_rollback(vault->store);
    return rc;
}

/* ---- in an exported JSON Lines log ---- */

static int hex_exact(unsigned char *out, size_t len, const char *hex)
{
    size_t got = 0;
    const char *end = NULL;
    /* The export writes lower case only: any other byte is an edit. */
    for (size_t i = 0; hex != NULL && hex[i] != '\0'; i++) {
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            return -1;
    }
    return hex != NULL && strlen(hex) == 2 * len &&
                   sodium_hex2bin(out, len, hex, 2 * len, NULL, &got, &end) == 0 && got == len
               ? 0
               : -1;
}

static const char *const entry_text_keys[] = {"time",    "actor",   "role",    "os_user",
                                              "action",  "subject", "fields",  "purpose",
                                              "outcome", "request"};
#define ENTRY_KEYS 15 /* the ten above, seq, code, lead_ids, prev_hash, hash */

/* Rebuild a store_audit from one exported line; -1 when malformed. */
static int entry_from_json(store_audit *e, unsigned char **ids, size_t *ids_cap, json_t *o)
{
    memset(e, 0, sizeof *e);
    const char **slots[] = {&e->time,    &e->actor,  &e->role,    &e->os_user, &e->action,
                            &e->subject, &e->fields, &e->purpose, &e->outcome, &e->request};
    if (!json_is_object(o) || json_object_size(o) != ENTRY_KEYS)
        return -1;
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        json_t *v = json_object_get(o, entry_text_keys[i]);
        if (!json_is_string(v))
            return -1;
        *slots[i] = json_string_value(v);
    }
    json_t *seq = json_object_get(o, "seq"), *code = json_object_get(o, "code");
    json_t *list = json_object_get(o, "lead_ids");
    if (!json_is_integer(seq) || json_integer_value(seq) < 1 || !json_is_integer(code) ||
        !json_is_array(list) ||
        hex_exact(e->prev_hash, 32, json_string_value(json_object_get(o, "prev_hash"))) != 0 ||
        hex_exact(e->hash, 32, json_string_value(json_object_get(o, "hash"))) != 0)
        return -1;
    json_int_t c = json_integer_value(code);
    if (c < INT32_MIN || c > INT32_MAX)
        return -1;
    e->seq = (uint64_t)json_integer_value(seq);
    e->code = (int)c;
    size_t n = json_array_size(list);
    /* *ids_cap counts ids; the first block holds exactly the first entry's. */
    if (util_array_grow((void **)ids, ids_cap, n, LV_ID_BYTES, n) != 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (hex_exact(*ids + i * LV_ID_BYTES, LV_ID_BYTES,
                      json_string_value(json_array_get(list, i))) != 0)
            return -1;
    }
    e->lead_ids = *ids;
    e->lead_count = n;
    return 0;
}

static int verify_lines(verifier *vf, FILE *in, const char *pubkey_text,
                        const char *checkpoint_text)
{
    char *line = NULL;
    size_t cap = 0, number = 0;
    unsigned char *ids = NULL;
    size_t ids_cap = 0;
    int rc = 0, entries_started = 0;
    ssize_t len;
    while (rc == 0 && (len = getline(&line, &cap, in)) >= 0) {
        number++;
        json_error_t jerr;
        json_t *o = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &jerr);
        if (o == NULL) {
            rc = fail_at(vf, vf->expected, "line %zu is not valid JSON", number);
            break;
        }
        const char *type = json_string_value(json_object_get(o, "type"));
        if (number == 1) {
            unsigned char pubkey[32], key_vault[LV_ID_BYTES];
            if (type == NULL || strcmp(type, "leadvault-audit-export") != 0 ||
                json_integer_value(json_object_get(o, "version")) != 1 ||
                hex_exact(vf->vault_id, LV_ID_BYTES,
                          json_string_value(json_object_get(o, "vault_id"))) != 0)
                rc = fail_at(vf, 1, "line 1 is not a leadvault audit export header");
            else if ((rc = pubkey_parse(pubkey, key_vault, pubkey_text)) == 0) {
                if (sodium_memcmp(key_vault, vf->vault_id, LV_ID_BYTES) != 0)
                    rc = fail_at(vf, 1, "the public key belongs to another vault");
                else
                    rc = verifier_keys(vf, pubkey, checkpoint_text);
            }
        } else if (type != NULL && strcmp(type, "checkpoint") == 0 && !entries_started) {
            checkpoint_signed cp;
            const char *text = json_string_value(json_object_get(o, "checkpoint"));
            if (json_object_size(o) != 2 || text == NULL || checkpoint_parse(&cp, text) != 0)
                rc = fail_at(vf, vf->expected, "line %zu: malformed checkpoint", number);
            else
                rc = verifier_checkpoint(vf, &cp);
        } else {
            store_audit e;
            if (!entries_started) {
                verifier_sort(vf);
                entries_started = 1;
            }
            if (entry_from_json(&e, &ids, &ids_cap, o) != 0)
                rc = fail_at(vf, vf->expected, "line %zu: malformed entry", number);
            else
                rc = verifier_entry(vf, &e);
        }
        json_decref(o);
    }
    if (rc == 0 && number == 0)
        rc = fail_at(vf, 1, "the log file is empty");
    if (rc == 0 && ferror(in))
        rc = err_set(LV_ERROR, "cannot read the log file");
    if (rc == 0) {
        verifier_sort(vf);
        rc = verifier_finish(vf);
    }
    free(line);
    free(ids);
    return rc;
}

int audit_verify_log_stream(FILE *in, const char *pubkey_text, const char *checkpoint_text,
                            lv_audit_report *report)
{
    verifier vf;
    verifier_init(&vf, report);
    int rc = verify_lines(&vf, in, pubkey_text, checkpoint_text);
    verifier_free(&vf);
    return rc;
}

int lv_audit_verify_log(const char *jsonl_path, const char *pubkey_text,
                        const char *checkpoint_text, lv_audit_report *report)
{
    err_clear();
    memset(report, 0, sizeof *report);
    if (pubkey_text == NULL)
        return err_set(LV_EINVAL, "verifying an exported log needs the public key");
    FILE *in = fopen(jsonl_path, "rbe");
    if (in == NULL)
        return err_set(LV_ENOTFOUND, "cannot open %s", jsonl_path);
    int rc = audit_verify_log_stream(in, pubkey_text, checkpoint_text, report);
    (void)fclose(in);
    return rc;
}
