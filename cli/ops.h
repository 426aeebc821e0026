/* ops.h - the vault operations of the CLI, as a table chosen at run time:
 * the library itself (a vault file, ops_local.c) or client stubs that send
 * each call to a leadvault server (--server URL, client.c). Each command's
 * parsing and rendering is one copy; output, --json and exit codes are
 * the same in both modes by construction. Members have the signatures of
 * the lv_* functions of the same names (include/leadvault.h). */
#ifndef LV_CLI_OPS_H
#define LV_CLI_OPS_H

#include "leadvault.h"

typedef struct vault_ops {
    int remote; /* 1: the stubs of client.c */
    /* lv_error_last() of the last failed call of the table */
    const char *(*error_last)(void);
    int (*vault_open)(lv_vault **out, const char *path, const lv_open_options *opts);
    int (*vault_close)(lv_vault *vault);
    void (*vault_id)(const lv_vault *vault, char out[LV_ID_STRLEN + 1]);
    int (*vault_whoami)(const lv_vault *vault, const char **name, lv_role *role);
    int (*vault_check)(lv_vault *vault, const lv_check_options *opts, lv_check_fn fn, void *ctx,
                       uint64_t *leads_checked);
    int (*user_add_scoped)(lv_vault *vault, const char *name, lv_role role, lv_scope scope,
                           const char *passphrase, size_t passphrase_len, const lv_kdf_params *kdf);
    int (*user_remove)(lv_vault *vault, const char *name);
    int (*user_passwd)(lv_vault *vault, const char *new_passphrase, size_t new_passphrase_len,
                       const lv_kdf_params *kdf);
    int (*user_set_role)(lv_vault *vault, const char *name, lv_role role);
    int (*vault_rekey)(lv_vault *vault, unsigned flags, lv_rekey_report *report);
    int (*user_list)(lv_vault *vault, lv_user_info **out, size_t *count);
    void (*user_list_free)(lv_user_info *users);
    int (*lead_add)(lv_vault *vault, char out_id[LV_ID_STRLEN + 1], const lv_lead_input *in);
    int (*lead_update)(lv_vault *vault, const char *id, const lv_lead_input *in);
    int (*lead_get)(lv_lead **out, lv_vault *vault, const char *id, const char *purpose,
                    uint32_t fields);
    void (*lead_free)(lv_lead *lead);
    int (*lead_find)(lv_lead ***out, size_t *count, lv_vault *vault, lv_lookup by,
                     const char *value, const char *purpose, uint32_t fields);
    void (*lead_list_free)(lv_lead **leads, size_t count);
    int (*lead_list)(lv_vault *vault, const lv_lead_filter *filter, lv_lead_meta_fn fn, void *ctx);
    int (*lead_list_reveal)(lv_vault *vault, const lv_lead_filter *filter, const char *purpose,
                            uint32_t fields, lv_lead_fn fn, void *ctx);
    int (*lead_search)(lv_lead ***out, size_t *count, lv_vault *vault, const char *text,
                       const char *purpose, size_t limit);
    int (*lead_assign)(lv_vault *vault, const char *lead_id, const char *user);
    int (*purpose_add)(lv_vault *vault, const char *name, lv_basis basis, uint32_t fields,
                       uint32_t roles);
    int (*purpose_retire)(lv_vault *vault, const char *name);
    int (*purpose_list)(lv_vault *vault, lv_purpose_info **out, size_t *count);
    void (*purpose_list_free)(lv_purpose_info *purposes);
    int (*consent_grant)(lv_vault *vault, const char *lead_id, const char *purpose,
                         const char *evidence, const char *notice_version, int64_t expires);
    int (*consent_withdraw)(lv_vault *vault, const char *lead_id, const char *purpose,
                            const char *reason);
    int (*consent_grant_by)(lv_vault *vault, char lead_id[LV_ID_STRLEN + 1], lv_lookup by,
                            const char *value, const char *purpose, const char *evidence,
                            const char *notice_version, int64_t expires);
    int (*consent_withdraw_by)(lv_vault *vault, char lead_id[LV_ID_STRLEN + 1], lv_lookup by,
                               const char *value, const char *purpose, const char *reason);
    int (*consent_history)(lv_consent_record **out, size_t *count, lv_vault *vault,
                           const char *lead_id);
    void (*consent_history_free)(lv_consent_record *records, size_t count);
    int (*stats)(lv_vault *vault, uint64_t *total, lv_count_fn fn, void *ctx);
    int (*erase)(lv_vault *vault, const char *lead_id, lv_lookup by, const char *value,
                 const lv_erase_options *opts, lv_write_fn receipt_fn, void *receipt_ctx,
                 size_t *erased);
    int (*suppress_info)(lv_vault *vault, lv_lookup by, const char *value, lv_erasure_info *info);
    int (*suppress_remove)(lv_vault *vault, lv_lookup by, const char *value);
    int (*receipt_verify)(const char *receipt, size_t len, const char *pubkey_text,
                          lv_vault *vault);
    int (*hold_set)(lv_vault *vault, const char *lead_id, const char *reason);
    int (*hold_clear)(lv_vault *vault, const char *lead_id);
    int (*hold_list)(lv_vault *vault, lv_hold_info **out, size_t *count);
    void (*hold_list_free)(lv_hold_info *holds);
    int (*retention_add)(lv_vault *vault, const lv_retention_rule *rule);
    int (*retention_remove)(lv_vault *vault, const char *name);
    int (*retention_list)(lv_vault *vault, lv_retention_rule **out, size_t *count);
    void (*retention_list_free)(lv_retention_rule *rules);
    int (*retention_plan)(lv_vault *vault, int64_t as_of, lv_due_fn fn, void *ctx);
    int (*retention_run)(lv_vault *vault, const char *request, lv_due_fn fn, void *ctx,
                         lv_write_fn receipt_fn, void *receipt_ctx, size_t *erased,
                         size_t *skipped);
    int (*subject_export)(lv_vault *vault, const char *lead_id, lv_lookup by, const char *value,
                          const char *request, lv_export_format format, lv_write_fn fn, void *ctx);
    int (*backup)(lv_vault *vault, const char *path);
    int (*restore)(lv_vault *vault, const char *path, uint64_t *restored, uint64_t *skipped);
    int (*setting_set)(lv_vault *vault, const char *name, const char *value);
    int (*setting_list)(lv_vault *vault, lv_setting_fn fn, void *ctx);
    int (*report)(lv_vault *vault, const lv_report_options *opts, lv_write_fn fn, void *ctx);
    int (*import)(lv_vault *vault, lv_read_fn read, void *read_ctx, const lv_import_options *opts,
                  lv_import_summary *summary);
    int (*consent_import)(lv_vault *vault, lv_read_fn read, void *read_ctx,
                          const lv_consent_import_options *opts,
                          lv_consent_import_summary *summary);
    int (*export)(lv_vault *vault, const lv_export_options *opts, lv_write_fn fn, void *ctx,
                  uint64_t *exported);
    int (*audit_show)(lv_vault *vault, const lv_audit_filter *filter, lv_audit_fn fn, void *ctx);
    int (*audit_export_entries)(lv_vault *vault, const lv_audit_filter *filter,
                                lv_export_format format, lv_write_fn fn, void *ctx);
    int (*audit_pubkey)(lv_vault *vault, char text[LV_AUDIT_TEXT_MAX], char fingerprint[48]);
    int (*audit_checkpoint)(lv_vault *vault, char text[LV_AUDIT_TEXT_MAX]);
    int (*audit_verify)(lv_vault *vault, const char *pubkey_text, const char *checkpoint_text,
                        lv_audit_report *report);
} vault_ops;

extern const vault_ops local_ops;  /* ops_local.c */
extern const vault_ops remote_ops; /* client.c */
/* The table in use: local_ops unless main() chose a server. */
extern const vault_ops *cli_ops;

#endif
