/* audit.h - append-only hash chain of audit entries, signed checkpoints. */
#ifndef LV_AUDIT_H
#define LV_AUDIT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "policy.h"
#include "store.h"
#include "session.h"

#define AUDIT_HASH_BYTES 32
/* Longest subject (a user, purpose or rule name, an erasure ground) and
 * request reference an entry records; a longer one is recorded as
 * "invalid subject" or "invalid request". */
#define AUDIT_SUBJECT_MAX 256
#define AUDIT_REQUEST_MAX 128

/* What one operation records. Never a field value or a secret. */
typedef struct audit_event {
    const char *action;             /* e.g. "lead.get" */
    const char *subject;            /* what else it acted on (a user name), or NULL */
    const unsigned char *lead_ids;  /* lead_count * LV_ID_BYTES */
    size_t lead_count;
    const char *fields;             /* comma-separated names, or NULL */
    const char *purpose;            /* or NULL */
    const char *request;            /* request reference, or NULL */
    int code;                       /* 0 ok, LV_EDENIED denied, else error */
    uint64_t seq;                   /* set by audit_append: the entry's number */
    unsigned char hash[32];         /* set by audit_append: the entry's hash */
} audit_event;

/* Append one entry inside the caller's open transaction; sets event->seq
 * and event->hash. */
int audit_append(lv_vault *vault, audit_event *event);

/* Record an operation that failed, in a transaction of its own (the
 * operation's was rolled back). Best effort: the caller's error wins. */
void audit_record_failure(lv_vault *vault, audit_event *event);

/* Gate of an operation: the vault is unlocked and the role may perform
 * action. A policy denial is audited before it is returned. */
int audit_gate(lv_vault *vault, policy_action action, audit_event *event);

/* End the operation's transaction: with rc 0, append event and commit;
 * otherwise (or when that fails) roll back and record the failure in a
 * transaction of its own. Returns the operation's result. */
int audit_commit(lv_vault *vault, int rc, audit_event *event);

/* A read whose results reach the caller while it runs (lead list, audit
 * show and export, stats, retention plan): audit_gate(action), then commit
 * event, in a transaction of its own, then run walk(vault, ctx) in a read
 * transaction, so that nothing is handed out unless its audit entry is in
 * the log (fail closed). walk returning 1 stops it early and counts as
 * success. A walk that fails is recorded as a second, failed entry.
 * Returns 0 or the first error. */
int audit_then_read(lv_vault *vault, policy_action action, audit_event *event,
                    int (*walk)(lv_vault *, void *), void *ctx);

/* The canonical encoding hashed into the chain (docs/format.md), written
 * into a growing buffer; returns its length, or 0 when out of memory. */
size_t audit_encode(unsigned char **buf, size_t *cap, const store_audit *entry);

/* hash = BLAKE2b-256(prev_hash || audit_encode(entry)). */
int audit_hash(unsigned char out[AUDIT_HASH_BYTES], const store_audit *entry,
               unsigned char **buf, size_t *cap);

/* Sign a checkpoint of the current head when this session appended. */
/* Inside the caller's transaction, after the vault.rekey entry that names
 * next's signing key: verify the tail under old's key, then sign the head
 * with old's key (the certification) and again with next's, so the newest
 * checkpoint always carries the current key and the switch is one commit. */
int audit_certify(lv_vault *vault, const keyring *old, const keyring *next);
int audit_sign_checkpoint(lv_vault *vault);

/* "ok", "denied" or "error" for a result code. */
const char *audit_outcome(int code);

#endif
