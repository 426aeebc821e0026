/* session.h - the server's login sessions: one unlocked lv_vault handle
 * each, found by a random token of which only a hash is kept. */
#ifndef LV_SERVER_SESSION_H
#define LV_SERVER_SESSION_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "leadvault.h"

#define SESSION_TOKEN_BYTES 32
#define SESSION_TOKEN_TEXT 44 /* base64url without padding (43) + NUL */
#define SESSION_ID_TEXT 17    /* 8 random bytes in hex + NUL: for logs and the audit log */

typedef struct session {
    unsigned char token_hash[32];
    char id[SESSION_ID_TEXT];
    char user[LV_NAME_MAX + 1];
    lv_vault *vault;         /* used under lock only: a handle serves one thread at a time */
    int64_t created, last_used; /* ms, monotonic clock */
    pthread_mutex_t lock;
    int refs; /* requests holding it (under the table's lock) */
    int dead; /* logged out, expired or revoked: closed when refs drops to 0 */
    struct session *next;
} session;

/* A session that ended by logout, expiry or revocation (not shutdown):
 * kept for one --session-max after its end, so that a later use of its
 * token is refused (401, as any unknown token) and audited with the user
 * it belonged to. Only the first refusal of each is audited: a stale
 * token replayed in a loop must not grow the append-only log. */
typedef struct session_ended {
    unsigned char token_hash[32];
    char id[SESSION_ID_TEXT];
    char user[LV_NAME_MAX + 1];
    int64_t forget_at; /* ms, monotonic clock */
    int audited;
} session_ended;

typedef struct session_table {
    pthread_mutex_t lock;
    session *head;
    size_t count, max;
    int64_t idle_ms, max_ms;
    session_ended *ended; /* a ring of max entries: the oldest is overwritten */
    size_t ended_next;
} session_table;

int64_t session_now_ms(void); /* monotonic */

void sessions_init(session_table *t, size_t max, int64_t idle_ms, int64_t max_ms);
/* A new random session id (hex), made before the vault is opened so that
 * the audit log can name it. */
void session_new_id(char id[SESSION_ID_TEXT]);
/* Take vault into a new session with id; writes its token. The vault is
 * closed on failure. Returns 0, LV_EBUSY (table full) or LV_ERROR. */
int sessions_add(session_table *t, lv_vault *vault, const char *user,
                 const char id[SESSION_ID_TEXT], char token[SESSION_TOKEN_TEXT]);
/* The live session of token, locked for the caller, or NULL (unknown,
 * expired, revoked). Expiry is checked here too, not only by the reaper. */
session *sessions_acquire(session_table *t, const char *token);
/* Unlock; close the session when it is dead and this was the last user. */
void sessions_release(session_table *t, session *s);
/* Mark s dead (logout): it is closed on release. */
void sessions_revoke(session_table *t, session *s);
/* Mark dead every session of user except keep (NULL: none). */
void sessions_revoke_user(session_table *t, const char *user, const session *keep);
/* A token no live session has: when it is the token of an ended session
 * whose refusal was not audited yet, mark it audited, write its user and
 * session id and return 1; otherwise 0. */
int sessions_ended_refusal(session_table *t, const char *token, char user[LV_NAME_MAX + 1],
                           char id[SESSION_ID_TEXT]);
/* Mark dead every session except keep: those no request holds are closed
 * now (their keys wiped, their audit entries signed). */
void sessions_revoke_others(session_table *t, const session *keep);
/* Close every expired session that no request holds. */
void sessions_reap(session_table *t);
/* Close every session (shutdown: no request runs any more); free the
 * ended ones. */
void sessions_close_all(session_table *t);
size_t sessions_count(session_table *t);

#endif
