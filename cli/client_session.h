/* client_session.h - what an lv_vault pointer of the remote table points
 * to: the CLI never looks inside an lv_vault, so the remote stubs hand
 * out this instead and take it back in each call. */
#ifndef LV_CLI_CLIENT_SESSION_H
#define LV_CLI_CLIENT_SESSION_H

#include "leadvault.h"

typedef struct remote_session {
    char token[64];
    char user[LV_NAME_MAX + 1];
    char session[24];
    lv_role role;
    int own_login; /* logged in for this command: log out at close */
} remote_session;

void client_clear_error(void);
void client_set_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
