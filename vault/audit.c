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
#include "error.h"
#include "util_array.h"
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
    e.actor = vault->user;
    e.role = vault->keys != NULL ? lv_role_name(vault->role) : "";
    e.os_user = vault->os_user;
    e.action = event->action;
    e.subject = event->subject != NULL ? event->subject : "";
    e.fields = event->fields != NULL ? event->fields : "";
    e.purpose = event->purpose != NULL ? event->purpose : "";
    e.outcome = audit_outcome(event->code);
    e.code = event->code;
    e.request = event->request != NULL ? event->request : "";
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

int audit_sign_checkpoint(lv_vault *vault)
{
    if (vault->appended == 0 || vault->keys == NULL)
        return 0;
    store_checkpoint cp;
    memset(&cp, 0, sizeof cp);
    int rc = store_begin(vault->store);
    if (rc != 0)
        return rc;
    if ((rc = store_audit_head(vault->store, &cp.size, cp.head)) != 0) {
        store_rollback(vault->store);
        return rc;
    }
    lv_time_format(cp.time, util_now_ms());
    char body[CHECKPOINT_BODY_MAX];
    size_t body_len = checkpoint_body(body, vault->id, cp.size, cp.head, cp.time);
    /* The detached signature covers exactly the four body lines. */
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
