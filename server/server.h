/* server.h - leadvault serve: the pieces shared by its files. The server
 * calls only the public API (include/leadvault.h). */
#ifndef LV_SERVER_H
#define LV_SERVER_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "leadvault.h"
#include "ratelimit.h"
#include "session.h"

#define SERVER_BODY_LIMIT (1u << 20)         /* bytes of a request body */
#define SERVER_IMPORT_BODY_LIMIT (64u << 20) /* of an import's body */
/* libmicrohttpd's memory per connection is twice this: the request line
 * and headers must fit in it with the read buffer (431 past it). */
#define SERVER_HEADER_LIMIT (16u << 10)
/* File descriptors beyond one per connection (http.c, check_fd_limit). */
#define SERVER_FD_RESERVE 64
#define SERVER_SESSIONS_MAX 1024
#define SERVER_ADDR_TEXT 64

typedef struct server {
    const char *vault_path;
    lv_group *group; /* every session's handle commits its writes with it */
    session_table sessions;
    rate_limit rate;
    unsigned max_in_flight; /* requests handled at once; 503 past it */
    unsigned max_logins;    /* Argon2id unlocks at once; 503 past it */
    atomic_uint in_flight;
    atomic_uint logins;
    atomic_int stopping;
    /* Every request that uses a vault handle (login and the session
     * endpoints) holds it shared; the endpoints that change the keys or a
     * role (rekey, user role) hold it exclusive, so that no other session
     * runs with keys or a role they replace (writers preferred). */
    pthread_rwlock_t keys_lock;
} server;

/* handlers_keys.c: initialise server.keys_lock (writers preferred). */
void keys_lock_init(pthread_rwlock_t *lock);

/* One request as a handler sees it. */
typedef struct call {
    server *srv;
    session *session; /* NULL for the endpoints without one */
    const char *client; /* "127.0.0.1", "::1", "unix" */
    const json_t *in;   /* the request body, an object */
    json_t *out;        /* the response on success (NULL: {}) */
    char message[512];  /* the error message; "" takes lv_error_last() */
    unsigned retry_after;
    char session_id[SESSION_ID_TEXT]; /* for the log line */
} call;

/* Returns 0, an LV_E* or a WIRE_* code. */
typedef int (*handler_fn)(call *c);

/* endpoint.flags */
#define ENDPOINT_SESSION 1u   /* needs a session (bearer token) */
#define ENDPOINT_EXCLUSIVE 2u /* runs alone: server.keys_lock held exclusive */

typedef struct endpoint {
    const char *path; /* "/v1/lead/get" */
    handler_fn fn;
    unsigned flags;    /* ENDPOINT_* */
    size_t body_limit; /* 0: SERVER_BODY_LIMIT */
} endpoint;

/* The endpoint of path, or NULL (handlers.c holds the table). */
const endpoint *endpoint_find(const char *path);
/* Set c->message and return code. */
int call_fail(call *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* auth.c: login, logout, health. */
int handle_login(call *c);
/* The os_user the audit log records for a server session:
 * "srvID8.ADDR.OSUSER" (os_user NULL: "unknown"), docs/server.md. */
void server_audit_os_user(char out[LV_NAME_MAX + 1], const char *id, const char *client,
                          const char *os_user);
int handle_logout(call *c);
int handle_health(call *c);

/* http.c: start the daemons for the listening sockets, serve until
 * SIGTERM/SIGINT, then shut down. */
typedef struct serve_config {
    const char *vault_path;
    const char *listen;      /* HOST:PORT or NULL */
    const char *socket_path; /* or NULL */
    const char *tls_cert, *tls_key;
    int64_t session_idle_ms, session_max_ms;
    unsigned connection_limit, connection_timeout_s;
    unsigned max_in_flight, max_logins;
} serve_config;
int server_run(const serve_config *cfg);

#endif
