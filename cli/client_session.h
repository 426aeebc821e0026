/* client_session.h - what an lv_vault pointer of the remote table points
 * to: the CLI never looks inside an lv_vault, so the remote stubs hand
 * out this instead and take it back in each call. */
#ifndef LV_CLI_CLIENT_SESSION_H
#define LV_CLI_CLIENT_SESSION_H

#include <jansson.h>

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

/* The stubs' shared steps (client_ops.c): POST body to path with the
 * session's token; the error of a failure or a malformed reply, kept for
 * error_last(). */
int client_stub_call(lv_vault *vault, const char *path, json_t *body, json_t **reply);
int client_stub_malformed(void);
void client_stub_fail_local(const char *message);

/* client_bulk.c, client_import.c */
int r_export(lv_vault *vault, const lv_export_options *opts, lv_write_fn fn, void *ctx,
             uint64_t *exported);
int r_report(lv_vault *vault, const lv_report_options *opts, lv_write_fn fn, void *ctx);
int r_subject_export(lv_vault *vault, const char *lead_id, lv_lookup by, const char *value,
                     const char *request, lv_export_format format, lv_write_fn fn, void *ctx);
int r_audit_export_entries(lv_vault *vault, const lv_audit_filter *filter,
                           lv_export_format format, lv_write_fn fn, void *ctx);
int r_audit_show(lv_vault *vault, const lv_audit_filter *filter, lv_audit_fn fn, void *ctx);
int r_erase(lv_vault *vault, const char *lead_id, lv_lookup by, const char *value,
            const lv_erase_options *opts, lv_write_fn receipt_fn, void *receipt_ctx,
            size_t *erased);
int r_suppress_info(lv_vault *vault, lv_lookup by, const char *value, lv_erasure_info *info);
int r_suppress_remove(lv_vault *vault, lv_lookup by, const char *value);
int r_retention_add(lv_vault *vault, const lv_retention_rule *r);
int r_retention_remove(lv_vault *vault, const char *name);
int r_retention_list(lv_vault *vault, lv_retention_rule **out, size_t *count);
int r_retention_plan(lv_vault *vault, int64_t as_of, lv_due_fn fn, void *ctx);
int r_retention_run(lv_vault *vault, const char *request, lv_due_fn fn, void *ctx,
                    lv_write_fn receipt_fn, void *receipt_ctx, size_t *erased, size_t *skipped);
int r_import(lv_vault *vault, lv_read_fn read, void *read_ctx, const lv_import_options *o,
             lv_import_summary *s);
int r_consent_import(lv_vault *vault, lv_read_fn read, void *read_ctx,
                     const lv_consent_import_options *o, lv_consent_import_summary *s);

#endif
