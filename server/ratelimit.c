/* ratelimit.c - a fixed table of failed-login counters. When it is full,
 * the entry whose last failure is oldest makes room: memory stays bounded
 * whatever an attacker sends. */
#include <stdio.h>
#include <string.h>

#include "ratelimit.h"

void rate_limit_init(rate_limit *rl)
{
    memset(rl, 0, sizeof *rl);
    pthread_mutex_init(&rl->lock, NULL);
}

static rate_entry *find(rate_limit *rl, const char *key, int64_t now)
{
    for (int i = 0; i < RATE_ENTRIES; i++) {
        rate_entry *e = &rl->entry[i];
        if (e->key[0] != '\0' && strcmp(e->key, key) == 0) {
            if (now - e->last_failure > RATE_FORGET_MS) {
                memset(e, 0, sizeof *e);
                return NULL;
            }
            return e;
        }
    }
    return NULL;
}

unsigned rate_limit_wait(rate_limit *rl, const char *key, int64_t now)
{
    pthread_mutex_lock(&rl->lock);
    const rate_entry *e = find(rl, key, now);
    int64_t wait = e != NULL ? e->next_allowed - now : 0;
    pthread_mutex_unlock(&rl->lock);
    return wait > 0 ? (unsigned)((wait + 999) / 1000) : 0;
}

void rate_limit_fail(rate_limit *rl, const char *key, int64_t now)
{
    pthread_mutex_lock(&rl->lock);
    rate_entry *e = find(rl, key, now);
    if (e == NULL) {
        e = &rl->entry[0];
        for (int i = 0; i < RATE_ENTRIES; i++) {
            if (rl->entry[i].key[0] == '\0') {
                e = &rl->entry[i];
                break;
            }
            if (rl->entry[i].last_failure < e->last_failure)
                e = &rl->entry[i];
        }
        memset(e, 0, sizeof *e);
        (void)snprintf(e->key, sizeof e->key, "%s", key);
    }
    e->failures++;
    e->last_failure = now;
    if (e->failures >= RATE_FREE_FAILURES) {
        unsigned shift = e->failures - RATE_FREE_FAILURES;
        int64_t wait = shift >= 9 ? RATE_MAX_WAIT_MS : (int64_t)1000 << shift;
        e->next_allowed = now + (wait > RATE_MAX_WAIT_MS ? RATE_MAX_WAIT_MS : wait);
    }
    pthread_mutex_unlock(&rl->lock);
}

void rate_limit_clear(rate_limit *rl, const char *key)
{
    pthread_mutex_lock(&rl->lock);
    for (int i = 0; i < RATE_ENTRIES; i++)
        if (strcmp(rl->entry[i].key, key) == 0)
            memset(&rl->entry[i], 0, sizeof rl->entry[i]);
    pthread_mutex_unlock(&rl->lock);
}
