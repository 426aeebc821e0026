/* http.c - the HTTP side of leadvault serve on libmicrohttpd: listening
 * sockets, TLS, limits, one JSON request in and one JSON response out,
 * the log line of each request, and the shutdown on SIGTERM/SIGINT. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "server.h"
#include "wire.h"

/* TLS 1.2 and 1.3 only, AEAD ciphers only (no CBC, RC4, 3DES, export),
 * forward-secret key exchange only (no static RSA); docs/server.md. */
#define SERVER_TLS_PRIORITIES                                                                      \
    "SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:-CIPHER-ALL:+CHACHA20-POLY1305:"                \
    "+AES-256-GCM:+AES-128-GCM:-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:%SERVER_PRECEDENCE"

typedef struct request {
    const endpoint *ep;
    char *body;
    size_t len, cap, limit;
    int refused; /* a WIRE_* code decided before the handler */
    int answered;
    int status;
    int64_t start;
    char method[8]; /* for the log: GET, POST, or "other" */
    char session_id[SESSION_ID_TEXT];
} request;

int call_fail(call *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
    return code;
}

static void log_line(const request *r, int status)
{
    char now[32];
    struct timespec ts;
    (void)clock_gettime(CLOCK_REALTIME, &ts);
    lv_time_format(now, (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
    /* Method, endpoint, status, duration, session id prefix: no body, no
     * token, no user name, no unknown path (it could carry anything). */
    (void)fprintf(stderr, "%s %s %s %d %lldms session %.8s\n", now, r->method,
                  r->ep != NULL ? r->ep->path : "(unknown)", status,
                  (long long)(session_now_ms() - r->start),
                  r->session_id[0] ? r->session_id : "-");
}

static void body_free(request *r)
{
    if (r->body != NULL) {
        sodium_memzero(r->body, r->cap);
        free(r->body);
    }
    r->body = NULL;
    r->len = r->cap = 0;
}

static int body_append(request *r, const char *data, size_t n)
{
    if (n > r->limit - r->len)
        return WIRE_TOO_LARGE;
    if (r->len + n > r->cap) {
        size_t cap = r->cap != 0 ? r->cap : 4096;
        while (cap < r->len + n)
            cap *= 2;
        if (cap > r->limit)
            cap = r->limit;
        char *grown = malloc(cap);
        if (grown == NULL)
            return LV_ERROR;
        if (r->body != NULL)
            memcpy(grown, r->body, r->len);
        size_t len = r->len;
        body_free(r); /* wiped: a body may hold a passphrase or PII */
        r->body = grown;
        r->len = len;
        r->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    return 0;
}

typedef struct reply_block {
    size_t len;
    char *text;
} reply_block;

static void reply_free(void *cls)
{
    reply_block *b = cls;
    sodium_memzero(b->text, b->len);
    free(b->text);
    free(b);
}

static enum MHD_Result respond(struct MHD_Connection *conn, request *r, int status, json_t *doc,
                               unsigned retry_after, int close_after)
{
    r->answered = 1;
    r->status = status;
    char *text = wire_encode_bytes(doc) == 0 ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (text == NULL)
        return MHD_NO;
    json_free_t jansson_free = free;
    json_get_alloc_funcs(NULL, &jansson_free);
    /* A copy that reply_free wipes: the response may hold revealed values
     * (jansson's allocator, set by the CLI, wipes the original). */
    size_t len = strlen(text);
    reply_block *b = malloc(sizeof *b);
    if (b != NULL && (b->text = malloc(len + 1)) == NULL) {
        free(b);
        b = NULL;
    }
    if (b != NULL) {
        memcpy(b->text, text, len + 1);
        b->len = len;
    }
    jansson_free(text);
    if (b == NULL)
        return MHD_NO;
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback_cls(len, b->text, reply_free, b);
    if (resp == NULL) {
        reply_free(b);
        return MHD_NO;
    }
    (void)MHD_add_response_header(resp, "Content-Type", "application/json");
    (void)MHD_add_response_header(resp, "Cache-Control", "no-store");
    if (retry_after > 0) {
        char value[16];
        (void)snprintf(value, sizeof value, "%u", retry_after);
        (void)MHD_add_response_header(resp, "Retry-After", value);
    }
    if (close_after)
        (void)MHD_add_response_header(resp, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result respond_error(struct MHD_Connection *conn, request *r, int code,
                                     const char *message, unsigned retry_after)
{
    int status = wire_error_for(code)->http_status;
    if (code == WIRE_NO_ENDPOINT && r->ep != NULL)
        status = 405; /* the path exists, not with this method */
    return respond(conn, r, status, wire_error_body(code, message), retry_after,
                   code == WIRE_TOO_LARGE || code == WIRE_OVERLOADED);
}

static void client_text(struct MHD_Connection *conn, char out[SERVER_ADDR_TEXT])
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    (void)snprintf(out, SERVER_ADDR_TEXT, "unknown");
    if (info == NULL || info->client_addr == NULL)
        return;
    const struct sockaddr *sa = info->client_addr;
    if (sa->sa_family == AF_INET)
        (void)inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
                        SERVER_ADDR_TEXT);
    else if (sa->sa_family == AF_INET6)
        (void)inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
                        out, SERVER_ADDR_TEXT);
    else if (sa->sa_family == AF_UNIX)
        (void)snprintf(out, SERVER_ADDR_TEXT, "unix");
}

static const char *bearer_token(struct MHD_Connection *conn)
{
    const char *v = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
    if (v == NULL || strncmp(v, "Bearer ", 7) != 0)
        return NULL;
    return v + 7;
}

/* The token of a session that ended (logout, expiry, revocation) is
 * refused as any unknown one, and audited once with its user; a token no
 * session ever had (forged, mangled) names no user and is not audited
 * (docs/server.md). */
static void audit_refused_token(server *srv, const char *token, const char *client)
{
    char user[LV_NAME_MAX + 1], id[SESSION_ID_TEXT], os_user[LV_NAME_MAX + 1];
    if (!sessions_ended_refusal(&srv->sessions, token, user, id))
        return;
    server_audit_os_user(os_user, id, client, NULL);
    if (lv_audit_session_refused(srv->vault_path, user, os_user) != 0)
        (void)fprintf(stderr,
                      "leadvault serve: a refused session token could not be audited "
                      "(session %.8s)\n",
                      id);
    sodium_memzero(user, sizeof user);
}

static enum MHD_Result run_endpoint(server *srv, struct MHD_Connection *conn, request *r)
{
    json_t *in = NULL;
    if (r->len == 0) {
        in = json_object();
    } else {
        json_error_t jerr;
        in = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &jerr);
        if (in == NULL || !json_is_object(in)) {
            json_decref(in);
            return respond_error(conn, r, WIRE_BAD_REQUEST,
                                 "the request body is not a JSON object (UTF-8, no NUL)", 0);
        }
        int rc = wire_decode_bytes(in);
        if (rc != 0) {
            json_decref(in);
            return respond_error(conn, r, rc == LV_EINVAL ? WIRE_BAD_REQUEST : LV_ERROR,
                                 "a {\"b64\"} member is not base64 of bytes that are not UTF-8 "
                                 "(or holds a NUL)",
                                 0);
        }
    }
    body_free(r);
    char client[SERVER_ADDR_TEXT];
    client_text(conn, client);
    call c;
    memset(&c, 0, sizeof c);
    c.srv = srv;
    c.client = client;
    c.in = in;
    /* The keys lock before the session's lock, in every request: one
     * order, no deadlock. Health touches no vault. */
    int locked = r->ep->fn != handle_health;
    if (locked) {
        if (r->ep->flags & ENDPOINT_EXCLUSIVE)
            pthread_rwlock_wrlock(&srv->keys_lock);
        else
            pthread_rwlock_rdlock(&srv->keys_lock);
    }
    if (r->ep->flags & ENDPOINT_SESSION) {
        const char *token = bearer_token(conn);
        c.session = token != NULL ? sessions_acquire(&srv->sessions, token) : NULL;
        if (c.session == NULL) {
            if (token != NULL)
                audit_refused_token(srv, token, client);
            if (locked)
                pthread_rwlock_unlock(&srv->keys_lock);
            json_decref(in);
            return respond_error(conn, r, WIRE_UNAUTHENTICATED,
                                 "no valid session (log in again)", 0);
        }
        memcpy(r->session_id, c.session->id, SESSION_ID_TEXT);
    }
    int rc = r->ep->fn(&c);
    if (rc != 0 && c.message[0] == '\0')
        (void)snprintf(c.message, sizeof c.message, "%s", lv_error_last());
    if (c.session != NULL)
        sessions_release(&srv->sessions, c.session);
    if (locked)
        pthread_rwlock_unlock(&srv->keys_lock);
    if (c.session_id[0])
        memcpy(r->session_id, c.session_id, SESSION_ID_TEXT);
    json_decref(in);
    if (rc != 0) {
        json_decref(c.out);
        return respond_error(conn, r, rc, c.message, c.retry_after);
    }
    return respond(conn, r, 200, c.out != NULL ? c.out : json_object(), 0, 0);
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *conn, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    server *srv = cls;
    request *r = *con_cls;
    if (r == NULL) {
        r = calloc(1, sizeof *r);
        if (r == NULL)
            return MHD_NO;
        *con_cls = r;
        r->start = session_now_ms();
        atomic_fetch_add(&srv->in_flight, 1);
        r->ep = endpoint_find(url);
        int is_get = strcmp(method, "GET") == 0;
        (void)snprintf(r->method, sizeof r->method, "%s",
                       is_get || strcmp(method, "POST") == 0 ? method : "other");
        if (r->ep == NULL || is_get != (r->ep->fn == handle_health) ||
            (!is_get && strcmp(method, "POST") != 0))
            r->refused = WIRE_NO_ENDPOINT;
        r->limit = r->ep != NULL && r->ep->body_limit != 0 ? r->ep->body_limit : SERVER_BODY_LIMIT;
        const char *length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        if (!r->refused && length != NULL && strtoull(length, NULL, 10) > r->limit)
            r->refused = WIRE_TOO_LARGE;
        if (!r->refused && atomic_load(&srv->stopping))
            r->refused = WIRE_OVERLOADED;
        if (!r->refused && atomic_load(&srv->in_flight) > srv->max_in_flight)
            r->refused = WIRE_OVERLOADED;
        /* A body too large is refused before it is read. */
        if (r->refused == WIRE_TOO_LARGE)
            return respond_error(conn, r, WIRE_TOO_LARGE, "the request body is too large", 0);
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (!r->refused && !r->answered) {
            int rc = body_append(r, upload, *upload_size);
            if (rc != 0) {
                r->refused = rc;
                body_free(r);
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->answered)
        return MHD_YES;
    if (r->refused == WIRE_TOO_LARGE)
        return respond_error(conn, r, WIRE_TOO_LARGE, "the request body is too large", 0);
    if (r->refused == WIRE_OVERLOADED)
        return respond_error(conn, r, WIRE_OVERLOADED,
                             atomic_load(&srv->stopping) ? "the server is shutting down"
                                                         : "too many requests at once",
                             1);
    if (r->refused != 0)
        return respond_error(conn, r, r->refused,
                             r->refused == WIRE_NO_ENDPOINT ? "no such endpoint or method"
                                                            : "out of memory",
                             0);
    return run_endpoint(srv, conn, r);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    server *srv = cls;
    request *r = *con_cls;
    if (r == NULL)
        return;
    int status = r->answered ? r->status : toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
    log_line(r, status);
    body_free(r);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt,
                                                          va_list ap)
{
    /* libmicrohttpd's own messages name sockets and TLS failures, never
     * bodies; they are kept, one line each. */
    (void)cls;
    char line[512];
    (void)vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\r\n")] = '\0';
    (void)fprintf(stderr, "libmicrohttpd: %s\n", line);
}

/* ---- listening sockets ---- */

static int is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)(const void *)sa)->sin_addr.s_addr) >> 24) ==
               127;
    if (sa->sa_family == AF_INET6)
        return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr);
    return 0;
}

static int listen_tcp(const char *spec, int tls, char *shown, size_t shown_len)
{
    char host[256];
    const char *port;
    if (spec[0] == '[') {
        const char *end = strchr(spec, ']');
        if (end == NULL || end[1] != ':' || (size_t)(end - spec - 1) >= sizeof host) {
            (void)fprintf(stderr, "leadvault serve: --listen: expected HOST:PORT ([::1]:PORT)\n");
            return -2;
        }
        memcpy(host, spec + 1, (size_t)(end - spec - 1));
        host[end - spec - 1] = '\0';
        port = end + 2;
    } else {
        const char *colon = strrchr(spec, ':');
        if (colon == NULL || (size_t)(colon - spec) >= sizeof host) {
            (void)fprintf(stderr, "leadvault serve: --listen: expected HOST:PORT\n");
            return -2;
        }
        memcpy(host, spec, (size_t)(colon - spec));
        host[colon - spec] = '\0';
        port = colon + 1;
    }
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
    int gai = getaddrinfo(host[0] ? host : NULL, port, &hints, &res);
    if (gai != 0) {
        (void)fprintf(stderr, "leadvault serve: --listen %s: %s\n", spec, gai_strerror(gai));
        return -2;
    }
    if (!tls && !is_loopback(res->ai_addr)) {
        freeaddrinfo(res);
        (void)fprintf(stderr,
                      "leadvault serve: --listen %s: plain HTTP only on a loopback address; "
                      "give --tls-cert and --tls-key\n",
                      spec);
        return -2;
    }
    int fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 128) != 0) {
        (void)fprintf(stderr, "leadvault serve: --listen %s: %s\n", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    struct sockaddr_storage bound;
    socklen_t blen = sizeof bound;
    if (getsockname(fd, (struct sockaddr *)&bound, &blen) == 0) {
        char addr[INET6_ADDRSTRLEN] = "?";
        unsigned port_no;
        if (bound.ss_family == AF_INET) {
            const struct sockaddr_in *in4 = (const struct sockaddr_in *)(const void *)&bound;
            (void)inet_ntop(AF_INET, &in4->sin_addr, addr, sizeof addr);
            port_no = ntohs(in4->sin_port);
            (void)snprintf(shown, shown_len, "%s://%s:%u", tls ? "https" : "http", addr, port_no);
        } else {
            const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)&bound;
            (void)inet_ntop(AF_INET6, &in6->sin6_addr, addr, sizeof addr);
            port_no = ntohs(in6->sin6_port);
            (void)snprintf(shown, shown_len, "%s://[%s]:%u", tls ? "https" : "http", addr,
                           port_no);
        }
    }
    return fd;
}

static int listen_unix(const char *path)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path) {
        (void)fprintf(stderr, "leadvault serve: --socket: the path is too long\n");
        return -2;
    }
    memcpy(sa.sun_path, path, strlen(path) + 1);
    struct stat st;
    if (lstat(path, &st) == 0) {
        (void)fprintf(stderr,
                      "leadvault serve: --socket %s: exists (remove it if no server uses it)\n",
                      path);
        return -2;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    /* Created 0600 from the start: bind() honours the umask. */
    mode_t old = umask(0177);
    int rc = fd >= 0 ? bind(fd, (struct sockaddr *)&sa, sizeof sa) : -1;
    umask(old);
    if (rc != 0 || listen(fd, 128) != 0) {
        (void)fprintf(stderr, "leadvault serve: --socket %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int read_pem(const char *path, char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "rbe");
    if (f == NULL) {
        (void)fprintf(stderr, "leadvault serve: cannot read %s: %s\n", path, strerror(errno));
        return -1;
    }
    const size_t max = (size_t)256 * 1024;
    char *buf = sodium_malloc(max + 1);
    size_t n = buf != NULL ? fread(buf, 1, max, f) : 0;
    (void)fclose(f);
    if (buf == NULL || n == 0 || n == max) {
        (void)fprintf(stderr, "leadvault serve: %s is empty or too large\n", path);
        if (buf != NULL)
            sodium_free(buf);
        return -1;
    }
    buf[n] = '\0';
    *out = buf;
    return 0;
}

static struct MHD_Daemon *start_daemon(server *srv, const serve_config *cfg, int fd,
                                       const char *cert, const char *key)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (cert != NULL)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls_options[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key},
        {MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)SERVER_TLS_PRIORITIES},
        {MHD_OPTION_END, 0, NULL},
    };
    struct MHD_OptionItem none[] = {{MHD_OPTION_END, 0, NULL}};
    return MHD_start_daemon(
        flags, 0, NULL, NULL, answer, srv, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_CONNECTION_LIMIT, cfg->connection_limit, MHD_OPTION_CONNECTION_TIMEOUT,
        cfg->connection_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)SERVER_HEADER_LIMIT * 2, MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
        MHD_OPTION_ARRAY,
        cert != NULL ? tls_options : none, MHD_OPTION_END);
}

/* The descriptors the server needs: one per connection of each listening
 * socket, and a reserve for the listening sockets, the log, SQLite's files
 * of the requests in flight, and the files of backup and restore (a
 * session holds none at rest). The soft limit is raised to the hard one;
 * a --connection-limit that still does not fit is refused at start, not
 * met as failed accepts under load. Returns 0, or 2 (said why). */
static int check_fd_limit(const serve_config *cfg)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return 0;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        (void)setrlimit(RLIMIT_NOFILE, &rl);
        (void)getrlimit(RLIMIT_NOFILE, &rl);
    }
    unsigned listeners = (cfg->listen != NULL) + (cfg->socket_path != NULL);
    rlim_t need = (rlim_t)cfg->connection_limit * listeners + SERVER_FD_RESERVE;
    if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
        return 0;
    (void)fprintf(stderr,
                  "leadvault serve: --connection-limit %u needs %llu file descriptors, the limit "
                  "is %llu: lower --connection-limit, or raise the limit (ulimit -n, systemd's "
                  "LimitNOFILE=)\n",
                  cfg->connection_limit, (unsigned long long)need,
                  (unsigned long long)rl.rlim_cur);
    return 2;
}

int server_run(const serve_config *cfg)
{
    int fd_rc = check_fd_limit(cfg);
    if (fd_rc != 0)
        return fd_rc;
    static server srv; /* its locks live as long as the daemons */
    memset(&srv, 0, sizeof srv);
    srv.vault_path = cfg->vault_path;
    srv.max_in_flight = cfg->max_in_flight;
    srv.max_logins = cfg->max_logins;
    sessions_init(&srv.sessions, SERVER_SESSIONS_MAX, cfg->session_idle_ms, cfg->session_max_ms);
    keys_lock_init(&srv.keys_lock);
    rate_limit_init(&srv.rate);

    /* Signals are taken by sigtimedwait in this thread only; the daemons'
     * threads inherit the mask. A client gone mid-response is an EPIPE,
     * not a SIGPIPE. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    (void)signal(SIGPIPE, SIG_IGN);

    /* One writer for every session: the audit entries of reveals that
     * arrive together are committed together (docs/server.md). */
    if (lv_group_open(&srv.group, cfg->vault_path) != 0) {
        (void)fprintf(stderr, "leadvault serve: %s\n", lv_error_last());
        return 1;
    }
    char *cert = NULL, *key = NULL;
    if (cfg->tls_cert != NULL && (read_pem(cfg->tls_cert, &cert) != 0 ||
                                  read_pem(cfg->tls_key, &key) != 0)) {
        if (cert != NULL)
            sodium_free(cert);
        sessions_close_all(&srv.sessions);
        (void)lv_group_close(srv.group);
        return 1;
    }
    struct MHD_Daemon *daemons[2] = {NULL, NULL};
    char shown[2][300] = {"", ""};
    int ndaemons = 0, failed = 0;
    if (cfg->listen != NULL) {
        int fd = listen_tcp(cfg->listen, cert != NULL, shown[0], sizeof shown[0]);
        if (fd < 0)
            failed = fd == -2 ? 2 : 1;
        else if ((daemons[ndaemons++] = start_daemon(&srv, cfg, fd, cert, key)) == NULL)
            failed = 1;
    }
    if (!failed && cfg->socket_path != NULL) {
        int fd = listen_unix(cfg->socket_path);
        (void)snprintf(shown[1], sizeof shown[1], "unix:%s", cfg->socket_path);
        if (fd < 0)
            failed = fd == -2 ? 2 : 1;
        else if ((daemons[ndaemons++] = start_daemon(&srv, cfg, fd, NULL, NULL)) == NULL)
            failed = 1;
    }
    if (failed) {
        for (int i = 0; i < ndaemons; i++)
            if (daemons[i] != NULL)
                MHD_stop_daemon(daemons[i]);
        if (cfg->socket_path != NULL && failed == 1)
            (void)unlink(cfg->socket_path);
        if (cert != NULL)
            sodium_free(cert);
        if (key != NULL)
            sodium_free(key);
        if (failed == 1)
            (void)fprintf(stderr, "leadvault serve: cannot start the HTTP server\n");
        sessions_close_all(&srv.sessions);
        (void)lv_group_close(srv.group);
        return failed;
    }
    for (int i = 0; i < 2; i++)
        if (shown[i][0])
            printf("listening on %s\n", shown[i]);
    (void)fflush(stdout);

    /* Until a signal: reap expired sessions every second. */
    for (;;) {
        struct timespec second = {1, 0};
        int sig = sigtimedwait(&set, NULL, &second);
        if (sig == SIGTERM || sig == SIGINT)
            break;
        sessions_reap(&srv.sessions);
    }
    /* Stop accepting, let the requests in flight finish (at most 60 s),
     * then close every session: their keys are wiped. */
    atomic_store(&srv.stopping, 1);
    for (int i = 0; i < ndaemons; i++) {
        int fd = MHD_quiesce_daemon(daemons[i]);
        if (fd >= 0)
            close(fd);
    }
    if (cfg->socket_path != NULL)
        (void)unlink(cfg->socket_path);
    for (int waited = 0; atomic_load(&srv.in_flight) > 0 && waited < 6000; waited++) {
        struct timespec tick = {0, 10000000L};
        nanosleep(&tick, NULL);
    }
    for (int i = 0; i < ndaemons; i++)
        MHD_stop_daemon(daemons[i]);
    sessions_close_all(&srv.sessions);
    (void)lv_group_close(srv.group);
    if (cert != NULL)
        sodium_free(cert);
    if (key != NULL)
        sodium_free(key);
    (void)fprintf(stderr, "leadvault serve: stopped\n");
    return 0;
}
