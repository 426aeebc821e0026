/* open_pipe.c - decrypting leads on a second thread (see the header).
 *
 * Two chunks take turns: the caller fills one with copies of sealed
 * values while the opener thread decrypts the other; then the caller
 * writes out the opened chunk while the thread starts on the one just
 * filled. Only ciphertext is copied in plain memory; plaintext goes to
 * the chunk's guarded block and is wiped as soon as it is delivered. */
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "keys.h"
#include "lead_ops.h"
#include "open_pipe.h"
#include "util_array.h"

#define CHUNK_LEADS 256
#define CHUNK_SEALED (256u << 10) /* sealed bytes per chunk, unless one lead is larger */

#define NOT_SEALED SIZE_MAX /* sealed_at of a field the lead has no value for */

typedef struct job {
    unsigned char id[LV_ID_BYTES];
    unsigned char wrapped_key[WRAPPED_KEY_BYTES];
    uint32_t generation;
    /* In the chunk's copy; a stored value of length 0 (damage) keeps its
     * place, so that opening it fails as it does everywhere else. */
    size_t sealed_at[LV_FIELD_COUNT], sealed_len[LV_FIELD_COUNT];
    size_t plain_at; /* in its guarded block */
    char *values[LV_FIELD_COUNT];
    size_t lens[LV_FIELD_COUNT];
} job;

typedef struct chunk {
    job jobs[CHUNK_LEADS];
    size_t count;
    unsigned char *sealed; /* copies of the sealed values (ciphertext) */
    size_t sealed_len, sealed_cap;
    unsigned char *plain; /* sodium_malloc: keys and plaintext */
    size_t plain_len, plain_cap;
    size_t opened; /* leads opened, in order; fewer than count after a failure */
    int rc;
    char message[256];
    int ready; /* opened (set under the pipe's lock) */
} chunk;

struct open_pipe {
    const lv_vault *vault;
    uint32_t mask;
    open_pipe_fn fn;
    void *ctx;
    chunk chunks[2];
    int filling;   /* the chunk being filled */
    int in_flight; /* the chunk being opened, or -1 */
    int threaded, started;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    chunk *todo;
    int quit;
};

/* Decrypt every lead of c (on whichever thread runs it). */
static void chunk_open(const open_pipe *p, chunk *c)
{
    for (size_t i = 0; i < c->count; i++) {
        job *j = &c->jobs[i];
        store_lead lead;
        memset(&lead, 0, sizeof lead);
        memcpy(lead.id, j->id, LV_ID_BYTES);
        memcpy(lead.wrapped_key, j->wrapped_key, WRAPPED_KEY_BYTES);
        lead.generation = j->generation;
        for (int f = 0; f < LV_FIELD_COUNT; f++) {
            if (j->sealed_at[f] != NOT_SEALED)
                lead.sealed[f] =
                    j->sealed_len[f] ? c->sealed + j->sealed_at[f] : (const unsigned char *)"";
            lead.sealed_len[f] = j->sealed_len[f];
        }
        int rc =
            lead_open_fields(p->vault, &lead, p->mask, c->plain + j->plain_at, j->values, j->lens);
        if (rc != 0) {
            c->rc = rc;
            (void)snprintf(c->message, sizeof c->message, "%s", lv_error_last());
            return;
        }
        c->opened++;
    }
}

static void *opener_run(void *arg)
{
    open_pipe *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (p->todo == NULL && !p->quit)
            pthread_cond_wait(&p->cond, &p->lock);
        if (p->todo == NULL)
            break;
        chunk *c = p->todo;
        p->todo = NULL;
        pthread_mutex_unlock(&p->lock);
        chunk_open(p, c);
        pthread_mutex_lock(&p->lock);
        c->ready = 1;
        pthread_cond_broadcast(&p->cond);
    }
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

int open_pipe_new(open_pipe **out, const lv_vault *vault, uint32_t mask, open_pipe_fn fn, void *ctx,
                  int threaded)
{
    *out = NULL;
    open_pipe *p = calloc(1, sizeof *p);
    if (p == NULL)
        return err_set(LV_ERROR, "out of memory");
    p->vault = vault;
    p->mask = mask;
    p->fn = fn;
    p->ctx = ctx;
    p->in_flight = -1;
    p->threaded = threaded;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->cond, NULL);
    if (threaded && pthread_create(&p->thread, NULL, opener_run, p) != 0)
        p->threaded = 0; /* no thread: open on this one */
    p->started = p->threaded;
    *out = p;
    return 0;
}

static int chunk_fits(const chunk *c, size_t sealed)
{
    return c->count == 0 || (c->count < CHUNK_LEADS && c->sealed_len + sealed <= CHUNK_SEALED);
}

static size_t sealed_size(const open_pipe *p, const store_lead *lead)
{
    size_t n = 0;
    for (int f = 0; f < LV_FIELD_COUNT; f++)
        n += (p->mask & (1u << f)) && lead->sealed[f] != NULL ? lead->sealed_len[f] : 0;
    return n;
}

static int chunk_add(const open_pipe *p, chunk *c, const store_lead *lead, size_t sealed)
{
    /* Sealed values only: realloc may leave a copy, it is ciphertext. */
    if (util_array_grow((void **)&c->sealed, &c->sealed_cap, c->sealed_len + sealed, 1,
                        CHUNK_SEALED) != 0)
        return LV_ERROR;
    job *j = &c->jobs[c->count++];
    memcpy(j->id, lead->id, LV_ID_BYTES);
    memcpy(j->wrapped_key, lead->wrapped_key, WRAPPED_KEY_BYTES);
    j->generation = lead->generation;
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        j->sealed_at[f] = NOT_SEALED;
        j->sealed_len[f] = 0;
        if (!(p->mask & (1u << f)) || lead->sealed[f] == NULL)
            continue;
        j->sealed_at[f] = c->sealed_len;
        j->sealed_len[f] = lead->sealed_len[f];
        if (lead->sealed_len[f] > 0)
            memcpy(c->sealed + c->sealed_len, lead->sealed[f], lead->sealed_len[f]);
        c->sealed_len += lead->sealed_len[f];
    }
    j->plain_at = c->plain_len;
    c->plain_len += lead_open_size(lead, p->mask);
    return 0;
}

/* Hand c to the opener (or open it here). */
static int submit(open_pipe *p, chunk *c)
{
    /* Not util_array_grow_wiped: a guarded block for plaintext, refilled
     * for each chunk; sodium_free wipes the old one. */
    if (c->plain_cap < c->plain_len) {
        if (c->plain != NULL)
            sodium_free(c->plain);
        c->plain_cap = 0;
        if ((c->plain = sodium_malloc(c->plain_len)) == NULL)
            return err_set(LV_ERROR, "out of memory");
        c->plain_cap = c->plain_len;
    }
    c->ready = 0;
    if (!p->threaded) {
        chunk_open(p, c);
        c->ready = 1;
        return 0;
    }
    pthread_mutex_lock(&p->lock);
    p->todo = c;
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
    return 0;
}

static void wait_ready(open_pipe *p, chunk *c)
{
    if (!p->threaded)
        return;
    pthread_mutex_lock(&p->lock);
    while (!c->ready)
        pthread_cond_wait(&p->cond, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

/* Give the opened leads of c to the callback, wipe, and empty c. */
static int deliver(open_pipe *p, chunk *c)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < c->opened; i++)
        rc = p->fn(p->ctx, c->jobs[i].id, c->jobs[i].values, c->jobs[i].lens);
    if (c->plain != NULL)
        sodium_memzero(c->plain, c->plain_len);
    if (rc == 0 && c->rc != 0)
        rc = err_set(c->rc, "%s", c->message);
    c->count = c->sealed_len = c->plain_len = c->opened = 0;
    c->rc = 0;
    return rc;
}

/* The filling chunk goes to the opener; the one it opened before is
 * delivered meanwhile and becomes the next to fill. */
static int rotate(open_pipe *p)
{
    int previous = p->in_flight;
    if (previous >= 0)
        wait_ready(p, &p->chunks[previous]);
    int rc = submit(p, &p->chunks[p->filling]);
    if (rc != 0)
        return rc;
    p->in_flight = p->filling;
    p->filling = previous >= 0 ? previous : 1 - p->filling;
    return previous >= 0 ? deliver(p, &p->chunks[previous]) : 0;
}

int open_pipe_add(open_pipe *p, const store_lead *lead)
{
    size_t sealed = sealed_size(p, lead);
    int rc = 0;
    if (!chunk_fits(&p->chunks[p->filling], sealed))
        rc = rotate(p);
    return rc != 0 ? rc : chunk_add(p, &p->chunks[p->filling], lead, sealed);
}

int open_pipe_finish(open_pipe *p)
{
    int rc = 0;
    if (p->chunks[p->filling].count > 0)
        rc = rotate(p);
    if (rc == 0 && p->in_flight >= 0) {
        wait_ready(p, &p->chunks[p->in_flight]);
        rc = deliver(p, &p->chunks[p->in_flight]);
        p->in_flight = -1;
    }
    return rc;
}

void open_pipe_free(open_pipe *p)
{
    if (p == NULL)
        return;
    if (p->started) {
        pthread_mutex_lock(&p->lock);
        p->quit = 1;
        pthread_cond_broadcast(&p->cond);
        pthread_mutex_unlock(&p->lock);
        pthread_join(p->thread, NULL);
    }
    for (int i = 0; i < 2; i++) {
        if (p->chunks[i].plain != NULL)
            sodium_free(p->chunks[i].plain); /* wipes */
        free(p->chunks[i].sealed);
    }
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->cond);
    free(p);
}
