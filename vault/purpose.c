/* purpose.c - purposes: the default set, add / retire / list, and the
 * authenticated lookup every reveal goes through. */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "error.h"
#include "policy.h"
#include "purpose.h"
#include "util_array.h"
#include "util_time.h"

#define F(x) (1u << LV_FIELD_##x)
#define R(x) (1u << LV_ROLE_##x)

static const struct {
    const char *name;
    lv_basis basis;
    uint32_t fields;
    uint32_t roles;
} default_purposes[] = {
    {"email_marketing", LV_BASIS_CONSENT, F(FIRST_NAME) | F(LAST_NAME) | F(EMAIL) | F(EMAIL2),
     R(ADMIN) | R(SALES)},
    {"phone_outreach", LV_BASIS_CONSENT,
     F(FIRST_NAME) | F(LAST_NAME) | F(PHONE) | F(PHONE2) | F(COMPANY), R(ADMIN) | R(SALES)},
    {"direct_mail", LV_BASIS_CONSENT, F(FIRST_NAME) | F(LAST_NAME) | F(COMPANY) | F(ADDRESS),
     R(ADMIN) | R(SALES)},
    {"sales_followup", LV_BASIS_LEGITIMATE_INTEREST,
     F(FIRST_NAME) | F(LAST_NAME) | F(COMPANY) | F(TITLE) | F(EMAIL) | F(PHONE) | F(EMAIL2) |
         F(PHONE2),
     R(ADMIN) | R(SALES)},
    /* What a rep wrote about a lead, read back for follow-up; a purpose of
     * its own, so an admin can retire it without touching sales_followup. */
    {"sales_notes", LV_BASIS_LEGITIMATE_INTEREST,
     F(FIRST_NAME) | F(LAST_NAME) | F(COMPANY) | F(NOTES), R(ADMIN) | R(SALES)},
    /* Profiling works on the company side of a lead, never on contact data. */
    {"profiling", LV_BASIS_CONSENT, F(COMPANY) | F(TITLE) | F(WEBSITE), R(ADMIN) | R(SALES)},
    {"subject_request", LV_BASIS_LEGAL_OBLIGATION, LV_FIELD_MASK_ALL, R(COMPLIANCE)},
};

int purpose_name_valid(const char *name)
{
    size_t n = name != NULL ? strlen(name) : 0;
    if (n == 0 || n > LV_PURPOSE_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

static void purpose_mac(unsigned char out[MAC_BYTES], const lv_vault *vault,
                        const store_purpose *p)
{
    record_mac m;
    record_mac_begin(&m, vault->keys, "lvP1", vault->id);
    record_mac_text(&m, p->name);
    record_mac_int(&m, p->basis);
    record_mac_int(&m, p->fields);
    record_mac_int(&m, p->roles);
    record_mac_int(&m, p->created);
    record_mac_int(&m, p->retired);
    record_mac_end(&m, out);
}

int purpose_mac_valid(const lv_vault *vault, const store_purpose *p)
{
    unsigned char mac[MAC_BYTES];
    purpose_mac(mac, vault, p);
    return key_mac_equal(mac, p->mac);
}

static int purpose_store(lv_vault *vault, store_purpose *p)
{
    purpose_mac(p->mac, vault, p);
    return store_purpose_put(vault->store, p);
}

int purpose_install_defaults(lv_vault *vault)
{
    int64_t now = util_now_ms();
    for (size_t i = 0; i < sizeof default_purposes / sizeof default_purposes[0]; i++) {
        store_purpose p;
        memset(&p, 0, sizeof p);
        (void)snprintf(p.name, sizeof p.name, "%s", default_purposes[i].name);
        p.basis = default_purposes[i].basis;
        p.fields = default_purposes[i].fields;
        p.roles = default_purposes[i].roles;
        p.created = now;
        int rc = purpose_store(vault, &p);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int purpose_load(lv_vault *vault, const char *name, store_purpose *out)
{
    if (!purpose_name_valid(name))
        return err_set(LV_EINVAL, "purpose: lower-case letters, digits and _ (1 to %d)",
                       LV_PURPOSE_NAME_MAX);
    int rc = store_purpose_get(vault->store, name, out);
    if (rc == LV_ENOTFOUND)
        return err_set(LV_ENOTFOUND, "no purpose '%s' (see 'leadvault purpose list')", name);
    if (rc != 0)
        return rc;
    if (!purpose_mac_valid(vault, out))
        return err_set(LV_ECORRUPT, "integrity failure: purpose %s was altered", name);
    return 0;
}

void purpose_to_policy(policy_purpose *out, const store_purpose *p)
{
    out->name = p->name;
    out->basis = (lv_basis)p->basis;
    out->fields = p->fields;
    out->roles = p->roles;
    out->retired = p->retired != 0;
}

int purpose_authorize(lv_vault *vault, const char *name, uint32_t requested, store_purpose *out,
                      uint32_t *mask)
{
    int rc = purpose_load(vault, name, out);
    if (rc == LV_ENOTFOUND)
        return err_set(LV_EDENIED, "denied: no purpose '%s' is defined", name);
    if (rc != 0)
        return rc;
    policy_purpose pp;
    purpose_to_policy(&pp, out);
    return policy_reveal_purpose(vault->role, &pp, requested, mask);
}

/* ---- public ---- */

int lv_purpose_add(lv_vault *vault, const char *name, lv_basis basis, uint32_t fields,
                   uint32_t roles)
{
    err_clear();
    if (!purpose_name_valid(name))
        return err_set(LV_EINVAL, "purpose: lower-case letters, digits and _ (1 to %d)",
                       LV_PURPOSE_NAME_MAX);
    audit_event event = {.action = "purpose.add", .subject = name};
    int rc = audit_gate(vault, POLICY_PURPOSE_MANAGE, &event);
    if (rc != 0)
        return rc;
    if (lv_basis_name(basis) == NULL)
        return err_set(LV_EINVAL, "basis: unknown");
    if ((fields & ~LV_FIELD_MASK_ALL) != 0)
        return err_set(LV_EINVAL, "fields: unknown field");
    uint32_t all_roles = (1u << LV_ROLE_ADMIN) | (1u << LV_ROLE_SALES) |
                         (1u << LV_ROLE_COMPLIANCE) | (1u << LV_ROLE_AUDITOR);
    if (roles == 0 || (roles & ~all_roles) != 0)
        return err_set(LV_EINVAL, "roles: at least one known role is needed");
    if (roles & (1u << LV_ROLE_AUDITOR))
        return err_set(LV_EINVAL, "roles: auditors never receive personal data");
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    store_purpose p;
    memset(&p, 0, sizeof p);
    rc = store_purpose_get(vault->store, name, &p);
    if (rc == 0)
        rc = err_set(LV_EEXISTS, "purpose %s already exists (retired purposes keep their name)",
                     name);
    else if (rc == LV_ENOTFOUND) {
        (void)snprintf(p.name, sizeof p.name, "%s", name);
        p.basis = basis;
        p.fields = fields;
        p.roles = roles;
        p.created = util_now_ms();
        p.retired = 0;
        rc = purpose_store(vault, &p);
    }
    return audit_commit(vault, rc, &event);
}

int lv_purpose_retire(lv_vault *vault, const char *name)
{
    err_clear();
    if (!purpose_name_valid(name))
        return err_set(LV_EINVAL, "purpose: lower-case letters, digits and _ (1 to %d)",
                       LV_PURPOSE_NAME_MAX);
    audit_event event = {.action = "purpose.retire", .subject = name};
    int rc = audit_gate(vault, POLICY_PURPOSE_MANAGE, &event);
    if (rc != 0)
        return rc;
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    store_purpose p;
    rc = purpose_load(vault, name, &p);
    if (rc == 0 && p.retired != 0)
        rc = err_set(LV_EINVAL, "purpose %s is already retired", name);
    if (rc == 0) {
        p.retired = util_now_ms();
        rc = purpose_store(vault, &p);
    }
    return audit_commit(vault, rc, &event);
}

typedef struct purpose_list {
    lv_vault *vault;
    lv_purpose_info *items;
    size_t count, cap;
} purpose_list;

static int collect_purpose(void *ctx, const store_purpose *p)
{
    purpose_list *list = ctx;
    if (!purpose_mac_valid(list->vault, p))
        return err_set(LV_ECORRUPT, "integrity failure: purpose %s was altered", p->name);
    lv_purpose_info *info =
        util_array_append((void **)&list->items, &list->count, &list->cap, sizeof *info, 8);
    if (info == NULL)
        return LV_ERROR;
    memcpy(info->name, p->name, sizeof info->name);
    info->basis = (lv_basis)p->basis;
    info->fields = p->fields;
    info->roles = p->roles;
    info->created = p->created;
    info->retired = p->retired;
    return 0;
}

int lv_purpose_list(lv_vault *vault, lv_purpose_info **out, size_t *count)
{
    err_clear();
    *out = NULL;
    *count = 0;
    audit_event event = {.action = "purpose.list"};
    int rc = audit_gate(vault, POLICY_PURPOSE_LIST, &event);
    if (rc != 0)
        return rc;
    if ((rc = store_begin(vault->store)) != 0)
        return rc;
    purpose_list list = {.vault = vault};
    rc = store_purpose_each(vault->store, collect_purpose, &list);
    if ((rc = audit_commit(vault, rc, &event)) != 0) {
        free(list.items);
        return rc;
    }
    *out = list.items;
    *count = list.count;
    return 0;
}

void lv_purpose_list_free(lv_purpose_info *purposes)
{
    free(purposes);
}
