/* serve.c - leadvault serve: its options, then server_run (http.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server.h"

/* "90s", "15m", "8h", "1d" (a bare number is seconds) into ms; -1 when
 * it is none of them. */
static long long parse_duration(const char *text)
{
    char *end = NULL;
    if (text == NULL || text[0] < '0' || text[0] > '9')
        return -1;
    unsigned long long n = strtoull(text, &end, 10);
    long long unit = 1000;
    if (*end == 'm')
        unit = 60LL * 1000;
    else if (*end == 'h')
        unit = 3600LL * 1000;
    else if (*end == 'd')
        unit = 24LL * 3600 * 1000;
    else if (*end != 's' && *end != '\0')
        return -1;
    if (*end != '\0' && end[1] != '\0')
        return -1;
    if (n == 0 || n > 366ull * 24 * 3600)
        return -1;
    return (long long)n * unit;
}

static int parse_count(const cli *c, const cli_args *a, const char *name, unsigned max,
                       unsigned *out)
{
    const char *text = args_get(a, name);
    if (text == NULL)
        return 0;
    char *end = NULL;
    unsigned long n = strtoul(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || n == 0 || n > max)
        return usage_error(c, "--%s: a number from 1 to %u", name, max);
    *out = (unsigned)n;
    return 0;
}

int cmd_serve(const cli *c, int argc, char **argv)
{
    static const opt_spec spec[] = {
        {"listen", 1},           {"socket", 1},           {"tls-cert", 1},
        {"tls-key", 1},          {"session-idle", 1},     {"session-max", 1},
        {"connection-limit", 1}, {"connection-timeout", 1}, {"max-requests", 1},
        {NULL, 0}};
    cli_args a;
    int rc = args_exact(&a, c, spec, argc, argv, 0, NULL);
    if (rc != 0)
        return rc;
    serve_config cfg = {
        .vault_path = c->vault_path,
        .listen = args_get(&a, "listen"),
        .socket_path = args_get(&a, "socket"),
        .tls_cert = args_get(&a, "tls-cert"),
        .tls_key = args_get(&a, "tls-key"),
        .session_idle_ms = 15LL * 60 * 1000,
        .session_max_ms = 8LL * 3600 * 1000,
        .connection_limit = 256,
        .connection_timeout_s = 30,
        .max_in_flight = 64,
        .max_logins = 2,
    };
    if (cfg.vault_path == NULL)
        return usage_error(c, "no vault given (--vault PATH or LEADVAULT_VAULT)");
    if (cfg.listen == NULL && cfg.socket_path == NULL)
        return usage_error(c, "give --listen HOST:PORT, --socket PATH, or both");
    if ((cfg.tls_cert == NULL) != (cfg.tls_key == NULL))
        return usage_error(c, "--tls-cert and --tls-key go together");
    if (cfg.tls_cert != NULL && cfg.listen == NULL)
        return usage_error(c, "--tls-cert: TLS is for --listen (the socket is local)");
    const char *names[] = {"session-idle", "session-max"};
    int64_t *targets[] = {&cfg.session_idle_ms, &cfg.session_max_ms};
    for (int i = 0; i < 2; i++) {
        if (!args_has(&a, names[i]))
            continue;
        long long ms = parse_duration(args_get(&a, names[i]));
        if (ms < 0)
            return usage_error(c, "--%s: a duration such as 90s, 15m, 8h or 1d", names[i]);
        *targets[i] = ms;
    }
    if ((rc = parse_count(c, &a, "connection-limit", 65536, &cfg.connection_limit)) != 0 ||
        (rc = parse_count(c, &a, "max-requests", 65536, &cfg.max_in_flight)) != 0)
        return rc;
    if (args_has(&a, "connection-timeout")) {
        long long ms = parse_duration(args_get(&a, "connection-timeout"));
        if (ms < 1000)
            return usage_error(c, "--connection-timeout: a duration such as 30s or 2m");
        cfg.connection_timeout_s = (unsigned)(ms / 1000);
    }
    /* The vault must open now (locked: no key), so that a wrong path shows
     * at start and not at the first login. */
    lv_vault *probe = NULL;
    lv_open_options opts = LV_OPEN_OPTIONS_INIT;
    if ((rc = lv_vault_open(&probe, cfg.vault_path, &opts)) != 0)
        return fail(c, rc);
    (void)lv_vault_close(probe);
    rc = server_run(&cfg);
    return rc == 0 ? EXIT_OK : rc == 2 ? EXIT_USAGE : EXIT_ERROR;
}
