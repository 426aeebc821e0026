/* handlers.h - endpoint handlers of handlers_bulk.c, handlers_import.c and
 * handlers_keys.c, listed in the endpoint table of handlers.c. */
#ifndef LV_SERVER_HANDLERS_H
#define LV_SERVER_HANDLERS_H

#include "server.h"

/* "id", or "by" (email, phone) and "value", of the request. */
int handler_lookup(call *c, const char **id, lv_lookup *by, const char **value);

int h_export(call *c);
int h_report(call *c);
int h_subject_export(call *c);
int h_audit_export(call *c);
int h_audit_show(call *c);
int h_erase(call *c);
int h_suppress_info(call *c);
int h_suppress_remove(call *c);
int h_receipt_verify(call *c);
int h_retention_add(call *c);
int h_retention_remove(call *c);
int h_retention_list(call *c);
int h_retention_plan(call *c);
int h_retention_run(call *c);
int h_import(call *c);
int h_consent_import(call *c);
int h_backup(call *c);
int h_restore(call *c);
int h_user_role(call *c);
int h_rekey(call *c);

#endif
