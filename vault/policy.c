/* policy.c - the role matrix (docs/roles.md mirrors this table). */
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
    [POLICY_CHECK] = {"check the vault", A | S | C | U},
    [POLICY_AUDIT_READ] = {"read the audit log", C | U},
    [POLICY_AUDIT_VERIFY] = {"verify the audit log", A | S | C | U},
};

static const char *const role_names[] = {
    [LV_ROLE_ADMIN] = "admin",
    [LV_ROLE_SALES] = "sales",
    [LV_ROLE_COMPLIANCE] = "compliance",
    [LV_ROLE_AUDITOR] = "auditor",
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

const char *policy_action_name(policy_action action)
{
    return matrix[action].name;
}

int policy_check(lv_role role, policy_action action)
{
    if (lv_role_name(role) != NULL && (matrix[action].roles & (1u << role)) != 0)
        return 0;
    return err_set(LV_EDENIED, "denied: role %s may not %s",
                   lv_role_name(role) != NULL ? lv_role_name(role) : "(none)",
                   matrix[action].name);
}
