/* audit.c - the audit hash chain: append inside the operation's
 * transaction, canonical encoding, signed checkpoints. */
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "audit_action.h"
#include "checkpoint.h"
#include "digest.h"
#include "error.h"
#include "util_array.h"
#include "util_text.h"
#include "util_time.h"

const char *audit_outcome(int code)
{
    if (code == 0)
        return "ok";
    return code == LV_EDENIED ? "denied" : "error";
}

static int put(unsigned char **buf, size_t *cap, size_t *len, const void *data, size_t n)
{
    if (n > SIZE_MAX - *len || util_array_grow((void **)buf, cap, *len + n, 1, 256) != 0)
        return -1;
    memcpy(*buf + *len, data, n);
    *len += n;
    return 0;
}

static int put_u32(unsigned char **buf, size_t *cap, size_t *len, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    return put(buf, cap, len, b, 4);
}

static int put_str(unsigned char **buf, size_t *cap, size_t *len, const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (put_u32(buf, cap, len, (uint32_t)n) != 0)
        return -1;
    return n ? put(buf, cap, len, s, n) : 0;
}

size_t audit_encode(unsigned char **buf, size_t *cap, const store_audit *e)
{
    size_t len = 0;
    int bad = put(buf, cap, &len, "LVA1", 4);
    bad |= put_u32(buf, cap, &len, (uint32_t)(e->seq >> 32));
    bad |= put_u32(buf, cap, &len, (uint32_t)e->seq);
    const char *const text[] = {e->time,   e->actor,   e->role,    e->os_user, e->action,
                                e->subject, e->fields, e->purpose, e->outcome, e->request};
    for (size_t i = 0; i < sizeof text / sizeof text[0]; i++)
        bad |= put_str(buf, cap, &len, text[i]);
    bad |= put_u32(buf, cap, &len, (uint32_t)e->code);
    bad |= put_u32(buf, cap, &len, (uint32_t)e->lead_count);
    if (e->lead_count)
        bad |= put(buf, cap, &len, e->lead_ids, e->lead_count * LV_ID_BYTES);
    return bad ? 0 : len;
}

int audit_hash(unsigned char out[AUDIT_HASH_BYTES], const store_audit *entry,
               unsigned char **buf, size_t *cap)
{
    size_t len = audit_encode(buf, cap, entry);
    if (len == 0)
        return err_set(LV_ERROR, "out of memory");
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, AUDIT_HASH_BYTES);
    crypto_generichash_update(&st, entry->prev_hash, AUDIT_HASH_BYTES);
    crypto_generichash_update(&st, *buf, len);
    crypto_generichash_final(&st, out, AUDIT_HASH_BYTES);
    return 0;
}

/* text when it is clean text of at most max bytes, else "invalid <what>":
 * every operation checks what its caller supplied before anything is
 * recorded; this keeps a text that slipped through (control characters,
 * invalid UTF-8, an unbounded value, perhaps PII) out of a log that can
 * never be erased. */
static const char *audit_text(const char *text, size_t max, const char *invalid)
{
    if (text == NULL)
        return "";
    return util_text_valid(text, max) ? text : invalid;
}

int audit_append(lv_vault *vault, audit_event *event)
{
    /* Every action has its line in audit_action.c's table (audit actions
     * lists them); one without is a programming error, refused loudly. */
    if (!audit_action_known(event->action))
        return err_set(LV_ERROR, "audit action %s is not in the table of actions",
                       event->action != NULL ? event->action : "(none)");
    store_audit e;
    memset(&e, 0, sizeof e);
    uint64_t head_seq;
    int rc = store_audit_head(vault->store, &head_seq, e.prev_hash);
    if (rc != 0)
        return rc;
    char time[32];
    lv_time_format(time, util_now_ms());
    e.seq = head_seq + 1;
    e.time = time;
    e.actor = audit_text(vault->user, LV_NAME_MAX, "invalid user name");
    e.role = vault->keys != NULL ? lv_role_name(vault->role) : "";
    e.os_user = audit_text(vault->os_user, LV_NAME_MAX, "invalid os user");
    e.action = event->action;
    e.subject = audit_text(event->subject, AUDIT_SUBJECT_MAX, "invalid subject");
    e.fields = event->fields != NULL ? event->fields : "";
    e.purpose = audit_text(event->purpose, LV_PURPOSE_NAME_MAX, "invalid purpose");
    e.outcome = audit_outcome(event->code);
    e.code = event->code;
    e.request = audit_text(event->request, AUDIT_REQUEST_MAX, "invalid request");
    e.lead_ids = event->lead_ids;
    e.lead_count = event->lead_count;
    unsigned char *buf = NULL;
    size_t cap = 0;
    rc = audit_hash(e.hash, &e, &buf, &cap);
    free(buf);
    if (rc != 0)
        return rc;
    if ((rc = store_audit_append(vault->store, &e)) != 0) {
        char cause[256]; /* err_set writes the buffer the cause is in */
        (void)snprintf(cause, sizeof cause, "%s", lv_error_last());
        return err_set(rc, "audit log append failed (%s); the operation was not carried out",
                       cause);
    }
    vault->appended++;
    event->seq = e.seq;
    memcpy(event->hash, e.hash, 32);
    return 0;
}

void audit_record_failure(lv_vault *vault, audit_event *event)
{
    char saved[512];
    (void)snprintf(saved, sizeof saved, "%s", lv_error_last());
    if (store_begin(vault->store) == 0) {
        if (audit_append(vault, event) == 0)
            (void)store_commit(vault->store);
        else
            store_rollback(vault->store);
    }
    err_set(event->code, "%s", saved);
}

int audit_then_read(lv_vault *vault, policy_action action, audit_event *event,
                    int (*walk)(lv_vault *, void *), void *ctx)
{
    int rc = audit_gate(vault, action, event);
    if (rc != 0 || (rc = store_begin(vault->store)) != 0 ||
        (rc = audit_commit(vault, 0, event)) != 0 ||
        (rc = store_begin_read(vault->store)) != 0)
        return rc;
    rc = walk(vault, ctx);
    store_rollback(vault->store); /* ends the read */
    if (rc == 1)
        rc = 0;
    if (rc != 0 && rc != LV_EBUSY) {
        event->code = rc;
        audit_record_failure(vault, event);
    }
    return rc;
}

/* The walk of audit_tail_verify: each entry after the last signed
 * checkpoint must link to the one before and hash to what it holds. */
typedef struct tail_walk {
    const store_checkpoint *signed_cp; /* NULL: no checkpoint yet */
    uint64_t next_seq;
    unsigned char prev[AUDIT_HASH_BYTES];
    unsigned char *buf;
    size_t cap;
    uint64_t bad_seq; /* 0: none */
} tail_walk;

static int tail_entry(void *ctx, const store_audit *e)
{
    tail_walk *t = ctx;
    unsigned char hash[AUDIT_HASH_BYTES];
    /* The signed head entry starts the tail: it must hash to the head the
     * checkpoint signs; each later one links to the one before. */
    int starts = t->signed_cp != NULL && e->seq == t->signed_cp->size;
    if (e->seq != t->next_seq ||
        (!starts && sodium_memcmp(e->prev_hash, t->prev, AUDIT_HASH_BYTES) != 0) ||
        audit_hash(hash, e, &t->buf, &t->cap) != 0 ||
        sodium_memcmp(hash, e->hash, AUDIT_HASH_BYTES) != 0 ||
        (starts && sodium_memcmp(hash, t->signed_cp->head, AUDIT_HASH_BYTES) != 0))
        t->bad_seq = e->seq;
    if (t->bad_seq != 0)
        return 1;
    memcpy(t->prev, e->hash, AUDIT_HASH_BYTES);
    t->next_seq = e->seq + 1;
    return 0;
}

/* Inside the caller's transaction: the newest checkpoint carries this
 * vault's signature, the entry it signs is still there with its hash,
 * and every entry after it, up to head_seq, links to the one before and
 * hashes to what it holds. A tail a file writer edited (or a checkpoint
 * it rewrote) is then never signed by the next honest command. */
static int audit_tail_verify(lv_vault *vault, uint64_t head_seq)
{
    store_checkpoint last;
    tail_walk t = {.next_seq = 1};
    int rc = store_checkpoint_latest(vault->store, &last);
    if (rc == 0) {
        checkpoint_signed text;
        checkpoint_from_store(&text, vault->id, &last);
        if (!checkpoint_signature_valid(&text, vault->keys->sign_public))
            return err_set(LV_ECORRUPT,
                           "integrity failure: the latest audit checkpoint "
                           "(size %llu) does not verify; no checkpoint signed",
                           (unsigned long long)last.size);
        if (last.size > head_seq)
            return err_set(LV_ECORRUPT,
                           "integrity failure: the audit log ends at entry %llu, before its "
                           "signed checkpoint (size %llu); no checkpoint signed",
                           (unsigned long long)head_seq, (unsigned long long)last.size);
        t.signed_cp = last.size > 0 ? &last : NULL;
        t.next_seq = last.size;
    } else if (rc != LV_ENOTFOUND) {
        return rc;
    }
    store_audit_filter from = {.from_seq = t.next_seq};
    rc = store_audit_each(vault->store, &from, tail_entry, &t);
    free(t.buf);
    if (rc < 0)
        return rc;
    if (t.bad_seq == 0 && t.next_seq != head_seq + 1)
        t.bad_seq = t.next_seq;
    if (t.bad_seq != 0)
        return err_set(LV_ECORRUPT,
                       "integrity failure: audit entry %llu, after the latest signed checkpoint, "
                       "does not verify (edited, inserted or removed); no checkpoint signed",
                       (unsigned long long)t.bad_seq);
    return 0;
}

int audit_sign_checkpoint(lv_vault *vault)
{
    if (vault->appended == 0 || vault->keys == NULL)
        return 0;
    store_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    int rc = store_begin(vault->store);
    if (rc != 0)
        return rc;
    if ((rc = store_audit_head(vault->store, &cp.size, cp.head)) != 0 ||
        (rc = audit_tail_verify(vault, cp.size)) != 0) {
        store_rollback(vault->store);
        return rc;
    }
    /* The state at the head, as a keyed commitment to D: an outside
     * checkpoint then pins the rows too, not only the log. */
    unsigned char d[DIGEST_BYTES];
    if ((rc = store_digest_value(vault->store, d)) != 0) {
        store_rollback(vault->store);
        return rc;
    }
    digest_sum sum;
    digest_sum_from_bytes(&sum, d);
    digest_commitment(cp.digest, vault, &sum);
    cp.has_digest = 1;
    sodium_memzero(d, sizeof d);
    sodium_memzero(&sum, sizeof sum);
    lv_time_format(cp.time, util_now_ms());
    char body[CHECKPOINT_BODY_MAX];
    size_t body_len = checkpoint_body(body, vault->id, cp.size, cp.head, cp.time, cp.digest);
    /* The detached signature covers exactly the body lines. */
    crypto_sign_detached(cp.signature, NULL, (const unsigned char *)body, body_len,
                         vault->keys->sign_secret);
    if ((rc = store_checkpoint_append(vault->store, &cp)) != 0 ||
        (rc = store_commit(vault->store)) != 0) {
        store_rollback(vault->store);
        return rc;
    }
    vault->appended = 0;
    return 0;
}

int audit_gate(lv_vault *vault, policy_action action, audit_event *event)
{
    int rc = session_require_unlocked(vault);
    if (rc == 0 && (rc = policy_check(vault->role, action)) != 0) {
        event->code = rc;
        audit_record_failure(vault, event);
    }
    return rc;
}

int audit_commit(lv_vault *vault, int rc, audit_event *event)
{
    if (rc == 0)
        rc = audit_append(vault, event);
    if (rc == 0)
        rc = store_commit(vault->store);
    if (rc != 0) {
        store_rollback(vault->store);
        event->code = rc;
        /* A busy vault cannot take the failure record either. */
        if (rc != LV_EBUSY)
            audit_record_failure(vault, event);
    }
    return rc;
}
