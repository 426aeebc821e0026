/* import.c - the writing half of an import (deduplicate, store, batch,
 * audit) and its driver: the reader runs on a second thread and hands
 * prepared rows over a bounded queue, so parsing and sealing overlap with
 * the database work. */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "consent.h"
#include "contact.h"
#include "error.h"
#include "hold.h"
#include "import.h"
#include "import_read.h"
#include "index_batch.h"
#include "lead.h"
#include "lead_country.h"
#include "tag_filter.h"
#include "util_array.h"
#include "util_text.h"

/* Prepared rows wait in the queue, at most QUEUE_ITEMS of them and
 * QUEUE_BYTES, and the writer takes TAKE_MAX at a time: a row is about
 * 1.8 KB, so some 26 MB are in flight at most. The queue is deep enough
 * for the reader to keep going while the writer closes a batch (100 ms
 * and more when the commit checkpoints the WAL). */
#define QUEUE_ITEMS 12288
#define QUEUE_BYTES (32u << 20)
#define TAKE_MAX 2048
#define HANDOFF IMPORT_HANDOFF /* rows handed over per lock */
#define GIVE_BACK 256          /* stored rows handed back per lock */
/* The duplicate filter is built when reading the index costs less than
 * the lookups it may save: at most FILTER_BASE entries plus FILTER_RATIO
 * per row stored so far (an index entry is read about twenty times faster
 * than a lookup is made). */
#define FILTER_BASE 20000u
#define FILTER_RATIO 16u
#define FILTER_TOO_BIG 1000 /* not an lv error code */

typedef struct importer {
    lv_vault *vault;
    const lv_import_options *opts;
    lv_import_summary *summary;
    lv_import_summary pending; /* counts of the open batch */
    atomic_ullong bytes;       /* input consumed, for progress */
    int in_tx;
    int audited;              /* audit entries this import appended */
    unsigned char *batch_ids; /* room for IMPORT_BATCH_ROWS_MAX */
    size_t batch_count;
    size_t batch_rows; /* rows of the open batch (batch_size) */
    uint32_t batch_fields;
    uint64_t stored;     /* new leads stored by this import */
    uint64_t held;       /* rows not updated: their lead is under legal hold */
    int no_suppressions; /* the suppression list is empty (this transaction) */
    /* Stored contacts, so that most rows skip the duplicate lookup. */
    tag_filter filter;
    enum { FILTER_NONE, FILTER_IN_USE, FILTER_GIVEN_UP } filter_state;
    uint64_t filter_attempt; /* stored rows before the next try to build it */
    int64_t data_version;    /* of the file when the filter was built */
    /* The batch's index entries, inserted in key order when it closes
     * (not with --on-duplicate update, which rewrites stored entries). */
    index_batch index;
    int index_later;
    import_timing timing;
    /* --consent-column: each column's purpose, and the leads of the open
     * batch it granted ([k][0]) or withdrew ([k][1]) consent for */
    const char *consent_purpose[LV_IMPORT_CONSENT_COLUMNS_MAX];
    char consent_purpose_buf[LV_IMPORT_CONSENT_COLUMNS_MAX][LV_PURPOSE_NAME_MAX + 1];
    unsigned char *consent_ids[LV_IMPORT_CONSENT_COLUMNS_MAX][2];
    size_t consent_count[LV_IMPORT_CONSENT_COLUMNS_MAX][2],
        consent_cap[LV_IMPORT_CONSENT_COLUMNS_MAX][2];
    unsigned consent_unknown_noted; /* columns already in consent_unknown_columns */
    import_user_name *users;        /* the vault's, for the owner column */
    size_t user_count, user_cap;
} importer;

static _Thread_local import_timing last_timing;

void import_timing_last(import_timing *out)
{
    *out = last_timing;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- what the writer knows of the vault ---- */

typedef struct filter_fill {
    tag_filter *filter;
    uint64_t budget; /* entries at most; 0: no limit */
} filter_fill;

static int filter_fill_one(void *ctx, int kind, const unsigned char tag[INDEX_TAG_BYTES])
{
    filter_fill *fill = ctx;
    if (fill->budget != 0 && fill->filter->entries >= fill->budget)
        return FILTER_TOO_BIG;
    tag_filter_add(fill->filter, kind, tag);
    return 0;
}

/* (Re)build the filter from the whole index: for the first time when the
 * index is small enough for its budget, or twice as large when it filled
 * up (amortized, every entry is read about twice). */
static int filter_build(importer *im, int64_t version)
{
    int growing = im->filter_state == FILTER_IN_USE;
    uint64_t budget = FILTER_BASE + FILTER_RATIO * im->stored;
    size_t expected = growing ? im->filter.entries * 2 : budget;
    tag_filter_free(&im->filter);
    im->filter_state = FILTER_NONE;
    if (tag_filter_init(&im->filter, expected) != 0) { /* only an aid: do without */
        err_clear();
        im->filter_state = FILTER_GIVEN_UP;
        return 0;
    }
    filter_fill fill = {&im->filter, growing ? 0 : budget};
    int rc = store_index_each(im->vault->store, filter_fill_one, &fill);
    if (rc == FILTER_TOO_BIG) { /* try again when more rows justify it */
        tag_filter_free(&im->filter);
        im->filter_attempt = im->stored * 2 + 1;
        return 0;
    }
    if (rc != 0) {
        tag_filter_free(&im->filter);
        return rc;
    }
    im->filter_state = FILTER_IN_USE;
    im->data_version = version;
    return 0;
}

/* Rows of the next batch. Each batch's sorted index entries land all over
 * the blind index, so once the index is large every batch rewrites most of
 * its pages: batches then grow with the vault, to a quarter of the leads
 * it is known to hold (those this import stored, or, with the filter, the
 * index entries it holds, about two per lead). Larger batches cost memory
 * (about 170 bytes a row for the held-back entries) and, on an
 * interruption, more rows to read again. 1M rows into a new vault: 36 s
 * with 10000-row batches, 20 s with 50000. */
static size_t batch_size(const importer *im)
{
    uint64_t leads = im->stored;
    if (im->filter_state == FILTER_IN_USE && im->filter.entries / 2 > leads)
        leads = im->filter.entries / 2;
    uint64_t rows = leads / 4;
    return rows < IMPORT_BATCH_ROWS       ? IMPORT_BATCH_ROWS
           : rows > IMPORT_BATCH_ROWS_MAX ? IMPORT_BATCH_ROWS_MAX
                                          : (size_t)rows;
}

/* The filter at the start of a batch. Another process may have committed
 * since the last batch (data_version); the filter could then miss its
 * leads, so it is given up and every row looks the index up. */
static int filter_refresh(importer *im)
{
    if (im->filter_state == FILTER_GIVEN_UP)
        return 0;
    int64_t version = 0;
    int rc = store_data_version(im->vault->store, &version);
    if (rc != 0)
        return rc;
    if (im->filter_state == FILTER_IN_USE && version != im->data_version) {
        tag_filter_free(&im->filter);
        im->filter_state = FILTER_GIVEN_UP;
        return 0;
    }
    int full = im->filter_state == FILTER_IN_USE && tag_filter_full(&im->filter);
    int try_build = im->filter_state == FILTER_NONE && im->stored >= im->filter_attempt;
    return full || try_build ? filter_build(im, version) : 0;
}

/* At the start of each batch, inside its transaction: whether the
 * suppression list is empty, the filter, and the batch's size. */
static int vault_view_refresh(importer *im)
{
    int any = 1, rc = store_suppress_any(im->vault->store, &any);
    im->no_suppressions = rc == 0 && !any;
    if (rc == 0)
        rc = filter_refresh(im);
    im->batch_rows = batch_size(im);
    return rc;
}

/* A new lead's contacts: into the filter, and into the batch's index
 * entries when they are held back. */
static void contacts_note(importer *im, const store_lead *lead)
{
    for (int i = 0; i < CONTACT_SLOTS; i++) {
        if (!(lead->tag_present >> i & 1))
            continue;
        int kind = contact_kind(contact_slot_field[i]);
        if (im->filter_state == FILTER_IN_USE)
            tag_filter_add(&im->filter, kind, lead->tags[i]);
        if (im->index_later)
            index_batch_add(&im->index, kind, lead->tags[i], lead->id);
    }
}

/* ---- batches ---- */

static void add_counts(lv_import_summary *to, const lv_import_summary *from)
{
    to->rows += from->rows;
    to->imported += from->imported;
    to->updated += from->updated;
    to->duplicates += from->duplicates;
    to->suppressed += from->suppressed;
    to->rejected += from->rejected;
    to->unmapped_sources += from->unmapped_sources;
    to->unmapped_stages += from->unmapped_stages;
    to->owners_dropped += from->owners_dropped;
    to->consent_granted += from->consent_granted;
    to->consent_withdrawn += from->consent_withdrawn;
    to->consent_unknown += from->consent_unknown;
    if (to->consent_unknown_first_line == 0)
        to->consent_unknown_first_line = from->consent_unknown_first_line;
}

/* The batch's consent entries: one per column and outcome that recorded
 * any, listing the leads. */
static int consent_audit(importer *im)
{
    int rc = 0;
    for (size_t k = 0; rc == 0 && k < im->opts->consent_column_count; k++) {
        for (int withdrawn = 0; rc == 0 && withdrawn < 2; withdrawn++) {
            if (im->consent_count[k][withdrawn] == 0)
                continue;
            audit_event event = {.action = withdrawn ? "consent.withdraw" : "consent.grant",
                                 .lead_ids = im->consent_ids[k][withdrawn],
                                 .lead_count = im->consent_count[k][withdrawn],
                                 .purpose = im->consent_purpose[k]};
            rc = audit_append(im->vault, &event);
            im->consent_count[k][withdrawn] = 0;
        }
    }
    return rc;
}

/* Record what the row's consent columns say for the lead just stored. */
static int consent_columns_apply(importer *im, row_item *item)
{
    const char *note = item->consent_notes;
    for (size_t k = 0; k < im->opts->consent_column_count; k++) {
        consent_value value = item->consent[k];
        if (value == CONSENT_VALUE_UNKNOWN) {
            im->pending.consent_unknown++;
            if (im->pending.consent_unknown_first_line == 0)
                im->pending.consent_unknown_first_line = item->line;
            const char *column = im->opts->consent_columns[k];
            char *list = im->summary->consent_unknown_columns;
            size_t at = strlen(list), size = sizeof im->summary->consent_unknown_columns;
            if (!(im->consent_unknown_noted & 1u << k) && at < size)
                (void)snprintf(list + at, size - at, "%s%.*s", at ? "," : "",
                               (int)strcspn(column, "="), column);
            im->consent_unknown_noted |= 1u << k;
            continue;
        }
        if (value != CONSENT_VALUE_GRANTED && value != CONSENT_VALUE_WITHDRAWN)
            continue;
        int granted = value == CONSENT_VALUE_GRANTED;
        int rc = consent_append(im->vault, &item->lead, im->consent_purpose[k], granted, note, NULL,
                                0, 0);
        if (rc != 0)
            return rc;
        note += strlen(note) + 1;
        unsigned char *id = util_array_append((void **)&im->consent_ids[k][!granted],
                                              &im->consent_count[k][!granted],
                                              &im->consent_cap[k][!granted], LV_ID_BYTES, 256);
        if (id == NULL)
            return err_set(LV_ERROR, "out of memory");
        memcpy(id, item->lead.id, LV_ID_BYTES);
        if (granted)
            im->pending.consent_granted++;
        else
            im->pending.consent_withdrawn++;
    }
    return 0;
}

static int batch_begin(importer *im)
{
    if (im->in_tx)
        return 0;
    int rc = store_begin(im->vault->store);
    if (rc == 0) {
        im->in_tx = 1;
        rc = vault_view_refresh(im);
    }
    return rc;
}

/* Close the batch: its audit entry lists every lead it stored or updated;
 * then commit, unless the import is atomic or a dry run (one transaction). */
static int batch_flush(importer *im, int final)
{
    int rc = 0;
    /* A run that stored nothing (all duplicates, all rejected) is audited
     * too: it compared rows with the stored leads. */
    if (final && !im->in_tx && im->audited == 0 && !im->opts->dry_run)
        rc = batch_begin(im);
    if (!im->in_tx) {
        if (final) {
            add_counts(im->summary, &im->pending);
            memset(&im->pending, 0, sizeof im->pending);
        }
        return rc;
    }
    double start = seconds();
    if (im->index_later && (rc = index_batch_flush(&im->index, im->vault->store)) != 0)
        return rc;
    double indexed = seconds();
    im->timing.index += indexed - start;
    if (im->batch_count > 0 || (final && im->audited == 0 && !im->opts->dry_run)) {
        char fields[160] = "";
        for (int f = 0, at = 0; f < LV_FIELD_COUNT; f++) {
            if (im->batch_fields & (1u << f))
                at += snprintf(fields + at, sizeof fields - (size_t)at, "%s%s", at ? "," : "",
                               lv_field_name((lv_field)f));
        }
        audit_event event = {.action = "lead.import",
                             .lead_ids = im->batch_ids,
                             .lead_count = im->batch_count,
                             .fields = fields,
                             .purpose = im->opts->consent_purpose};
        rc = audit_append(im->vault, &event);
        im->audited++;
    }
    if (rc == 0)
        rc = consent_audit(im);
    double audited = seconds();
    im->timing.audit += audited - indexed;
    int one_tx = im->opts->atomic || im->opts->dry_run;
    if (rc == 0 && (!one_tx || final)) {
        if (im->opts->dry_run) {
            store_rollback(im->vault->store);
        } else if ((rc = store_commit(im->vault->store)) != 0) {
            return rc;
        }
        im->in_tx = 0;
        im->timing.commit += seconds() - audited;
    }
    if (rc == 0) {
        if (!one_tx || final) {
            add_counts(im->summary, &im->pending);
            memset(&im->pending, 0, sizeof im->pending);
        }
        im->batch_count = 0;
        im->batch_fields = 0;
        if (im->in_tx && !final) /* one transaction: the next batch starts now */
            rc = vault_view_refresh(im);
    }
    return rc;
}

static int batch_note(importer *im, const unsigned char id[LV_ID_BYTES], uint32_t fields)
{
    memcpy(im->batch_ids + im->batch_count++ * LV_ID_BYTES, id, LV_ID_BYTES);
    im->batch_fields |= fields;
    if (im->batch_count >= im->batch_rows)
        return batch_flush(im, 0);
    return 0;
}

/* The stored lead this row duplicates: by email, else by phone. */
static int find_duplicate(importer *im, const lead_draft *d, unsigned char id[LV_ID_BYTES],
                          int *found)
{
    int has_email = (d->present & (1u << LV_FIELD_EMAIL | 1u << LV_FIELD_EMAIL2)) != 0;
    *found = 0;
    for (int slot = 0; slot < CONTACT_SLOTS && !*found; slot++) {
        lv_field field = contact_slot_field[slot];
        lv_lookup by = contact_kind(field);
        if (!(d->present & (1u << field)) || (has_email && by == LV_LOOKUP_PHONE))
            continue;
        const contact_keys *contact = &d->contact[slot];
        const unsigned char *tag = contact->tag;
        if (im->filter_state == FILTER_IN_USE && !tag_filter_maybe(&im->filter, by, tag))
            continue; /* certainly not stored */
        const unsigned char *held = im->index_later ? index_batch_find(&im->index, by, tag) : NULL;
        if (held != NULL) { /* an earlier row of this batch (equal keyed tags) */
            memcpy(id, held, LV_ID_BYTES);
            *found = 1;
            break;
        }
        unsigned char *ids = NULL;
        size_t n = 0;
        int rc = lead_match_keys(im->vault, contact, &ids, &n);
        if (rc != 0)
            return rc;
        if (n > 0) {
            memcpy(id, ids, LV_ID_BYTES);
            *found = 1;
        }
        free(ids);
    }
    return 0;
}

/* ---- one prepared row ---- */

static void report_progress(importer *im)
{
    uint64_t rows = im->summary->rows + im->pending.rows;
    if (im->opts->progress != NULL && rows % 1000 == 0)
        im->opts->progress(im->opts->progress_ctx, rows, atomic_load(&im->bytes));
}

static void call_reject(importer *im, const row_item *item, const char *reason)
{
    if (im->opts->reject != NULL)
        im->opts->reject(im->opts->reject_ctx, item->line, reason,
                         item->raw != NULL ? item->raw : "", item->raw_len);
}

/* Store one item (the caller frees it). */
static int store_row(importer *im, row_item *item)
{
    int rc = 0;
    if (item->kind == ITEM_HEADER) {
        call_reject(im, item, NULL);
        return 0;
    }
    im->pending.rows++;
    if (item->kind == ITEM_REJECT) {
        im->pending.rejected++;
        call_reject(im, item, item->reason);
        report_progress(im);
        return 0;
    }
    im->pending.unmapped_sources += item->unmapped_sources;
    im->pending.unmapped_stages += item->unmapped_stages;
    im->pending.owners_dropped += item->owners_dropped;
    unsigned char existing[LV_ID_BYTES];
    int duplicate = 0;
    if ((rc = batch_begin(im)) == 0)
        rc = find_duplicate(im, &item->d, existing, &duplicate);
    if (rc == 0 && duplicate) {
        if (im->opts->on_duplicate == LV_DUPLICATE_ERROR) {
            im->pending.rejected++;
            call_reject(im, item, "duplicate of a stored lead or of an earlier row");
        } else if (im->opts->on_duplicate == LV_DUPLICATE_UPDATE && item->in != NULL) {
            uint32_t changed = 0;
            rc = lead_apply_update(im->vault, existing, item->in, &changed);
            int held = 0;
            if (rc == LV_EDENIED && hold_is_set(im->vault, existing, &held) == 0 && held) {
                /* Refused like any denial: on record, with the lead. */
                im->pending.rejected++;
                im->held++;
                call_reject(im, item, lv_error_last());
                audit_event denied = {.action = "lead.update",
                                      .lead_ids = existing,
                                      .lead_count = 1,
                                      .code = LV_EDENIED};
                rc = audit_append(im->vault, &denied);
            } else if (rc == LV_EINVAL || rc == LV_EDENIED) {
                im->pending.rejected++;
                call_reject(im, item, lv_error_last());
                rc = 0;
            } else if (rc == 0) {
                im->pending.updated++;
                rc = batch_note(im, existing, changed);
            }
        } else {
            im->pending.duplicates++;
        }
    } else if (rc == 0) {
        unsigned flags = (im->no_suppressions ? LEAD_STORE_NO_SUPPRESSIONS : 0) |
                         (im->index_later ? LEAD_STORE_INDEX_LATER : 0);
        if (im->index_later && im->index.cap - im->index.count < CONTACT_SLOTS)
            rc = index_batch_flush(&im->index, im->vault->store);
        if (rc == 0)
            rc = lead_store_new(im->vault, &item->lead, &item->d, flags);
        if (rc == LV_EDENIED) { /* on the suppression list */
            im->pending.suppressed++;
            rc = 0;
        } else if (rc == 0) {
            im->stored++;
            contacts_note(im, &item->lead);
            if (im->opts->consent_purpose != NULL)
                rc = consent_append(im->vault, &item->lead, im->opts->consent_purpose, 1,
                                    im->opts->evidence, NULL, 0, 0);
            if (rc == 0 && im->opts->consent_column_count > 0)
                rc = consent_columns_apply(im, item);
            if (rc == 0) {
                im->pending.imported++;
                rc = batch_note(im, item->lead.id, lead_draft_fields(&item->d));
            }
        }
    }
    if (rc == 0)
        report_progress(im);
    return rc;
}

static int store_sink(void *ctx, row_item *item)
{
    int rc = store_row(ctx, item);
    row_item_free(item);
    return rc;
}

/* ---- the queue between the reader's thread and this one ----
 *
 * Items travel both ways: prepared rows to the writer, and stored ones back
 * to the reader, which wipes and frees them. Every allocation and free of
 * an item then happens on the reader's thread, so the two threads never
 * meet in malloc's locks (a row's dozen or so blocks, freed on the other
 * thread, cost the writer a third of its time in lock waits). */

typedef struct queue {
    pthread_mutex_t lock;
    pthread_cond_t has_items, has_room;
    row_item *head, *tail;
    size_t count, bytes;
    row_item *used;    /* stored items, for the reader to free */
    int done;          /* the reader finished */
    int rc;            /* and its result */
    char message[512]; /* its error message (thread-local there) */
    atomic_int stop;   /* the writer asks the reader to stop */
    /* the reader's chain not yet handed over (its thread only) */
    row_item *local_head, *local_tail;
    size_t local_count, local_bytes;
} queue;

static void chain_free(row_item *chain)
{
    while (chain != NULL) {
        row_item *next = chain->next;
        row_item_free(chain);
        chain = next;
    }
}

/* Hand the reader's local chain over in one locked step, and take back
 * the items the writer is done with. */
static int queue_handoff(queue *q)
{
    if (q->local_head == NULL)
        return 0;
    pthread_mutex_lock(&q->lock);
    while ((q->count >= QUEUE_ITEMS || q->bytes >= QUEUE_BYTES) && !atomic_load(&q->stop))
        pthread_cond_wait(&q->has_room, &q->lock);
    int stopped = atomic_load(&q->stop);
    if (!stopped) {
        if (q->tail != NULL)
            q->tail->next = q->local_head;
        else
            q->head = q->local_head;
        q->tail = q->local_tail;
        q->count += q->local_count;
        q->bytes += q->local_bytes;
        pthread_cond_signal(&q->has_items);
    }
    row_item *used = q->used;
    q->used = NULL;
    pthread_mutex_unlock(&q->lock);
    chain_free(used);
    if (stopped)
        chain_free(q->local_head);
    q->local_head = q->local_tail = NULL;
    q->local_count = q->local_bytes = 0;
    return stopped ? LV_ERROR : 0;
}

static int queue_push(void *ctx, row_item *item)
{
    queue *q = ctx;
    item->next = NULL;
    if (q->local_tail != NULL)
        q->local_tail->next = item;
    else
        q->local_head = item;
    q->local_tail = item;
    q->local_count++;
    q->local_bytes += item->bytes;
    return q->local_count >= HANDOFF ? queue_handoff(q) : 0;
}

/* The first TAKE_MAX queued rows (or all), as a chain; NULL once the
 * reader is done and the queue empty. */
static row_item *queue_take(queue *q, import_timing *timing)
{
    pthread_mutex_lock(&q->lock);
    if (q->head == NULL && !q->done) {
        double start = seconds();
        while (q->head == NULL && !q->done)
            pthread_cond_wait(&q->has_items, &q->lock);
        timing->waiting += seconds() - start;
    }
    row_item *chain = q->head, *last = NULL;
    size_t taken = 0, bytes = 0;
    for (row_item *item = chain; item != NULL && taken < TAKE_MAX; item = item->next) {
        last = item;
        taken++;
        bytes += item->bytes;
    }
    if (last != NULL) {
        q->head = last->next;
        if (q->head == NULL)
            q->tail = NULL;
        last->next = NULL;
    }
    q->count -= taken;
    q->bytes -= bytes;
    pthread_cond_signal(&q->has_room);
    pthread_mutex_unlock(&q->lock);
    return chain;
}

/* Stored items, first to last, back to the reader: a few hundred at a
 * time, so that they do not pile up while the writer works through a
 * long chain. */
static void queue_give_back(queue *q, row_item *first, row_item *last)
{
    pthread_mutex_lock(&q->lock);
    last->next = q->used;
    q->used = first;
    pthread_mutex_unlock(&q->lock);
}

typedef struct producer {
    reader *reader;
    lv_read_fn read;
    void *read_ctx;
    queue *queue;
    atomic_ullong *bytes;
} producer;

static void *produce(void *arg)
{
    producer *p = arg;
    int rc = reader_run(p->reader, p->read, p->read_ctx, p->bytes, &p->queue->stop);
    if (queue_handoff(p->queue) != 0 && rc == 0)
        rc = 0; /* stopped by the writer: its error is the one reported */
    pthread_mutex_lock(&p->queue->lock);
    p->queue->done = 1;
    p->queue->rc = atomic_load(&p->queue->stop) ? 0 : rc;
    if (rc != 0)
        (void)snprintf(p->queue->message, sizeof p->queue->message, "%s", lv_error_last());
    pthread_cond_broadcast(&p->queue->has_items);
    pthread_mutex_unlock(&p->queue->lock);
    key_random_release();
    return NULL;
}

/* Run the reader on a second thread and store what it prepares here. */
static int run_threaded(importer *im, reader *r, queue *q, lv_read_fn read, void *read_ctx)
{
    producer p = {r, read, read_ctx, q, &im->bytes};
    pthread_t thread;
    if (pthread_create(&thread, NULL, produce, &p) != 0)
        return err_set(LV_ERROR, "cannot start the import thread");
    int rc = 0;
    row_item *chain;
    while ((chain = queue_take(q, &im->timing)) != NULL) {
        while (chain != NULL) {
            row_item *first = chain, *last = NULL;
            for (int n = 0; chain != NULL && n < GIVE_BACK; n++) {
                if (rc == 0)
                    rc = store_row(im, chain);
                row_item_wipe(chain);
                if (rc != 0 && !atomic_load(&q->stop)) {
                    /* Stop the reader; what it already queued is only freed. */
                    pthread_mutex_lock(&q->lock);
                    atomic_store(&q->stop, 1);
                    pthread_cond_broadcast(&q->has_room);
                    pthread_mutex_unlock(&q->lock);
                }
                last = chain;
                chain = chain->next;
            }
            queue_give_back(q, first, last);
        }
    }
    pthread_join(thread, NULL);
    chain_free(q->used); /* what came back after the reader's last handoff */
    q->used = NULL;
    if (rc == 0 && q->rc != 0)
        rc = err_set(q->rc, "%s", q->message);
    return rc;
}

/* ---- driver ---- */

static int collect_user(void *ctx, const store_keyslot *slot)
{
    importer *im = ctx;
    import_user_name *name =
        util_array_append((void **)&im->users, &im->user_count, &im->user_cap, sizeof *name, 16);
    if (name == NULL)
        return err_set(LV_ERROR, "out of memory");
    (void)snprintf(*name, sizeof *name, "%s", slot->name);
    return 0;
}

static int user_exists(const importer *im, const char *name)
{
    for (size_t i = 0; i < im->user_count; i++) {
        if (strcmp(im->users[i], name) == 0)
            return 1;
    }
    return 0;
}

/* A comma-separated value list of --consent-granted / --consent-withdrawn:
 * clean short text. */
static int check_value_list(const char *option, const char *list)
{
    if (list == NULL)
        return 0;
    int rc = util_text_check(option, list, 4096);
    if (rc == 0 && strspn(list, ", \t") == strlen(list))
        rc = err_set(LV_EINVAL, "%s: expected values separated by commas", option);
    return rc;
}

/* The version 2 options, inside a read transaction: users for the owner
 * column, --map-owner users exist, consent columns name a consent purpose. */
static int check_mappings(importer *im, const lv_import_options *opts)
{
    lv_vault *vault = im->vault;
    int rc = store_keyslot_each(vault->store, collect_user, im);
    for (size_t i = 0; rc == 0 && i < opts->map_owner_count; i++) {
        const char *name, *user;
        size_t name_len;
        if ((rc = import_pair_split(opts->map_owner[i], "--map-owner", &name, &name_len, &user)) ==
                0 &&
            !user_exists(im, user))
            rc = err_set(LV_EINVAL, "--map-owner: %s is not a user of this vault", user);
    }
    if (rc == 0 && opts->consent_column_count > LV_IMPORT_CONSENT_COLUMNS_MAX)
        rc = err_set(LV_EINVAL, "--consent-column: at most %d", LV_IMPORT_CONSENT_COLUMNS_MAX);
    for (size_t k = 0; rc == 0 && k < opts->consent_column_count; k++) {
        const char *name, *purpose;
        size_t name_len;
        if ((rc = import_pair_split(opts->consent_columns[k], "--consent-column", &name, &name_len,
                                    &purpose)) != 0)
            break;
        if (strlen(purpose) > LV_PURPOSE_NAME_MAX) {
            rc = err_set(LV_EINVAL, "--consent-column: purpose name too long");
            break;
        }
        /* Granted or withdrawn, a column speaks of a consent purpose. */
        if ((rc = consent_check_purpose(vault, purpose, 1)) != 0)
            break;
        (void)snprintf(im->consent_purpose_buf[k], sizeof im->consent_purpose_buf[k], "%s",
                       purpose);
        im->consent_purpose[k] = im->consent_purpose_buf[k];
    }
    if (rc == 0 && opts->consent_column_count == 0 &&
        (opts->consent_granted != NULL || opts->consent_withdrawn != NULL))
        rc = err_set(LV_EINVAL, "--consent-granted / --consent-withdrawn: only with "
                                "--consent-column");
    if (rc == 0)
        rc = check_value_list("--consent-granted", opts->consent_granted);
    if (rc == 0)
        rc = check_value_list("--consent-withdrawn", opts->consent_withdrawn);
    return rc;
}

static int check_options(lv_vault *vault, const lv_import_options *opts)
{
    if (opts == NULL || opts->version != LV_IMPORT_OPTIONS_VERSION)
        return err_set(LV_EINVAL, "import options: wrong version");
    if (opts->format != LV_IMPORT_CSV && opts->format != LV_IMPORT_JSONL && opts->format != 0)
        return err_set(LV_EINVAL, "format: csv or jsonl");
    if (opts->delimiter == '"' || opts->delimiter == '\n' || opts->delimiter == '\r')
        return err_set(LV_EINVAL, "delimiter: not a quote or a line break");
    if (opts->source != NULL && !lead_source_valid(opts->source))
        return err_set(LV_EINVAL, "source: unknown channel");
    if (opts->on_duplicate < LV_DUPLICATE_SKIP || opts->on_duplicate > LV_DUPLICATE_ERROR)
        return err_set(LV_EINVAL, "on-duplicate: skip, update or error");
    if ((opts->consent_purpose != NULL) != (opts->evidence != NULL))
        return err_set(LV_EINVAL, "consent: --consent and --evidence go together");
    char country[3];
    if (opts->default_country != NULL &&
        lead_country_normalize(country, opts->default_country) != 0)
        return err_set(LV_EINVAL, "--default-country: not an ISO 3166 alpha-2 code (e.g. IN, "
                                  "US, GB)");
    int rc = 0;
    if (opts->consent_purpose != NULL && (rc = consent_check_note(opts->evidence, NULL, 1)) == 0 &&
        (rc = store_begin(vault->store)) == 0) {
        rc = consent_check_purpose(vault, opts->consent_purpose, 1);
        store_rollback(vault->store);
    }
    return rc;
}

int lv_import(lv_vault *vault, lv_read_fn read, void *read_ctx, const lv_import_options *opts,
              lv_import_summary *summary)
{
    err_clear();
    memset(summary, 0, sizeof *summary);
    audit_event event = {.action = "lead.import"};
    int rc = audit_gate(vault, POLICY_LEAD_WRITE, &event);
    if (rc != 0 || (rc = check_options(vault, opts)) != 0)
        return rc;
    /* An update needs the row as input, which only the reader's own
     * thread holds: then both halves run on this thread. It also changes
     * stored contacts, which the filter cannot forget and held-back index
     * entries would not see: every row then looks the index up, and index
     * entries are written row by row. */
    int bulk = opts->on_duplicate != LV_DUPLICATE_UPDATE, threaded = bulk;
    importer im = {.vault = vault,
                   .opts = opts,
                   .summary = summary,
                   .filter_state = bulk ? FILTER_NONE : FILTER_GIVEN_UP,
                   .index_later = bulk};
    if ((rc = store_begin(vault->store)) == 0) {
        rc = check_mappings(&im, opts);
        store_rollback(vault->store);
    }
    if (rc != 0) {
        free(im.users);
        return rc;
    }
    queue q = {.lock = PTHREAD_MUTEX_INITIALIZER,
               .has_items = PTHREAD_COND_INITIALIZER,
               .has_room = PTHREAD_COND_INITIALIZER};
    unsigned char *key = sodium_malloc(KEY_BYTES);
    im.batch_ids = malloc((size_t)IMPORT_BATCH_ROWS_MAX * LV_ID_BYTES);
    reader *r = NULL;
    if (key == NULL || im.batch_ids == NULL ||
        (im.index_later &&
         index_batch_init(&im.index, (size_t)IMPORT_BATCH_ROWS_MAX * CONTACT_SLOTS) != 0))
        rc = err_set(LV_ERROR, "out of memory");
    else
        rc = reader_new(&r, vault, opts, summary, key, !threaded,
                        threaded ? queue_push : store_sink, threaded ? (void *)&q : (void *)&im);
    if (rc == 0) {
        reader_set_users(r, im.users, im.user_count);
        (void)store_bulk_mode(vault->store, 1);
        double start = seconds();
        rc = threaded ? run_threaded(&im, r, &q, read, read_ctx)
                      : reader_run(r, read, read_ctx, &im.bytes, NULL);
        if (rc == 0)
            rc = batch_flush(&im, 1);
        im.timing.total = seconds() - start;
        im.timing.rows = im.timing.total - im.timing.waiting - im.timing.index - im.timing.audit -
                         im.timing.commit;
        last_timing = im.timing;
        (void)store_bulk_mode(vault->store, 0);
    }
    /* The other rows are stored; the import as a whole was denied its
     * updates of held leads (exit 5), and is recorded so below. */
    if (rc == 0 && im.held > 0)
        rc = err_set(LV_EDENIED,
                     "denied: %llu row(s) matched leads under legal hold and were not "
                     "updated; the other rows were imported",
                     (unsigned long long)im.held);
    if (rc == 0 && opts->dry_run) {
        /* The dry run's transaction was rolled back; its reading of the
         * stored leads is still on record. */
        audit_event dry = {.action = "lead.import.dry_run"};
        if ((rc = store_begin(vault->store)) == 0)
            rc = audit_commit(vault, 0, &dry);
    }
    if (rc != 0 && im.in_tx)
        store_rollback(vault->store);
    if (rc != 0 && rc != LV_EBUSY) {
        event.code = rc;
        audit_record_failure(vault, &event);
    }
    reader_free(r);
    tag_filter_free(&im.filter);
    index_batch_free(&im.index);
    if (key != NULL)
        sodium_free(key);
    free(im.batch_ids);
    free(im.users);
    for (size_t k = 0; k < LV_IMPORT_CONSENT_COLUMNS_MAX; k++)
        free(im.consent_ids[k][0]), free(im.consent_ids[k][1]);
    return rc;
}
