/* ratelimit.h - failed logins per key (a user name, a client address),
 * with exponential backoff. */
#ifndef LV_SERVER_RATELIMIT_H
#define LV_SERVER_RATELIMIT_H

#include <pthread.h>
#include <stdint.h>

#define RATE_KEY_MAX 80
#define RATE_ENTRIES 1024
#define RATE_FREE_FAILURES 3          /* failures before the first wait */
#define RATE_MAX_WAIT_MS (300LL * 1000) /* the wait doubles up to this */
#define RATE_FORGET_MS (15LL * 60 * 1000)

typedef struct rate_entry {
    char key[RATE_KEY_MAX];
    unsigned failures;
    int64_t last_failure, next_allowed; /* ms, monotonic */
} rate_entry;

typedef struct rate_limit {
    pthread_mutex_t lock;
    rate_entry entry[RATE_ENTRIES];
} rate_limit;

void rate_limit_init(rate_limit *rl);
/* 0 when key may try now; else the seconds to wait (at least 1). */
unsigned rate_limit_wait(rate_limit *rl, const char *key, int64_t now);
/* A failed attempt of key: the 4th and later each double the wait. */
void rate_limit_fail(rate_limit *rl, const char *key, int64_t now);
/* A success: key starts afresh. */
void rate_limit_clear(rate_limit *rl, const char *key);

#endif
