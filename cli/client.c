/* client.c - the transport of the CLI's client mode (libcurl), its token
 * cache, and the remote session handle. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client.h"
#include "client_session.h"
#include "wire.h"

#define CLIENT_REPLY_MAX (256u << 20)

static struct {
    char url[1024];         /* as given: the token cache's key */
    char base[1024];        /* http(s)://host:port, without a trailing / */
    char socket_path[256];  /* unix: URLs */
    const char *ca_file;
} config;

static _Thread_local char last_error[600];

const char *client_error(void)
{
    return last_error;
}

void client_clear_error(void)
{
    last_error[0] = '\0';
}

void client_set_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
}

static int client_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int client_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}

const char *client_url(void)
{
    return config.url;
}

static int loopback_host(const char *host_port)
{
    static const char *const hosts[] = {"127.0.0.1:", "localhost:", "[::1]:"};
    for (size_t i = 0; i < sizeof hosts / sizeof hosts[0]; i++)
        if (strncmp(host_port, hosts[i], strlen(hosts[i])) == 0)
            return 1;
    return 0;
}

int client_configure(const char *url, const char *ca_file)
{
    memset(&config, 0, sizeof config);
    if (strlen(url) >= sizeof config.url)
        return client_fail(LV_EINVAL, "--server: the URL is too long");
    (void)snprintf(config.url, sizeof config.url, "%s", url);
    config.ca_file = ca_file;
    if (strncmp(url, "unix:", 5) == 0) {
        if (url[5] != '/' || strlen(url + 5) >= sizeof config.socket_path)
            return client_fail(LV_EINVAL, "--server unix:PATH needs an absolute socket path");
        (void)snprintf(config.socket_path, sizeof config.socket_path, "%s", url + 5);
        (void)snprintf(config.base, sizeof config.base, "http://localhost");
        return 0;
    }
    int https = strncmp(url, "https://", 8) == 0;
    if (!https && strncmp(url, "http://", 7) != 0)
        return client_fail(LV_EINVAL,
                           "--server: expected https://HOST:PORT, http://127.0.0.1:PORT or "
                           "unix:/path.sock");
    const char *host = url + (https ? 8 : 7);
    if (!https && !loopback_host(host))
        return client_fail(LV_EINVAL, "--server: plain http:// only to a loopback address; "
                                      "use https:// (a session token must not cross a network "
                                      "in clear)");
    if (strchr(host, '/') != NULL && strchr(host, '/')[1] != '\0')
        return client_fail(LV_EINVAL, "--server: give the server's address without a path");
    (void)snprintf(config.base, sizeof config.base, "%.*s", (int)strcspn(url + (https ? 8 : 7), "/") + (https ? 8 : 7), url);
    return 0;
}

/* ---- the transport ---- */

typedef struct reply_buf {
    char *data;
    size_t len, cap;
    int too_large;
} reply_buf;

static void reply_wipe(reply_buf *b)
{
    if (b->data != NULL) {
        sodium_memzero(b->data, b->cap);
        free(b->data);
    }
    memset(b, 0, sizeof *b);
}

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ctx)
{
    reply_buf *b = ctx;
    size_t n = size * nmemb;
    if (n > CLIENT_REPLY_MAX - b->len) {
        b->too_large = 1;
        return 0;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = malloc(cap);
        if (grown == NULL)
            return 0;
        if (b->data != NULL)
            memcpy(grown, b->data, b->len);
        size_t len = b->len;
        reply_wipe(b); /* a reply may hold revealed values */
        b->data = grown;
        b->len = len;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    return n;
}

/* The LV_E* code a client returns for an error body's code. */
static int lv_code_for(const wire_error *e)
{
    if (e == NULL)
        return LV_ERROR;
    switch (e->code) {
    case WIRE_UNAUTHENTICATED:
    case WIRE_RATE_LIMITED: return LV_EAUTH;
    case WIRE_BAD_REQUEST:
    case WIRE_NO_ENDPOINT:
    case WIRE_TOO_LARGE: return LV_EINVAL;
    case WIRE_OVERLOADED: return LV_EBUSY;
    default: return e->code;
    }
}

int client_post(const char *path, const char *token, json_t *body, json_t **reply)
{
    *reply = NULL;
    client_clear_error();
    json_free_t jansson_free = free;
    json_get_alloc_funcs(NULL, &jansson_free);
    char *text =
        body != NULL && wire_encode_bytes(body) == 0 ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text == NULL)
        return client_fail(LV_ERROR, "cannot encode the request");
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        jansson_free(text);
        return client_fail(LV_ERROR, "cannot start libcurl");
    }
    char url[1200];
    (void)snprintf(url, sizeof url, "%s%s", config.base, path);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    if (token != NULL) {
        char auth[128];
        (void)snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        headers = curl_slist_append(headers, auth);
        sodium_memzero(auth, sizeof auth);
    }
    reply_buf buf = {NULL, 0, 0, 0};
    (void)curl_easy_setopt(curl, CURLOPT_URL, url);
    (void)curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    (void)curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    (void)curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    (void)curl_easy_setopt(curl, CURLOPT_POSTFIELDS, text);
    (void)curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(text));
    (void)curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    (void)curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    (void)curl_easy_setopt(curl, CURLOPT_WRITEDATA, &buf);
    (void)curl_easy_setopt(curl, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    (void)curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    if (config.socket_path[0])
        (void)curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, config.socket_path);
    if (config.ca_file != NULL)
        (void)curl_easy_setopt(curl, CURLOPT_CAINFO, config.ca_file);
    CURLcode cc = curl_easy_perform(curl);
    long status = 0;
    (void)curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    curl_slist_free_all(headers); /* the Authorization line: libcurl's copy */
    sodium_memzero(text, strlen(text));
    jansson_free(text);
    if (cc != CURLE_OK) {
        int too_large = buf.too_large;
        reply_wipe(&buf);
        return too_large ? client_fail(LV_ERROR, "the server's reply is too large")
                         : client_fail(LV_ERROR, "cannot reach the server at %s: %s", config.url,
                                       curl_easy_strerror(cc));
    }
    json_error_t jerr;
    json_t *doc = buf.data != NULL ? json_loadb(buf.data, buf.len, 0, &jerr) : NULL;
    reply_wipe(&buf);
    if (json_is_object(doc) && wire_decode_bytes(doc) != 0) {
        json_decref(doc);
        return client_fail(LV_ERROR, "the server at %s answered HTTP %ld with a malformed body",
                           config.url, status);
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        return client_fail(LV_ERROR, "the server at %s answered HTTP %ld without a JSON body",
                           config.url, status);
    }
    if (status == 200) {
        *reply = doc;
        return 0;
    }
    const json_t *err = json_object_get(doc, "error");
    const char *name = json_string_value(json_object_get(err, "code"));
    const char *message = json_string_value(json_object_get(err, "message"));
    int code = lv_code_for(wire_error_named(name));
    (void)client_fail(code, "%s", message != NULL ? message : "the server refused the request");
    json_decref(doc);
    return code;
}

/* ---- the token cache ---- */

static int cache_dir(char *out, size_t cap)
{
    const char *runtime = getenv("XDG_RUNTIME_DIR");
    struct stat st;
    if (runtime == NULL || runtime[0] != '/')
        return client_fail(LV_EINVAL, "XDG_RUNTIME_DIR is not set: no private place for a "
                                      "session token (give a passphrase to each command instead)");
    if (stat(runtime, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & 077) != 0)
        return client_fail(LV_EINVAL, "XDG_RUNTIME_DIR (%s) is missing, not yours or not "
                                      "private (mode 0700): refusing to keep a token there",
                           runtime);
    (void)snprintf(out, cap, "%s/leadvault", runtime);
    if (mkdir(out, 0700) != 0 && errno != EEXIST)
        return client_fail(LV_ERROR, "cannot create %s: %s", out, strerror(errno));
    if (lstat(out, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & 077) != 0)
        return client_fail(LV_EINVAL, "%s is not a private folder (mode 0700) of yours", out);
    return 0;
}

static int cache_path(const char *user, char *out, size_t cap)
{
    char dir[512];
    int rc = cache_dir(dir, sizeof dir);
    if (rc != 0)
        return rc;
    unsigned char h[16];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)config.url, strlen(config.url) + 1);
    crypto_generichash_update(&st, (const unsigned char *)user, strlen(user));
    crypto_generichash_final(&st, h, sizeof h);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    (void)snprintf(out, cap, "%s/session-%s", dir, hex);
    return 0;
}

int token_cache_read(const char *user, char *token, size_t cap)
{
    char path[600];
    int rc = cache_path(user, path, sizeof path);
    if (rc != 0)
        return rc;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? LV_ENOTFOUND : client_fail(LV_ERROR, "cannot read %s", path);
    struct stat st;
    ssize_t n = fstat(fd, &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 077) == 0
                    ? read(fd, token, cap - 1)
                    : -1;
    close(fd);
    if (n <= 0)
        return client_fail(LV_EINVAL, "%s is not a private token file", path);
    token[n] = '\0';
    token[strcspn(token, "\n")] = '\0';
    return 0;
}

int token_cache_write(const char *user, const char *token)
{
    char path[600], tmp[620];
    int rc = cache_path(user, path, sizeof path);
    if (rc != 0)
        return rc;
    (void)snprintf(tmp, sizeof tmp, "%s.new", path);
    (void)unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    size_t len = strlen(token);
    if (fd < 0 || write(fd, token, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
        fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        int saved = errno;
        if (fd >= 0)
            (void)unlink(tmp);
        return client_fail(LV_ERROR, "cannot write %s: %s", path, strerror(saved));
    }
    return 0;
}

int token_cache_remove(const char *user)
{
    char path[600];
    int rc = cache_path(user, path, sizeof path);
    if (rc != 0)
        return rc;
    return unlink(path) == 0 ? 0 : errno == ENOENT ? LV_ENOTFOUND : LV_ERROR;
}

/* ---- the remote session handle ---- */

int client_vault_login(lv_vault **out, const char *user, const char *passphrase,
                       size_t passphrase_len, const char *os_user)
{
    *out = NULL;
    json_t *body =
        json_pack("{s:o, s:o, s:o?}", "user", wire_bytes(user), "passphrase",
                  wire_bytesn(passphrase, passphrase_len), "os_user", wire_bytes(os_user));
    json_t *reply = NULL;
    int rc = client_post("/v1/login", NULL, body, &reply);
    if (rc != 0)
        return rc;
    remote_session *s = calloc(1, sizeof *s);
    const char *token = json_string_value(json_object_get(reply, "token"));
    const char *role = json_string_value(json_object_get(reply, "role"));
    if (s == NULL || token == NULL || strlen(token) >= sizeof s->token || role == NULL ||
        lv_role_parse(&s->role, role) != 0) {
        free(s);
        json_decref(reply);
        return client_fail(LV_ERROR, "the server's login reply is malformed");
    }
    (void)snprintf(s->token, sizeof s->token, "%s", token);
    (void)snprintf(s->user, sizeof s->user, "%s", user);
    (void)snprintf(s->session, sizeof s->session, "%s",
                   json_string_value(json_object_get(reply, "session")) != NULL
                       ? json_string_value(json_object_get(reply, "session"))
                       : "");
    s->own_login = 1;
    json_decref(reply);
    *out = (lv_vault *)(void *)s;
    return 0;
}

int client_vault_attach(lv_vault **out, const char *user, const char *token)
{
    *out = NULL;
    remote_session *s = calloc(1, sizeof *s);
    if (s == NULL || strlen(token) >= sizeof s->token) {
        free(s);
        return client_fail(LV_ERROR, "out of memory");
    }
    (void)snprintf(s->token, sizeof s->token, "%s", token);
    (void)snprintf(s->user, sizeof s->user, "%s", user);
    *out = (lv_vault *)(void *)s;
    return 0;
}
