/* client.h - the CLI as a client of leadvault serve (libcurl). */
#ifndef LV_CLI_CLIENT_H
#define LV_CLI_CLIENT_H

#include <jansson.h>

#include "leadvault.h"

/* Check and remember the server URL (https://HOST:PORT,
 * http://127.0.0.1:PORT or unix:/path.sock) and an optional CA file.
 * Returns 0, or LV_EINVAL with client_error() saying why. */
int client_configure(const char *url, const char *ca_file);
const char *client_url(void);
/* The message of the last failed client call ("" when none). */
const char *client_error(void);

/* POST body (consumed) to path, with token as the bearer (NULL: none).
 * On 200, *reply is the response object. Otherwise the LV_E* code that
 * the error body's code maps to (the message in client_error()). */
int client_post(const char *path, const char *token, json_t *body, json_t **reply);

/* The token cache: one 0600 file per server URL and user under
 * $XDG_RUNTIME_DIR/leadvault/ (a private folder; refused otherwise).
 * Each returns 0, LV_ENOTFOUND (no token) or LV_EINVAL / LV_ERROR with
 * client_error() saying why. */
int token_cache_read(const char *user, char *token, size_t cap);
int token_cache_write(const char *user, const char *token);
int token_cache_remove(const char *user);

/* The session handle of the remote table, behind an lv_vault pointer. */
int client_vault_login(lv_vault **out, const char *user, const char *passphrase,
                       size_t passphrase_len, const char *os_user);
int client_vault_attach(lv_vault **out, const char *user, const char *token);

#endif
