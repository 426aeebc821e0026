/* policy.c - the role matrix and the reveal rules (docs/roles.md mirrors
 * this table; a test checks the two agree). */
#include <string.h>

#include "error.h"
#include "policy.h"

#define A (1u << LV_ROLE_ADMIN)
#define S (1u << LV_ROLE_SALES)
#define C (1u << LV_ROLE_COMPLIANCE)
#define U (1u << LV_ROLE_AUDITOR)

static const struct {
    const char *name;
    unsigned roles;
} matrix[POLICY_ACTION_COUNT] = {
    [POLICY_USER_MANAGE] = {"manage users", A},
    [POLICY_LEAD_WRITE] = {"add or update leads", A | S},
    [POLICY_LEAD_REVEAL] = {"reveal lead data", A | S | C},
    [POLICY_LEAD_LIST] = {"list leads", A | S | C},
    [POLICY_LEAD_ASSIGN] = {"assign leads to owners", A},
    [POLICY_CHECK] = {"check the vault", A | S | C | U},
    [POLICY_STATS] = {"count leads", A | S | C | U},
    [POLICY_AUDIT_READ] = {"read the audit log", C | U},
    [POLICY_AUDIT_VERIFY] = {"verify the audit log", A | S | C | U},
    [POLICY_PURPOSE_MANAGE] = {"manage purposes", A},
    [POLICY_PURPOSE_LIST] = {"list purposes", A | S | C | U},
    [POLICY_CONSENT_WRITE] = {"record consent", A | S | C},
    [POLICY_CONSENT_READ] = {"read consent records", A | C},
    [POLICY_ERASE] = {"erase leads", A | C},
    [POLICY_SUPPRESS_CHECK] = {"check the suppression list", A | S | C},
    [POLICY_SUPPRESS_REMOVE] = {"remove from the suppression list", A},
    [POLICY_HOLD] = {"manage legal holds", A | C},
    [POLICY_RETENTION] = {"manage and run retention", A | C},
    [POLICY_SUBJECT] = {"export a subject's data", C},
    [POLICY_BACKUP] = {"back up or restore the vault", A},
    [POLICY_REPORT] = {"generate compliance reports", C | U},
    [POLICY_SETTING] = {"manage vault settings", A},
    [POLICY_VAULT_KEYS] = {"renew the vault keys or upgrade the vault", A},
};

static const char *const role_names[] = {
    [LV_ROLE_ADMIN] = "admin",
    [LV_ROLE_SALES] = "sales",
    [LV_ROLE_COMPLIANCE] = "compliance",
    [LV_ROLE_AUDITOR] = "auditor",
};

static const char *const basis_names[] = {
    [LV_BASIS_CONSENT] = "consent",
    [LV_BASIS_LEGITIMATE_INTEREST] = "legitimate_interest",
    [LV_BASIS_CONTRACT] = "contract",
    [LV_BASIS_LEGAL_OBLIGATION] = "legal_obligation",
};

const char *lv_role_name(lv_role role)
{
    if (role < LV_ROLE_ADMIN || role > LV_ROLE_AUDITOR)
        return NULL;
    return role_names[role];
}

int lv_role_parse(lv_role *out, const char *name)
{
    for (int r = LV_ROLE_ADMIN; name != NULL && r <= LV_ROLE_AUDITOR; r++) {
        if (strcmp(name, role_names[r]) == 0) {
            *out = (lv_role)r;
            return 0;
        }
    }
    return err_set(LV_EINVAL, "role: must be one of admin, sales, compliance, auditor");
}

int lv_role_mask_parse(uint32_t *out, const char *list)
{
    *out = 0;
    const char *at = list;
    while (at != NULL && *at != '\0') {
        const char *comma = strchr(at, ',');
        size_t len = comma != NULL ? (size_t)(comma - at) : strlen(at);
        char name[16];
        lv_role role;
        if (len == 0 || len >= sizeof name)
            return err_set(LV_EINVAL, "roles: expected a comma-separated list of roles");
        memcpy(name, at, len);
        name[len] = '\0';
        if (lv_role_parse(&role, name) != 0)
            return LV_EINVAL;
        *out |= 1u << role;
        at = comma != NULL ? comma + 1 : NULL;
    }
    if (*out == 0)
        return err_set(LV_EINVAL, "roles: at least one role is needed");
    return 0;
}

const char *lv_basis_name(lv_basis basis)
{
    if (basis < LV_BASIS_CONSENT || basis > LV_BASIS_LEGAL_OBLIGATION)
        return NULL;
    return basis_names[basis];
}

int lv_basis_parse(lv_basis *out, const char *name)
{
    for (int b = LV_BASIS_CONSENT; name != NULL && b <= LV_BASIS_LEGAL_OBLIGATION; b++) {
        if (strcmp(name, basis_names[b]) == 0) {
            *out = (lv_basis)b;
            return 0;
        }
    }
    return err_set(LV_EINVAL,
                   "basis: must be consent, legitimate_interest, contract or legal_obligation");
}

uint32_t policy_roles(policy_action action)
{
    return matrix[action].roles;
}

int policy_check(lv_role role, policy_action action)
{
    if (lv_role_name(role) != NULL && (matrix[action].roles & (1u << role)) != 0)
        return 0;
    return err_set(LV_EDENIED, "denied: role %s may not %s",
                   lv_role_name(role) != NULL ? lv_role_name(role) : "(none)",
                   matrix[action].name);
}

int policy_reveal_purpose(lv_role role, const policy_purpose *purpose, uint32_t requested,
                          uint32_t *effective)
{
    *effective = 0;
    if (purpose->retired)
        return err_set(LV_EDENIED, "denied: purpose %s is retired", purpose->name);
    if (lv_role_name(role) == NULL || (purpose->roles & (1u << role)) == 0)
        return err_set(LV_EDENIED, "denied: role %s may not use purpose %s",
                       lv_role_name(role) != NULL ? lv_role_name(role) : "(none)", purpose->name);
    uint32_t outside = requested & ~purpose->fields;
    for (int f = 0; f < LV_FIELD_COUNT; f++) {
        if (outside & (1u << f))
            return err_set(LV_EDENIED, "denied: purpose %s does not allow field %s",
                           purpose->name, lv_field_name((lv_field)f));
    }
    *effective = requested != 0 ? requested : purpose->fields;
    return 0;
}

int policy_reveal_consent(const policy_purpose *purpose, int consent_active)
{
    if (purpose->basis == LV_BASIS_CONSENT && !consent_active)
        return err_set(LV_EDENIED, "denied: the lead has no active consent for purpose %s",
                       purpose->name);
    return 0;
}
