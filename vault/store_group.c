/* store_group.c - group commit (store_group.h): lv_group, its writer, and
 * the leader/follower protocol of its members' write transactions. */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "keys.h"
#include "store_group.h"
#include "store_location.h"

/* The writer is in no group: its own operations are called directly
 * (store_begin and the rest would route a member's calls). */

/* A transaction commits once nobody waits to join it, or once it holds
 * this many members' work (so that a steady stream cannot keep one open). */
#define GROUP_MAX_MEMBERS 256

/* A member whose work is in the open transaction, waiting for its commit
 * (on the member's stack). */
typedef struct group_waiter {
    struct group_waiter *next;
    int done;
    int rc;
    char message[256];
} group_waiter;

/* The copy of the state-digest key the writer uses (sodium_malloc'd). */
typedef struct group_key {
    crypto_generichash_blake2b_state prf;
    unsigned char key[KEY_BYTES];
} group_key;

struct lv_group {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    char *path;
    /* Open while the group has a member: with no session live the server
     * then holds no connection, and the last one closed folds the WAL
     * into the file and removes it, as without a group. */
    store *writer;
    unsigned char vault_id[LV_ID_BYTES];
    unsigned members;
    group_key *key; /* while members > 0 */
    /* The protocol, under lock. */
    int busy;            /* a member works on the writer (its savepoint is open) */
    int committing;      /* the leader is committing the transaction */
    int open;            /* the writer's transaction is open */
    int held;            /* a member holds the group (store_group_solo) */
    unsigned hold_wanted; /* members waiting to hold it: nobody joins meanwhile */
    unsigned wanting;    /* members waiting in store_group_begin */
    unsigned joined;     /* members' savepoints in the open transaction */
    group_waiter *waiters;
};

int lv_group_open(lv_group **out, const char *path)
{
    err_clear();
    *out = NULL;
    if (sodium_init() < 0)
        return err_set(LV_ERROR, "libsodium failed to initialize");
    lv_group *g = calloc(1, sizeof *g);
    if (g == NULL || (g->path = strdup(path != NULL ? path : "")) == NULL) {
        free(g);
        return err_set(LV_ERROR, "out of memory");
    }
    /* The vault must open now, so that a wrong path shows at once. */
    store *probe = NULL;
    size_t id_len = 0;
    int rc = store_location_open(&probe, path, 0);
    if (rc == 0) {
        rc = store_meta_get(probe, "vault_id", g->vault_id, LV_ID_BYTES, &id_len);
        if (rc == LV_ENOTFOUND || (rc == 0 && id_len != LV_ID_BYTES))
            rc = err_set(LV_ECORRUPT, "the vault id is missing or malformed");
    }
    if (probe != NULL)
        probe->ops->close(probe);
    if (rc != 0) {
        free(g->path);
        free(g);
        return rc;
    }
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->changed, NULL);
    *out = g;
    return 0;
}

int lv_group_close(lv_group *group)
{
    if (group == NULL)
        return 0;
    pthread_mutex_lock(&group->lock);
    unsigned members = group->members;
    pthread_mutex_unlock(&group->lock);
    if (members > 0)
        return err_set(LV_EBUSY, "the group still has %u open vault handles", members);
    pthread_cond_destroy(&group->changed);
    pthread_mutex_destroy(&group->lock);
    free(group->path);
    free(group);
    return 0;
}

/* Under lock: copy key into the group's guarded block and give it to the
 * writer, which loads the digest stored under it. */
static int writer_key_set(lv_group *g, const store_digest *key)
{
    memcpy(&g->key->prf, key->prf, sizeof g->key->prf);
    memcpy(g->key->key, key->key, KEY_BYTES);
    store_digest shared = {.prf = &g->key->prf, .key = g->key->key};
    memcpy(shared.vault_id, key->vault_id, LV_ID_BYTES);
    return g->writer->ops->digest_set(g->writer, &shared, 1);
}

int store_group_join(store *st, lv_group *g, const store_digest *key)
{
    int rc = 0;
    pthread_mutex_lock(&g->lock);
    if (sodium_memcmp(key->vault_id, g->vault_id, LV_ID_BYTES) != 0) {
        rc = err_set(LV_EINVAL, "this vault is not the one the group was opened on");
    } else if (g->members == 0) {
        /* The first member: the writer opens, with the key. */
        g->key = sodium_malloc(sizeof *g->key);
        if (g->key == NULL) {
            rc = err_set(LV_ERROR, "out of memory");
        } else if ((rc = store_location_open(&g->writer, g->path, 0)) == 0) {
            rc = writer_key_set(g, key);
        }
        if (rc != 0) {
            if (g->writer != NULL)
                g->writer->ops->close(g->writer);
            g->writer = NULL;
            if (g->key != NULL)
                sodium_free(g->key);
            g->key = NULL;
        }
    } else if (sodium_memcmp(key->key, g->key->key, KEY_BYTES) != 0) {
        rc = err_set(LV_EINVAL, "this handle's state-digest key is not the group's");
    }
    if (rc == 0) {
        g->members++;
        st->group = g;
    }
    pthread_mutex_unlock(&g->lock);
    return rc;
}

int store_group_rekey(store *st, const store_digest *key)
{
    lv_group *g = st->group;
    int rc = 0;
    pthread_mutex_lock(&g->lock);
    if (g->members != 1) {
        rc = err_set(LV_EBUSY, "other sessions of the vault are open: they hold the old keys");
    } else {
        rc = writer_key_set(g, key);
    }
    pthread_mutex_unlock(&g->lock);
    return rc;
}

unsigned store_group_members(store *st)
{
    lv_group *g = st->group;
    pthread_mutex_lock(&g->lock);
    unsigned n = g->members;
    pthread_mutex_unlock(&g->lock);
    return n;
}

void store_group_leave(store *st)
{
    lv_group *g = st->group;
    pthread_mutex_lock(&g->lock);
    st->group = NULL;
    if (--g->members == 0) {
        /* The last member: no transaction is open; the writer closes
         * (before the member's own connection) and the key copy goes. */
        store_digest_set(g->writer, NULL, 0);
        g->writer->ops->close(g->writer);
        g->writer = NULL;
        sodium_free(g->key);
        g->key = NULL;
    }
    pthread_mutex_unlock(&g->lock);
}

/* Under lock, by a member waiting in store_group_commit: commit the open
 * transaction for every member waiting on it. The lock is let go during
 * the commit; members arriving meanwhile wait for the next transaction. */
static void lead_commit(lv_group *g)
{
    g->committing = 1;
    group_waiter *batch = g->waiters;
    g->waiters = NULL;
    pthread_mutex_unlock(&g->lock);
    int rc = g->writer->ops->commit(g->writer); /* rolls back when it fails */
    char message[256] = "";
    if (rc != 0)
        (void)snprintf(message, sizeof message, "%s", lv_error_last());
    pthread_mutex_lock(&g->lock);
    g->committing = 0;
    g->open = 0;
    g->joined = 0;
    for (group_waiter *w = batch; w != NULL; w = w->next) {
        w->rc = rc;
        memcpy(w->message, message, sizeof message);
        w->done = 1;
    }
    pthread_cond_broadcast(&g->changed);
}

int store_group_begin(store *st)
{
    lv_group *g = st->group;
    store *w = g->writer;
    int rc = 0;
    if (st->active != NULL) /* its own savepoint is the one open */
        return err_set(LV_ERROR, "a write transaction is already open on this vault handle");
    pthread_mutex_lock(&g->lock);
    g->wanting++;
    while (g->busy || g->committing || g->held || g->hold_wanted)
        pthread_cond_wait(&g->changed, &g->lock);
    g->wanting--;
    if (!g->open && (rc = w->ops->begin(w)) == 0)
        g->open = 1;
    if (rc == 0 && (rc = w->ops->savepoint(w)) == 0) {
        g->busy = 1;
        g->joined++;
        st->active = w;
    } else if (g->open && g->waiters == NULL) {
        /* Nobody's work is in it: it ends here. */
        w->ops->rollback(w);
        g->open = 0;
        g->joined = 0;
    }
    if (rc != 0)
        pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
    return rc;
}

int store_group_commit(store *st)
{
    lv_group *g = st->group;
    store *w = g->writer;
    int rc = w->ops->savepoint_keep(w);
    if (rc != 0) {
        /* Its changes cannot join the transaction: undone, as a failed
         * lone commit rolls back. */
        store_group_rollback(st);
        return rc;
    }
    st->active = NULL;
    group_waiter me;
    memset(&me, 0, sizeof me);
    pthread_mutex_lock(&g->lock);
    g->busy = 0;
    me.next = g->waiters;
    g->waiters = &me;
    pthread_cond_broadcast(&g->changed);
    while (!me.done) {
        if (!g->busy && !g->committing &&
            (g->wanting == 0 || g->hold_wanted || g->joined >= GROUP_MAX_MEMBERS))
            lead_commit(g);
        else
            pthread_cond_wait(&g->changed, &g->lock);
    }
    pthread_mutex_unlock(&g->lock);
    if (me.rc != 0)
        return err_set(me.rc, "%s", me.message);
    return 0;
}

void store_group_rollback(store *st)
{
    lv_group *g = st->group;
    store *w = g->writer;
    w->ops->savepoint_undo(w);
    st->active = NULL;
    pthread_mutex_lock(&g->lock);
    g->busy = 0;
    if (g->waiters == NULL && (g->wanting == 0 || g->hold_wanted)) {
        /* Nobody's work is left in the transaction: it ends here. */
        w->ops->rollback(w);
        g->open = 0;
        g->joined = 0;
    }
    pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}

void store_group_solo(store *st, int on)
{
    lv_group *g = st->group;
    pthread_mutex_lock(&g->lock);
    if (on) {
        /* The open transaction commits first; nobody joins meanwhile. */
        g->hold_wanted++;
        pthread_cond_broadcast(&g->changed);
        while (g->held || g->busy || g->committing || g->open) {
            if (!g->held && !g->busy && !g->committing && g->waiters == NULL) {
                /* Open with nobody's work in it (left for a member that
                 * now waits behind this hold): it ends here. */
                g->writer->ops->rollback(g->writer);
                g->open = 0;
                g->joined = 0;
                continue;
            }
            pthread_cond_wait(&g->changed, &g->lock);
        }
        g->hold_wanted--;
        g->held = 1;
    } else {
        g->held = 0;
    }
    st->solo = on;
    pthread_cond_broadcast(&g->changed);
    pthread_mutex_unlock(&g->lock);
}
