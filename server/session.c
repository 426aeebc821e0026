/* session.c - login sessions: token hash, idle and absolute lifetime,
 * a lock per session, closed (keys wiped by lv_vault_close) when they
 * end. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "session.h"

int64_t session_now_ms(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void token_hash(unsigned char out[32], const char *token, size_t len)
{
    crypto_generichash(out, 32, (const unsigned char *)token, len, NULL, 0);
}

void sessions_init(session_table *t, size_t max, int64_t idle_ms, int64_t max_ms)
{
    memset(t, 0, sizeof *t);
    pthread_mutex_init(&t->lock, NULL);
    t->max = max;
    t->idle_ms = idle_ms;
    t->max_ms = max_ms;
    /* Without it a refused token is still refused, only not audited. */
    t->ended = calloc(max, sizeof *t->ended);
}

/* s has just ended (under the table's lock): remember its token. */
static void remember_ended(session_table *t, const session *s, int64_t now)
{
    if (t->ended == NULL || t->max == 0)
        return;
    session_ended *e = &t->ended[t->ended_next];
    t->ended_next = (t->ended_next + 1) % t->max;
    memcpy(e->token_hash, s->token_hash, sizeof e->token_hash);
    memcpy(e->id, s->id, sizeof e->id);
    memcpy(e->user, s->user, sizeof e->user);
    e->forget_at = now + t->max_ms;
    e->audited = 0;
}

int sessions_ended_refusal(session_table *t, const char *token, char user[LV_NAME_MAX + 1],
                           char id[SESSION_ID_TEXT])
{
    size_t len = strlen(token);
    if (len != SESSION_TOKEN_TEXT - 1 || t->ended == NULL)
        return 0;
    unsigned char hash[32];
    token_hash(hash, token, len);
    int64_t now = session_now_ms();
    session_ended *found = NULL;
    pthread_mutex_lock(&t->lock);
    /* Every entry is compared, in constant time each. */
    for (size_t i = 0; i < t->max; i++) {
        session_ended *e = &t->ended[i];
        if (e->forget_at != 0 && sodium_memcmp(e->token_hash, hash, sizeof hash) == 0)
            found = e;
    }
    int audit = found != NULL && !found->audited && now < found->forget_at;
    if (audit) {
        found->audited = 1;
        memcpy(user, found->user, LV_NAME_MAX + 1);
        memcpy(id, found->id, SESSION_ID_TEXT);
    }
    pthread_mutex_unlock(&t->lock);
    return audit;
}

static void session_close(session *s)
{
    (void)lv_vault_close(s->vault); /* signs a checkpoint, wipes the keys */
    pthread_mutex_destroy(&s->lock);
    sodium_memzero(s, sizeof *s);
    free(s);
}

void session_new_id(char id[SESSION_ID_TEXT])
{
    unsigned char raw[8];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(id, SESSION_ID_TEXT, raw, sizeof raw);
}

int sessions_add(session_table *t, lv_vault *vault, const char *user,
                 const char id[SESSION_ID_TEXT], char token[SESSION_TOKEN_TEXT])
{
    session *s = calloc(1, sizeof *s);
    if (s == NULL) {
        (void)lv_vault_close(vault);
        return LV_ERROR;
    }
    unsigned char raw[SESSION_TOKEN_BYTES];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, SESSION_TOKEN_TEXT, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    memcpy(s->id, id, SESSION_ID_TEXT);
    token_hash(s->token_hash, token, strlen(token));
    (void)snprintf(s->user, sizeof s->user, "%s", user);
    s->vault = vault;
    s->created = s->last_used = session_now_ms();
    pthread_mutex_init(&s->lock, NULL);
    pthread_mutex_lock(&t->lock);
    if (t->count >= t->max) {
        pthread_mutex_unlock(&t->lock);
        sodium_memzero(token, SESSION_TOKEN_TEXT);
        session_close(s);
        return LV_EBUSY;
    }
    s->next = t->head;
    t->head = s;
    t->count++;
    pthread_mutex_unlock(&t->lock);
    return 0;
}

static int expired(const session_table *t, const session *s, int64_t now)
{
    return now - s->last_used > t->idle_ms || now - s->created > t->max_ms;
}

/* Unlink s from the table (under the table's lock). */
static void unlink_session(session_table *t, const session *s)
{
    for (session **p = &t->head; *p != NULL; p = &(*p)->next) {
        if (*p == s) {
            *p = s->next;
            t->count--;
            return;
        }
    }
}

session *sessions_acquire(session_table *t, const char *token)
{
    size_t len = strlen(token);
    if (len != SESSION_TOKEN_TEXT - 1)
        return NULL;
    unsigned char hash[32];
    token_hash(hash, token, len);
    int64_t now = session_now_ms();
    session *found = NULL, *close_now = NULL;
    pthread_mutex_lock(&t->lock);
    /* Every live session is compared, in constant time each. */
    for (session *s = t->head; s != NULL; s = s->next) {
        if (sodium_memcmp(s->token_hash, hash, sizeof hash) == 0)
            found = s;
    }
    if (found != NULL && !found->dead && expired(t, found, now)) {
        found->dead = 1;
        unlink_session(t, found);
        remember_ended(t, found, now);
        if (found->refs == 0)
            close_now = found;
        found = NULL;
    } else if (found != NULL && found->dead) {
        found = NULL;
    }
    if (found != NULL) {
        found->refs++;
        found->last_used = now;
    }
    pthread_mutex_unlock(&t->lock);
    if (close_now != NULL)
        session_close(close_now);
    if (found != NULL)
        pthread_mutex_lock(&found->lock);
    return found;
}

void sessions_release(session_table *t, session *s)
{
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_lock(&t->lock);
    int close_now = --s->refs == 0 && s->dead;
    pthread_mutex_unlock(&t->lock);
    if (close_now)
        session_close(s);
}

void sessions_revoke(session_table *t, session *s)
{
    pthread_mutex_lock(&t->lock);
    if (!s->dead) {
        s->dead = 1;
        unlink_session(t, s);
        remember_ended(t, s, session_now_ms());
    }
    pthread_mutex_unlock(&t->lock);
}

static void close_list(session *list)
{
    while (list != NULL) {
        session *next = list->next;
        session_close(list);
        list = next;
    }
}

/* Mark dead every session of user (NULL: of every user) but keep. */
static void revoke_matching(session_table *t, const char *user, const session *keep)
{
    session *to_close = NULL;
    int64_t now = session_now_ms();
    pthread_mutex_lock(&t->lock);
    session **p = &t->head;
    while (*p != NULL) {
        session *s = *p;
        if (s != keep && (user == NULL || strcmp(s->user, user) == 0)) {
            *p = s->next;
            t->count--;
            s->dead = 1;
            remember_ended(t, s, now);
            if (s->refs == 0) {
                s->next = to_close;
                to_close = s;
            }
        } else {
            p = &s->next;
        }
    }
    pthread_mutex_unlock(&t->lock);
    close_list(to_close);
}

void sessions_revoke_user(session_table *t, const char *user, const session *keep)
{
    revoke_matching(t, user, keep);
}

void sessions_revoke_others(session_table *t, const session *keep)
{
    revoke_matching(t, NULL, keep);
}

void sessions_reap(session_table *t)
{
    session *to_close = NULL;
    int64_t now = session_now_ms();
    pthread_mutex_lock(&t->lock);
    session **p = &t->head;
    while (*p != NULL) {
        session *s = *p;
        if (expired(t, s, now)) {
            *p = s->next;
            t->count--;
            s->dead = 1;
            remember_ended(t, s, now);
            if (s->refs == 0) {
                s->next = to_close;
                to_close = s;
            }
        } else {
            p = &s->next;
        }
    }
    pthread_mutex_unlock(&t->lock);
    close_list(to_close);
}

void sessions_close_all(session_table *t)
{
    pthread_mutex_lock(&t->lock);
    session *list = t->head;
    t->head = NULL;
    t->count = 0;
    session_ended *ended = t->ended;
    t->ended = NULL;
    pthread_mutex_unlock(&t->lock);
    close_list(list);
    if (ended != NULL) {
        sodium_memzero(ended, t->max * sizeof *ended);
        free(ended);
    }
}

size_t sessions_count(session_table *t)
{
    pthread_mutex_lock(&t->lock);
    size_t n = t->count;
    pthread_mutex_unlock(&t->lock);
    return n;
}
